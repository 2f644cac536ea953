import type { DistanceGraph } from './affinityGraph.js';

export type PropagationAlgorithm = 'spreading' | 'propagation';

export interface IterationOptions {
  /** Label spreading: weight of the neighbours against the initial labels (default 0.2, as scikit-learn). */
  readonly alpha?: number;
  /** Default 1000. */
  readonly maxIterations?: number;
  /** Stop when no normalised soft label moves by more than this (default 1e-6). */
  readonly tolerance?: number;
}

export interface IterationResult {
  /** n × C row-normalised soft labels; rows with no path to any label are uniform. */
  readonly distributions: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  /** Points with no path to a labelled point (given the uniform distribution). */
  readonly unreached: number;
}

/**
 * Label spreading (Zhou, Bousquet, Lal, Weston & Schölkopf 2004, "Learning
 * with local and global consistency", NIPS 16; no DOI,
 * papers.nips.cc/paper/2506) iterates F <- alpha S F + (1 - alpha) Y with
 * the normalised affinity S = D^-1/2 W D^-1/2: labels may change where the
 * graph disagrees with them. Label propagation (Zhu & Ghahramani 2002,
 * "Learning from labeled and unlabeled data with label propagation", CMU
 * CALD-02-107) iterates F <- D^-1 W F and clamps the labelled rows back to
 * their labels after each step (a harmonic solution).
 *
 * `weights` are the graph's edge weights; `labels[i]` is a class in
 * 0..classes-1 or -1 for unlabelled.
 */
export function iterateLabels(
  graph: DistanceGraph,
  weights: Float64Array,
  labels: ArrayLike<number>,
  classes: number,
  algorithm: PropagationAlgorithm,
  options: IterationOptions = {},
): IterationResult {
  const { n, offsets, columns } = graph;
  const alpha = options.alpha ?? 0.2;
  const maxIterations = options.maxIterations ?? 1000;
  const tolerance = options.tolerance ?? 1e-6;
  const degree = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let e = offsets[i]; e < offsets[i + 1]; e++) s += weights[e];
    degree[i] = s;
  }
  // Edge coefficients of the iteration matrix: S_ij (spreading) or P_ij = w_ij / d_i (propagation).
  const coefficient = new Float64Array(weights.length);
  const invSqrt = Float64Array.from(degree, (v) => (v > 0 ? 1 / Math.sqrt(v) : 0));
  for (let i = 0; i < n; i++) {
    for (let e = offsets[i]; e < offsets[i + 1]; e++) {
      coefficient[e] = algorithm === 'spreading' ? weights[e] * invSqrt[i] * invSqrt[columns[e]] : degree[i] > 0 ? weights[e] / degree[i] : 0;
    }
  }
  const y = new Float64Array(n * classes);
  for (let i = 0; i < n; i++) if (labels[i] >= 0) y[i * classes + labels[i]] = 1;
  let f = Float64Array.from(y);
  let next = new Float64Array(n * classes);
  const before = new Float64Array(classes);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    let change = 0;
    let newlyReached = 0;
    for (let i = 0; i < n; i++) {
      const o = i * classes;
      if (algorithm === 'propagation' && labels[i] >= 0) {
        for (let c = 0; c < classes; c++) next[o + c] = y[o + c];
        continue;
      }
      for (let c = 0; c < classes; c++) next[o + c] = 0;
      for (let e = offsets[i]; e < offsets[i + 1]; e++) {
        const w = coefficient[e];
        if (w === 0) continue;
        const oj = columns[e] * classes;
        for (let c = 0; c < classes; c++) next[o + c] += w * f[oj + c];
      }
      if (algorithm === 'spreading') for (let c = 0; c < classes; c++) next[o + c] = alpha * next[o + c] + (1 - alpha) * y[o + c];
      // Convergence is judged on the normalised rows: far points carry tiny absolute mass
      // (alpha^hops) whose direction is what matters.
      let sumBefore = 0;
      let sumAfter = 0;
      for (let c = 0; c < classes; c++) {
        before[c] = f[o + c];
        sumBefore += f[o + c];
        sumAfter += next[o + c];
      }
      if (sumAfter > 0 && !(sumBefore > 0)) newlyReached++;
      if (sumAfter > 0 && sumBefore > 0) {
        for (let c = 0; c < classes; c++) change = Math.max(change, Math.abs(next[o + c] / sumAfter - before[c] / sumBefore));
      }
    }
    [f, next] = [next, f];
    if (change < tolerance && newlyReached === 0) {
      converged = true;
      break;
    }
  }
  let unreached = 0;
  for (let i = 0; i < n; i++) {
    const o = i * classes;
    let s = 0;
    for (let c = 0; c < classes; c++) s += f[o + c];
    if (s > 0 && Number.isFinite(s)) for (let c = 0; c < classes; c++) f[o + c] /= s;
    else {
      unreached++;
      for (let c = 0; c < classes; c++) f[o + c] = 1 / classes;
    }
  }
  return { distributions: f, iterations, converged, unreached };
}
