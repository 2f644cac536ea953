import { Xoshiro128 } from '../../sample/random/Xoshiro128.js';
import { LearnInputError } from './errors.js';
import type { DenseMatrix } from './featureMatrix.js';
import { yieldControl } from './yieldControl.js';

export interface TsneOptions {
  /** Effective number of neighbours (default 30, capped at (n - 1) / 3). */
  readonly perplexity?: number;
  /** Gradient-descent iterations (default 1000). */
  readonly iterations?: number;
  /** Step size (default max(n / 12, 50), Belkina et al. 2019, doi:10.1038/s41467-019-13055-y). */
  readonly learningRate?: number;
  readonly seed: number;
  /** Start layout (n × 2, row-major; see warmStart.ts): skips early exaggeration, which would undo it. */
  readonly initial?: Float64Array;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Exact t-SNE holds n × n affinities (as float32): 100 MB at this size, the limit. */
export const TSNE_MAX_POINTS = 5000;
const EXAGGERATION = 12;
const EXAGGERATION_ITERATIONS = 250;
const ITERATIONS_PER_YIELD = 10;

/**
 * Exact t-SNE (van der Maaten & Hinton 2008, "Visualizing data using
 * t-SNE", JMLR 9:2579-2605; no DOI, jmlr.org/papers/v9/vandermaaten08a):
 * Gaussian conditional affinities calibrated to the perplexity by bisection
 * on the precision, symmetrised; Student-t affinities in 2-D; gradient
 * descent with momentum (0.5, then 0.8), per-coordinate gains, and early
 * exaggeration for the first 250 iterations. O(n^2) per iteration (no
 * Barnes-Hut), which is fine for the few thousand points of an
 * exploration session; the initial layout is drawn from `seed`.
 */
export async function tsneEmbed(matrix: DenseMatrix, options: TsneOptions): Promise<Float64Array> {
  const { rows: n } = matrix;
  if (n > TSNE_MAX_POINTS) throw new LearnInputError('features', `exact t-SNE is limited to ${TSNE_MAX_POINTS} points, got ${n}; use UMAP or PCA`);
  const y = new Float64Array(n * 2);
  if (n < 3) {
    for (let i = 0; i < n; i++) y[i * 2] = i;
    return y;
  }
  const perplexity = Math.min(options.perplexity ?? 30, (n - 1) / 3);
  const iterations = options.iterations ?? 1000;
  const eta = options.learningRate ?? Math.max(n / EXAGGERATION, 50);
  const p = jointAffinities(matrix, perplexity);
  const rng = Xoshiro128.fromSeed(options.seed, 0x7e);
  const warm = options.initial !== undefined && options.initial.length === n * 2;
  if (warm) y.set(options.initial!);
  else for (let i = 0; i < y.length; i++) y[i] = 1e-4 * rng.nextNormal();
  const gradient = new Float64Array(n * 2);
  const update = new Float64Array(n * 2);
  const gains = new Float64Array(n * 2).fill(1);
  for (let it = 0; it < iterations; it++) {
    const early = !warm && it < EXAGGERATION_ITERATIONS;
    const exaggeration = early ? EXAGGERATION : 1;
    const momentum = early ? 0.5 : 0.8;
    computeGradient(y, p, n, exaggeration, gradient);
    let meanX = 0;
    let meanY = 0;
    for (let k = 0; k < y.length; k++) {
      // Delta-bar-delta gains (Jacobs 1988), as in the reference implementation.
      gains[k] = Math.sign(gradient[k]) !== Math.sign(update[k]) ? gains[k] + 0.2 : Math.max(0.01, gains[k] * 0.8);
      update[k] = momentum * update[k] - eta * gains[k] * gradient[k];
      y[k] += update[k];
    }
    for (let i = 0; i < n; i++) {
      meanX += y[i * 2];
      meanY += y[i * 2 + 1];
    }
    meanX /= n;
    meanY /= n;
    for (let i = 0; i < n; i++) {
      y[i * 2] -= meanX;
      y[i * 2 + 1] -= meanY;
    }
    if ((it + 1) % ITERATIONS_PER_YIELD === 0 || it + 1 === iterations) {
      options.onProgress?.(it + 1, iterations);
      if (it + 1 < iterations) await yieldControl(options.signal);
    }
  }
  return y;
}

/** Symmetric P (n × n, float32): p_ij = (p_j|i + p_i|j) / 2n. */
function jointAffinities(matrix: DenseMatrix, perplexity: number): Float32Array {
  const { rows: n, columns: d, data } = matrix;
  const p = new Float32Array(n * n);
  const dist = new Float64Array(n);
  const row = new Float64Array(n);
  const target = Math.log(perplexity);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const t = data[i * d + k] - data[j * d + k];
        s += t * t;
      }
      dist[j] = s;
    }
    // Bisection on the precision beta so that the entropy of p_.|i is log(perplexity).
    let beta = 1;
    let lo = 0;
    let hi = Infinity;
    for (let step = 0; step < 64; step++) {
      let sum = 0;
      let weighted = 0;
      for (let j = 0; j < n; j++) {
        const v = j === i ? 0 : Math.exp(-beta * dist[j]);
        row[j] = v;
        sum += v;
        weighted += v * dist[j];
      }
      const entropy = sum > 0 ? Math.log(sum) + (beta * weighted) / sum : 0;
      if (sum > 0 && Math.abs(entropy - target) < 1e-5) break;
      if (sum === 0 || entropy < target) {
        hi = beta;
        beta = (lo + beta) / 2;
      } else {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      }
    }
    let sum = 0;
    for (let j = 0; j < n; j++) sum += row[j];
    for (let j = 0; j < n; j++) p[i * n + j] = sum > 0 ? row[j] / sum : j === i ? 0 : 1 / (n - 1);
  }
  const scale = 1 / (2 * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = Math.max((p[i * n + j] + p[j * n + i]) * scale, 1e-12);
      p[i * n + j] = v;
      p[j * n + i] = v;
    }
    p[i * n + i] = 0;
  }
  return p;
}

/** dC/dy_i = 4 sum_j (exaggeration p_ij - q_ij) (1 + |y_i - y_j|^2)^-1 (y_i - y_j). */
function computeGradient(y: Float64Array, p: Float32Array, n: number, exaggeration: number, out: Float64Array): void {
  let z = 0;
  for (let i = 0; i < n; i++) {
    const xi = y[i * 2];
    const yi = y[i * 2 + 1];
    for (let j = i + 1; j < n; j++) {
      const dx = xi - y[j * 2];
      const dy = yi - y[j * 2 + 1];
      z += 2 / (1 + dx * dx + dy * dy);
    }
  }
  out.fill(0);
  const invZ = 1 / z;
  for (let i = 0; i < n; i++) {
    const xi = y[i * 2];
    const yi = y[i * 2 + 1];
    let gx = 0;
    let gy = 0;
    for (let j = i + 1; j < n; j++) {
      const dx = xi - y[j * 2];
      const dy = yi - y[j * 2 + 1];
      const num = 1 / (1 + dx * dx + dy * dy);
      const force = 4 * (exaggeration * p[i * n + j] - num * invZ) * num;
      gx += force * dx;
      gy += force * dy;
      out[j * 2] -= force * dx;
      out[j * 2 + 1] -= force * dy;
    }
    out[i * 2] += gx;
    out[i * 2 + 1] += gy;
  }
}
