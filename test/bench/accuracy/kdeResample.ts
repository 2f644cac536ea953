import type { TaskPriorSpec } from './tasks/index.js';

/** A uniform and normal source (Xoshiro128 fits). */
export interface RandomDraws {
  nextDouble(): number;
  nextNormal(): number;
}

/**
 * The bijection from a parameter's prior support to the real line: log for
 * a log-normal prior, logit of the position in [lower, upper] for a uniform
 * one, none for a normal one. The KDE is fitted there, so its samples stay
 * inside the support (sbi fits its ABC KDEs on the prior's unconstrained
 * space too).
 */
export interface SupportTransform {
  forward(x: number): number;
  inverse(z: number): number;
}

export function supportTransform(prior: TaskPriorSpec): SupportTransform {
  if (prior.kind === 'logNormal') return { forward: (x) => Math.log(Math.max(x, 1e-300)), inverse: Math.exp };
  if (prior.kind === 'uniform') {
    const { lower, upper } = prior;
    const width = upper - lower;
    return {
      forward: (x) => {
        const u = Math.min(Math.max((x - lower) / width, 1e-12), 1 - 1e-12);
        return Math.log(u / (1 - u));
      },
      inverse: (z) => lower + width / (1 + Math.exp(-z)),
    };
  }
  return { forward: (x) => x, inverse: (z) => z };
}

export interface KdeResampleResult {
  readonly samples: Float64Array;
  /**
   * The kernel's scale: with "cv", the factor h of the kernel covariance
   * h²·S (S the particles' covariance or its diagonal, see `shape`); with a
   * number, that number (an isotropic sd), both in the transformed space.
   */
  readonly bandwidth: number;
  /** The kernel's shape: `full` or `diagonal` S (chosen by CV), or `isotropic` for a numeric bandwidth. */
  readonly shape: KernelShape | 'isotropic';
}

/** How the kernel covariance follows the particles: their whole weighted covariance, or only its diagonal. */
export type KernelShape = 'full' | 'diagonal';

/** The cross-validated kernel: centres a·z_r + (1 − a)·mean with a = √(1 − factor²), covariance factor² · L Lᵀ. */
export interface KernelChoice {
  readonly factor: number;
  readonly shape: KernelShape;
  /** Lower-triangular L (d × d, row-major) with L Lᵀ = S. */
  readonly cholesky: Float64Array;
  /** The particles' weighted mean (transformed space), which the centres shrink towards. */
  readonly mean: Float64Array;
  /** a: √(1 − factor²) when the centres are shrunk (the default), 1 when not. */
  readonly shrinkage: number;
  /** The best mean held-out log-likelihood (per unit weight, in the transformed space). */
  readonly score: number;
}

/**
 * `count` draws from a Gaussian kernel density estimate of weighted
 * particles: pick a particle by weight, add a Gaussian perturbation in the
 * support's unconstrained space, map back. This is how sbibm turned its
 * REJ-ABC and SMC-ABC populations (100 to 1,000 particles) into the 10,000
 * samples its C2ST compares (kde_bandwidth "cv" in
 * sbibm/algorithms/sbi/mcabc.py and smcabc.py, sbibm/utils/kde.py):
 * resampling the particles themselves gives clumps of identical rows that a
 * classifier learns to spot.
 *
 * Bandwidth "cv" (the default): the kernel covariance is h²·S, S the
 * particles' weighted covariance (`full`) or its diagonal (`diagonal`), and
 * the kernel centres are shrunk towards the weighted mean z̄,
 * a·z_r + (1 − a)·z̄ with a = √(1 − h²), so the draws have the particles'
 * mean and variances (and, with `full`, their covariance) instead of
 * variances inflated by h² (West 1993, "Approximating posterior
 * distributions by mixtures", JRSS B 55:409-422,
 * doi:10.1111/j.2517-6161.1993.tb01911.x; Liu & West 2001). The shape and
 * the factor h (41 values from 0.01 to 0.95, log-spaced) are the pair that
 * maximises the 20-fold cross-validated weighted log-likelihood of held-out
 * particles (likelihood cross-validation, Silverman 1986, "Density
 * Estimation", §3.4.4). sbibm used one isotropic bandwidth, 0.1 to 0.5
 * times the standard deviation of all values pooled, unshrunk. That is far
 * too wide for a posterior whose parameters have different scales or lie
 * far apart: on SIR (log β and log γ 1.3 apart, posterior sds 0.02 and
 * 0.07) its smallest bandwidth, 0.065, tripled the spread of log β, and
 * C2ST measured the smoothing (0.82 on observation 1) rather than the
 * particles (0.67 resampled by weight). And where the cross-validated h is
 * large (10-D gaussian_linear with an ESS of 20: h ≈ 1), an unshrunk
 * kernel doubles the variance. How particles become 10,000 samples is the
 * benchmark's protocol, not the algorithm's, so the choice lives here.
 *
 * A number for `bandwidth` is an isotropic kernel sd instead (no CV).
 *
 * @param particles rows × dimension, row-major
 */
export function kdeResample(
  particles: Float64Array,
  weights: ArrayLike<number> | undefined,
  transforms: readonly SupportTransform[],
  count: number,
  rng: RandomDraws,
  bandwidth: number | 'cv' = 'cv',
): KdeResampleResult {
  const d = transforms.length;
  const rows = particles.length / d;
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`particles: expected rows of ${d} values, got ${particles.length} values`);
  if (weights !== undefined && weights.length !== rows) throw new RangeError(`weights: expected ${rows} weights, got ${weights.length}`);
  const w = new Float64Array(rows);
  const cumulative = new Float64Array(rows);
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    const v = weights === undefined ? 1 : weights[r];
    if (!(v >= 0)) throw new RangeError(`weights: weight ${r} is not a number >= 0: ${v}`);
    w[r] = v;
    sum += v;
    cumulative[r] = sum;
  }
  if (!(sum > 0)) throw new RangeError('weights: the weights sum to zero');
  if (bandwidth !== 'cv' && !(bandwidth > 0)) throw new RangeError(`bandwidth: expected a number > 0, got ${bandwidth}`);
  const z = new Float64Array(rows * d);
  for (let r = 0; r < rows; r++) for (let k = 0; k < d; k++) z[r * d + k] = transforms[k].forward(particles[r * d + k]);
  let factor: number;
  let factorL: Float64Array;
  let shape: KernelShape | 'isotropic';
  if (bandwidth === 'cv') {
    const choice = crossValidatedKernel(z, d, w, rng);
    factor = choice.factor;
    factorL = choice.cholesky;
    shape = choice.shape;
    // Shrink the centres (see kdeResample): mean and covariance of the draws are the particles'.
    const a = choice.shrinkage;
    for (let r = 0; r < rows; r++) for (let k = 0; k < d; k++) z[r * d + k] = a * z[r * d + k] + (1 - a) * choice.mean[k];
  } else {
    factor = bandwidth;
    factorL = identity(d);
    shape = 'isotropic';
  }
  const samples = new Float64Array(count * d);
  const noise = new Float64Array(d);
  for (let c = 0; c < count; c++) {
    const u = rng.nextDouble() * sum;
    let lo = 0;
    let hi = rows - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    for (let k = 0; k < d; k++) noise[k] = rng.nextNormal();
    for (let k = 0; k < d; k++) {
      let offset = 0;
      for (let j = 0; j <= k; j++) offset += factorL[k * d + j] * noise[j];
      samples[c * d + k] = transforms[k].inverse(z[lo * d + k] + factor * offset);
    }
  }
  return { samples, bandwidth: factor, shape };
}

/** The factors the cross-validation tries: 41 values from 0.01 to 0.95, log-spaced (below 1, as the shrinkage needs). */
const FACTOR_GRID: readonly number[] = Array.from({ length: 41 }, (_, i) => 0.01 * 95 ** (i / 40));

/**
 * The kernel (shape and factor, see kdeResample) with the best
 * `folds`-fold cross-validated weighted held-out log-likelihood of the
 * transformed particles z (rows × d). Each held-out particle t scores
 * w_t · log Σ_{r in the other folds} w_r N(z_t; c_r, h²S) / Σ w_r (c_r the
 * shrunk centre a·z_r + (1 − a)·z̄, a = √(1 − h²)); the
 * shapes are compared on that same scale (log|det L| included). Folds are a
 * shuffle by `rng`, so the choice is reproducible for a seeded rng.
 */
export function crossValidatedKernel(
  z: Float64Array,
  d: number,
  weights: ArrayLike<number> | undefined,
  rng: RandomDraws,
  options: { folds?: number; shrink?: boolean } = {},
): KernelChoice {
  const { folds = 20, shrink = true } = options;
  const rows = z.length / d;
  const w = Float64Array.from({ length: rows }, (_, r) => (weights === undefined ? 1 : weights[r]));
  const shapes: KernelShape[] = d > 1 ? ['full', 'diagonal'] : ['diagonal'];
  const order = Array.from({ length: rows }, (_, i) => i);
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(rng.nextDouble() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const k = Math.min(folds, rows);
  const fold = new Int32Array(rows);
  order.forEach((row, position) => (fold[row] = position % k));
  let best: KernelChoice | undefined;
  for (const shape of shapes) {
    const fitted = covarianceFactor(z, d, w, shape);
    if (!fitted) continue;
    const { cholesky, mean } = fitted;
    // Silverman's rule for a Gaussian, (4 / (n (d + 2)))^(1/(d + 4)), when too few particles to cross-validate.
    if (rows < 4) {
      const factor = Math.min((4 / (rows * (d + 2))) ** (1 / (d + 4)), 0.95);
      return { factor, shape, cholesky, mean, shrinkage: shrink ? Math.sqrt(1 - factor * factor) : 1, score: NaN };
    }
    const scores = heldOutScores(whiten(z, d, cholesky, mean), d, w, fold, k, shrink);
    let logDet = 0;
    for (let c = 0; c < d; c++) logDet += Math.log(cholesky[c * d + c]);
    scores.forEach((score, g) => {
      const total = score - logDet;
      const factor = FACTOR_GRID[g];
      if (!best || total > best.score) best = { factor, shape, cholesky, mean, shrinkage: shrink ? Math.sqrt(1 - factor * factor) : 1, score: total };
    });
  }
  if (!best) throw new RangeError('particles: their covariance has no usable Cholesky factor (non-finite values?)');
  return best;
}

/**
 * The cross-validated factor of an unshrunk kernel (centres at the
 * particles, as in sbibm's KDE) for unweighted z; for one standard normal
 * coordinate it is the bandwidth itself, of the order of Silverman's rule.
 * With shrinkage a Gaussian sample's best factor tends to the grid's top
 * (the shrunk KDE becomes the Gaussian fit), so this is the one to compare
 * with the rules of thumb.
 */
export function crossValidatedBandwidth(z: Float64Array, d: number, rng: RandomDraws, folds = 20): number {
  return crossValidatedKernel(z, d, undefined, rng, { folds, shrink: false }).factor;
}

/**
 * Mean weighted held-out log-likelihood for each factor h of FACTOR_GRID,
 * of whitened, centred rows u (weighted mean 0, covariance I): the kernel
 * of training row r is N(a·u_r, h² I) there, a = √(1 − h²) (1 unshrunk), and
 * |u_t − a·u_r|² = |u_t|² − 2a·u_t·u_r + a²·|u_r|².
 */
function heldOutScores(u: Float64Array, d: number, w: Float64Array, fold: Int32Array, k: number, shrink: boolean): Float64Array {
  const rows = w.length;
  const scores = new Float64Array(FACTOR_GRID.length);
  const logTerms = new Float64Array(rows);
  const dots = new Float64Array(rows);
  const norms = new Float64Array(rows);
  for (let r = 0; r < rows; r++) for (let c = 0; c < d; c++) norms[r] += u[r * d + c] ** 2;
  let heldWeight = 0;
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    let trainWeight = 0;
    for (let r = 0; r < rows; r++) {
      if (fold[r] === f) continue;
      train.push(r);
      trainWeight += w[r];
    }
    if (!(trainWeight > 0)) continue;
    for (let t = 0; t < rows; t++) {
      if (fold[t] !== f || !(w[t] > 0)) continue;
      heldWeight += w[t];
      // Dot products with the training rows once; every factor reuses them.
      for (let i = 0; i < train.length; i++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += u[t * d + c] * u[train[i] * d + c];
        dots[i] = s;
      }
      FACTOR_GRID.forEach((h, g) => {
        const a = shrink ? Math.sqrt(1 - h * h) : 1;
        let max = -Infinity;
        for (let i = 0; i < train.length; i++) {
          const squared = Math.max(norms[t] - 2 * a * dots[i] + a * a * norms[train[i]], 0);
          logTerms[i] = w[train[i]] > 0 ? Math.log(w[train[i]]) - squared / (2 * h * h) : -Infinity;
          if (logTerms[i] > max) max = logTerms[i];
        }
        let total = 0;
        for (let i = 0; i < train.length; i++) total += Math.exp(logTerms[i] - max);
        scores[g] += w[t] * (max + Math.log(total / trainWeight) - d * Math.log(h * Math.sqrt(2 * Math.PI)));
      });
    }
  }
  return scores.map((s) => s / heldWeight);
}

/**
 * Lower Cholesky factor of the weighted covariance of z (`full`) or of its
 * diagonal (`diagonal`); a parameter with no spread gets a tiny one (1e-9
 * of its magnitude) so the kernel stays proper. undefined when the full
 * covariance is not positive definite (collinear particles).
 */
function covarianceFactor(z: Float64Array, d: number, w: Float64Array, shape: KernelShape): { cholesky: Float64Array; mean: Float64Array } | undefined {
  const rows = w.length;
  let total = 0;
  for (const v of w) total += v;
  const mean = new Float64Array(d);
  for (let r = 0; r < rows; r++) for (let c = 0; c < d; c++) mean[c] += (w[r] * z[r * d + c]) / total;
  const s = new Float64Array(d * d);
  for (let r = 0; r < rows; r++) {
    for (let a = 0; a < d; a++) {
      const da = z[r * d + a] - mean[a];
      for (let b = 0; b <= a; b++) s[a * d + b] += (w[r] * da * (z[r * d + b] - mean[b])) / total;
    }
  }
  for (let c = 0; c < d; c++) s[c * d + c] = Math.max(s[c * d + c], (1e-9 * (1 + Math.abs(mean[c]))) ** 2);
  const l = new Float64Array(d * d);
  if (shape === 'diagonal') {
    for (let c = 0; c < d; c++) l[c * d + c] = Math.sqrt(s[c * d + c]);
    return l.every(Number.isFinite) ? { cholesky: l, mean } : undefined;
  }
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      let v = s[a * d + b];
      for (let j = 0; j < b; j++) v -= l[a * d + j] * l[b * d + j];
      if (a === b) {
        if (!(v > 1e-12 * s[a * d + a])) return undefined;
        l[a * d + a] = Math.sqrt(v);
      } else l[a * d + b] = v / l[b * d + b];
    }
  }
  return l.every(Number.isFinite) ? { cholesky: l, mean } : undefined;
}

/** u = L⁻¹ (z − mean) by forward substitution, row by row. */
function whiten(z: Float64Array, d: number, l: Float64Array, mean: Float64Array): Float64Array {
  const rows = z.length / d;
  const u = new Float64Array(z.length);
  for (let r = 0; r < rows; r++) {
    for (let a = 0; a < d; a++) {
      let v = z[r * d + a] - mean[a];
      for (let j = 0; j < a; j++) v -= l[a * d + j] * u[r * d + j];
      u[r * d + a] = v / l[a * d + a];
    }
  }
  return u;
}

function identity(d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let c = 0; c < d; c++) l[c * d + c] = 1;
  return l;
}
