import { EigenvalueDecomposition } from 'ml-matrix';
import type { JointPrior } from '../sample/priors/types.js';
import { InferenceError } from './errors.js';
import type { Generation } from './types.js';
import { effectiveSampleSize } from './weighted.js';

/**
 * How a run adjusts its final particles, as stored in the run's
 * configuration (`config.regressionAdjustment`). The adjusted particles are
 * a deterministic function of the stored final generation, the observed
 * statistics (`config.observed`) and this spec, so a stored run shows the
 * same adjusted posterior every time it is loaded.
 */
export interface RegressionAdjustmentSpec {
  readonly kind: 'localLinear';
  /**
   * Support of each parameter, in the prior's order; null where unbounded.
   * Parameters are regressed on a scale that keeps adjusted values inside
   * it: logit between two bounds, log above a lower one (Beaumont et al. 2002, §2.2).
   */
  readonly lower: readonly (number | null)[];
  readonly upper: readonly (number | null)[];
}

/** What a caller asks for: on/off, or the kind with the transform switched off (regress on the raw scale). */
export type RegressionAdjustmentOption = boolean | { readonly kind?: 'localLinear'; readonly transform?: boolean };

/** What one parameter's regression chose (for reports and tests). */
export interface AdjustmentFit {
  /** Ridge penalty chosen by generalised cross-validation (0 would be plain least squares). */
  readonly penalty: number;
  /** Effective degrees of freedom of the fit, tr(H). */
  readonly degreesOfFreedom: number;
  /** Statistics that varied among the particles and entered the regression. */
  readonly features: number;
  /** Factor applied to the residuals: √(n_e / (n_e − df)). */
  readonly inflation: number;
}

export interface AdjustedGeneration {
  readonly generation: Generation;
  readonly fits: readonly AdjustmentFit[];
}

/**
 * The spec a run stores for `option`, with the support of each parameter
 * (from an IndependentPrior's per-parameter bounds; unbounded otherwise).
 * undefined when the option is off.
 */
export function regressionAdjustmentSpec(
  option: RegressionAdjustmentOption | undefined,
  dimension: number,
  bounds?: (k: number) => readonly [number, number] | undefined,
): RegressionAdjustmentSpec | undefined {
  if (option === undefined || option === false) return undefined;
  const settings = option === true ? {} : option;
  if (typeof settings !== 'object' || settings === null)
    throw new InferenceError(`regressionAdjustment: expected true, false or {"kind": "localLinear", "transform"?: boolean}, got ${JSON.stringify(option)}`);
  if (settings.kind !== undefined && settings.kind !== 'localLinear')
    throw new InferenceError(`regressionAdjustment.kind: expected "localLinear", got ${JSON.stringify(settings.kind)}`);
  const transform = settings.transform ?? true;
  const finite = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : null);
  const lower: (number | null)[] = [];
  const upper: (number | null)[] = [];
  for (let k = 0; k < dimension; k++) {
    const b = transform ? bounds?.(k) : undefined;
    lower.push(finite(b?.[0]));
    upper.push(finite(b?.[1]));
  }
  return { kind: 'localLinear', lower, upper };
}

/**
 * Per-parameter support of a prior that has one (IndependentPrior's
 * `lower` / `upper`); undefined for a joint prior without them.
 */
export function priorBounds(prior: JointPrior): ((k: number) => readonly [number, number]) | undefined {
  const { lower, upper } = prior as Partial<{ lower: ArrayLike<number>; upper: ArrayLike<number> }>;
  if (!lower || !upper || lower.length !== prior.dimension || upper.length !== prior.dimension) return undefined;
  return (k) => [lower[k], upper[k]];
}

/** The stored spec, checked; undefined when the config has none (or it is unusable). */
export function readRegressionAdjustment(value: unknown, dimension: number): RegressionAdjustmentSpec | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const spec = value as Partial<RegressionAdjustmentSpec>;
  if (spec.kind !== 'localLinear' || !Array.isArray(spec.lower) || !Array.isArray(spec.upper)) return undefined;
  if (spec.lower.length !== dimension || spec.upper.length !== dimension) return undefined;
  return spec as RegressionAdjustmentSpec;
}

/** z = g(θ): logit on (lo, hi), log above lo, −log below hi, identity otherwise. */
function toUnbounded(x: number, lo: number | null, hi: number | null): number {
  // A particle exactly on a bound (possible for a point mass at the edge) is moved just inside it.
  if (lo !== null && hi !== null) {
    const span = hi - lo;
    const u = Math.min(Math.max((x - lo) / span, 1e-12), 1 - 1e-12);
    return Math.log(u / (1 - u));
  }
  if (lo !== null) return Math.log(Math.max(x - lo, 1e-300));
  if (hi !== null) return -Math.log(Math.max(hi - x, 1e-300));
  return x;
}

function fromUnbounded(z: number, lo: number | null, hi: number | null): number {
  if (lo !== null && hi !== null) return lo + (hi - lo) / (1 + Math.exp(-z));
  if (lo !== null) return lo + Math.exp(z);
  if (hi !== null) return hi - Math.exp(-z);
  return z;
}

/**
 * Local-linear regression adjustment of a generation's particles.
 *
 * Method: Beaumont, Zhang & Balding (2002), "Approximate Bayesian
 * computation in population genetics", Genetics 162:2025-2035,
 * doi:10.1093/genetics/162.4.2025. Each particle gets the Epanechnikov
 * weight K_i = 1 − (d_i/δ)² (0 beyond δ; δ the generation's threshold) times
 * its importance weight; the (transformed) parameter is regressed on the
 * statistics' offsets s_i − s_obs by weighted least squares, and each
 * particle moves to θ*_i = m(s_obs) + (θ_i − m(s_i)): its residual around the
 * fitted line, carried to the observed statistics.
 *
 * Two additions for the many, correlated statistics of a time-series
 * feature set (49 for one species in the efficient set, against a few
 * hundred particles): the statistics are standardised and the regression is
 * ridge-penalised with the penalty chosen by generalised cross-validation
 * (Golub, Heath & Wahba 1979, doi:10.1080/00401706.1979.10489751; a
 * near-zero penalty, i.e. plain least squares, wins when the fit is
 * well-posed); and the residuals are scaled by √(n_e / (n_e − df)) so their
 * spread is the unbiased residual variance rather than the in-sample one,
 * which a fit with df effective parameters shrinks by (n_e − df)/n_e
 * (Hastie, Tibshirani & Friedman 2009, The Elements of Statistical
 * Learning, §7.6). n_e is the Kish effective sample size of the weights.
 */
export function adjustGeneration(generation: Generation, observed: ArrayLike<number>, spec: RegressionAdjustmentSpec): AdjustedGeneration {
  const { count: n, dimension: d, featureCount: f } = generation;
  if (observed.length !== f) throw new InferenceError(`regression adjustment: ${f} statistics per particle but ${observed.length} observed`);
  const weights = kernelWeights(generation);
  const ne = effectiveSampleSize(weights);
  // Standardised offsets of the statistics that vary among the weighted particles.
  const columns: number[] = [];
  const centre: number[] = [];
  const scale: number[] = [];
  for (let c = 0; c < f; c++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += weights[i] * (generation.features[i * f + c] - observed[c]);
    let v = 0;
    for (let i = 0; i < n; i++) v += weights[i] * (generation.features[i * f + c] - observed[c] - m) ** 2;
    const sd = Math.sqrt(v);
    if (Number.isFinite(sd) && sd > 1e-12 * (1 + Math.abs(m))) {
      columns.push(c);
      centre.push(m);
      scale.push(sd);
    }
  }
  const p = columns.length;
  // x̃_i = √w_i (s_i − s_obs − m)/sd, row-major n × p; x̃_obs = (0 − m)/sd.
  const x = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const r = Math.sqrt(weights[i]);
    for (let j = 0; j < p; j++) x[i * p + j] = (r * (generation.features[i * f + columns[j]] - observed[columns[j]] - centre[j])) / scale[j];
  }
  const xObserved = Float64Array.from(centre, (m, j) => -m / scale[j]);
  const gram = new Float64Array(p * p);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < p; a++) {
      const xa = x[i * p + a];
      if (xa === 0) continue;
      for (let b = 0; b <= a; b++) gram[a * p + b] += xa * x[i * p + b];
    }
  }
  const rows = Array.from({ length: p }, (_, a) => Array.from({ length: p }, (_, b) => (b <= a ? gram[a * p + b] : gram[b * p + a])));
  const evd = p > 0 ? new EigenvalueDecomposition(rows, { assumeSymmetric: true }) : undefined;
  const eigenvalues = evd ? evd.realEigenvalues.map((v) => Math.max(v, 0)) : [];
  const vectors = evd ? evd.eigenvectorMatrix.to2DArray() : [];

  const particles = new Float64Array(n * d);
  const fits: AdjustmentFit[] = [];
  const z = new Float64Array(n);
  for (let k = 0; k < d; k++) {
    const lo = spec.lower[k];
    const hi = spec.upper[k];
    let mean = 0;
    for (let i = 0; i < n; i++) mean += weights[i] * (z[i] = toUnbounded(generation.particles[i * d + k], lo, hi));
    // b = X̃ᵀ √w (z − z̄); c = Vᵀ b; Syy = Σ w (z − z̄)².
    const b = new Float64Array(p);
    let syy = 0;
    for (let i = 0; i < n; i++) {
      const r = Math.sqrt(weights[i]) * (z[i] - mean);
      syy += r * r;
      for (let j = 0; j < p; j++) b[j] += x[i * p + j] * r;
    }
    const c = eigenvalues.map((_, e) => {
      let s = 0;
      for (let j = 0; j < p; j++) s += vectors[j][e] * b[j];
      return s;
    });
    const fit = choosePenalty(eigenvalues, c, syy, ne);
    // β = V diag(1/(λ_e + penalty)) c, in the standardised coordinates.
    const beta = new Float64Array(p);
    eigenvalues.forEach((lambda, e) => {
      const g = lambda + fit.penalty > 0 ? c[e] / (lambda + fit.penalty) : 0;
      for (let j = 0; j < p; j++) beta[j] += vectors[j][e] * g;
    });
    let atObserved = mean;
    for (let j = 0; j < p; j++) atObserved += beta[j] * xObserved[j];
    for (let i = 0; i < n; i++) {
      let fitted = mean;
      for (let j = 0; j < p; j++) fitted += (beta[j] * (generation.features[i * f + columns[j]] - observed[columns[j]] - centre[j])) / scale[j];
      particles[i * d + k] = fromUnbounded(atObserved + fit.inflation * (z[i] - fitted), lo, hi);
    }
    fits.push({ ...fit, features: p });
  }
  return { generation: { ...generation, particles, weights, ess: ne }, fits };
}

/**
 * Importance weight times the Epanechnikov kernel of the distance, normalised.
 * δ is the generation's threshold (its largest distance when it has none);
 * with every weight zero (all particles on the boundary) the importance weights are kept.
 */
function kernelWeights(generation: Generation): Float64Array {
  const { count: n, distances } = generation;
  let delta = generation.epsilon;
  if (!(Number.isFinite(delta) && delta > 0)) {
    delta = 0;
    for (const v of distances) if (v > delta) delta = v;
  }
  const w = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const u = delta > 0 ? distances[i] / delta : 0;
    const k = u < 1 ? 1 - u * u : 0;
    sum += w[i] = generation.weights[i] * (Number.isNaN(u) ? 0 : k);
  }
  if (!(sum > 0)) {
    w.set(generation.weights);
    sum = w.reduce((s, v) => s + v, 0);
  }
  for (let i = 0; i < n; i++) w[i] /= sum;
  return w;
}

/**
 * The ridge penalty minimising GCV(λ) = RSS(λ) / (1 − df(λ)/n_e)² over a
 * log grid from 1e-8 to 1e2 times the mean eigenvalue, with, in the
 * eigenbasis of X̃ᵀX̃ (eigenvalues λ_e, projections c_e of X̃ᵀ√w z):
 * RSS(λ) = Syy − Σ c_e² (λ_e + 2λ)/(λ_e + λ)² and df(λ) = Σ λ_e/(λ_e + λ).
 * Penalties that leave fewer than two effective degrees of freedom for the
 * residuals are not considered; with none left, nothing is adjusted.
 */
function choosePenalty(eigenvalues: readonly number[], c: readonly number[], syy: number, ne: number): Omit<AdjustmentFit, 'features'> {
  const meanEigenvalue = eigenvalues.reduce((s, v) => s + v, 0) / Math.max(eigenvalues.length, 1);
  if (!(meanEigenvalue > 0) || !(syy > 0)) return { penalty: Infinity, degreesOfFreedom: 0, inflation: 1 };
  let best = { penalty: Infinity, degreesOfFreedom: 0, inflation: 1 };
  let bestScore = Infinity;
  for (let step = -32; step <= 8; step++) {
    const penalty = meanEigenvalue * 10 ** (step / 4);
    let rss = syy;
    let df = 0;
    eigenvalues.forEach((lambda, e) => {
      rss -= (c[e] * c[e] * (lambda + 2 * penalty)) / (lambda + penalty) ** 2;
      df += lambda / (lambda + penalty);
    });
    if (ne - df < 2) continue;
    const score = Math.max(rss, 0) / (1 - df / ne) ** 2;
    if (score < bestScore) {
      bestScore = score;
      best = { penalty, degreesOfFreedom: df, inflation: Math.sqrt(ne / (ne - df)) };
    }
  }
  return best;
}
