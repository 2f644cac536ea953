import { choleskySolve, choleskyWithJitter } from './linalg/cholesky.js';
import { covarianceMatrix, crossCovariance, kernelProfile, scaleByLengths, type KernelKind } from './kernels.js';
import { fitHyperparameters } from './fitHyperparameters.js';
import {
  gaussianProcessJsonSchema,
  gaussianProcessOptionsSchema,
  type GaussianProcessJson,
  type GaussianProcessOptions,
  type GpHyperparameters,
} from './gpOptions.js';
import { applyInputScaling, assertFinite, fitInputScaling, fitOutputScaling, toRowMajor, type InputScaling, type OutputScaling } from './scaling.js';
import { SurrogateError } from './SurrogateError.js';
import { parseOptions } from './validation.js';

/** Rows to predict: a flat row-major Float64Array (m × d) or an array of rows. */
export type Rows = Float64Array | ReadonlyArray<ArrayLike<number>>;

export interface Prediction {
  /** Predictive mean per row, in output units. */
  mean: Float64Array;
  /** Predictive variance per row, in output units: of the latent f, plus σ_n² when includeNoise. */
  variance: Float64Array;
}

interface GpState {
  kernel: KernelKind;
  dimension: number;
  inputScaling: InputScaling;
  outputScaling: OutputScaling;
  hyperparameters: GpHyperparameters;
  logMarginalLikelihood: number | null;
  x: Float64Array;
  y: Float64Array;
}

/** Points predicted per block: keeps the n × block work matrix in cache-friendly size. */
const BLOCK = 256;

/**
 * Gaussian-process regression with a zero-mean prior on standardised
 * outputs (Rasmussen & Williams 2006, GPML, ch. 2 and 5,
 * http://gaussianprocess.org/gpml/): inputs scaled (unit box or
 * standardised), hyperparameters by type-II maximum likelihood
 * (fitHyperparameters), prediction by GPML alg. 2.1:
 * mean = k*ᵀ α, variance = k(x*, x*) − |L⁻¹ k*|².
 *
 * Immutable once built: `fit` learns hyperparameters, `withObservations`
 * conditions on more data with the same hyperparameters (Kriging believer,
 * cheap refits), `toJSON`/`fromJSON` store and rebuild it exactly.
 */
export class GaussianProcess {
  readonly kind = 'gaussianProcess';
  readonly kernel: KernelKind;
  readonly dimension: number;
  /** Number of training points. */
  readonly size: number;
  /** Hyperparameters in normalised units (scaled inputs, standardised outputs). */
  readonly hyperparameters: GpHyperparameters;
  /** log p(y | X, θ) of the standardised outputs; null when not computed (rebuilt without fitting). */
  readonly logMarginalLikelihood: number | null;
  readonly inputScaling: InputScaling;
  readonly outputScaling: OutputScaling;
  private readonly x: Float64Array;
  private readonly y: Float64Array;
  /** Training inputs, scaled and divided by the length scales. */
  private readonly z: Float64Array;
  private readonly cholesky: Float64Array;
  private readonly alpha: Float64Array;

  private constructor(state: GpState) {
    this.kernel = state.kernel;
    this.dimension = state.dimension;
    this.size = state.y.length;
    this.hyperparameters = state.hyperparameters;
    this.logMarginalLikelihood = state.logMarginalLikelihood;
    this.inputScaling = state.inputScaling;
    this.outputScaling = state.outputScaling;
    this.x = state.x;
    this.y = state.y;
    const n = this.size;
    const d = this.dimension;
    const { lengthScales, signalVariance, noiseVariance } = state.hyperparameters;
    this.z = scaleByLengths(applyInputScaling(state.inputScaling, state.x, n, d), n, d, lengthScales);
    const k = covarianceMatrix(kernelProfile(state.kernel), this.z, n, d, signalVariance);
    for (let i = 0; i < n; i++) k[i * n + i] += noiseVariance;
    this.cholesky = choleskyWithJitter(k, n).l;
    const ys = new Float64Array(n);
    for (let i = 0; i < n; i++) ys[i] = (state.y[i] - state.outputScaling.mean) / state.outputScaling.sd;
    this.alpha = choleskySolve(this.cholesky, n, ys);
  }

  /** Fits a GP to inputs `x` (rows) and outputs `y`; see gaussianProcessOptionsSchema for the options. */
  static fit(x: Rows, y: ArrayLike<number>, options: GaussianProcessOptions = {}): GaussianProcess {
    const o = parseOptions(gaussianProcessOptionsSchema, options, 'gp', 'Gaussian-process options');
    const rows = toRowMajor('GaussianProcess.fit', 'x', x, o.dimension ?? o.bounds?.length);
    const { n, d } = rows;
    if (n < 1) throw new SurrogateError('GaussianProcess.fit', 'x', 'expected at least one training point');
    if (y.length !== n) throw new SurrogateError('GaussianProcess.fit', 'y', `expected ${n} values (one per row of x), got ${y.length}`);
    assertFinite('GaussianProcess.fit', 'y', y);
    if (o.dimension !== undefined && o.dimension !== d)
      throw new SurrogateError('GaussianProcess.fit', 'x', `expected rows of ${o.dimension} values, got ${d}`);
    if (o.bounds && o.bounds.length !== d)
      throw new SurrogateError('GaussianProcess.fit', 'bounds', `expected ${d} [lower, upper] pairs (one per input), got ${o.bounds.length}`);
    if (o.initial && o.initial.lengthScales.length !== (o.ard ? d : 1) && o.initial.lengthScales.length !== d) {
      throw new SurrogateError('GaussianProcess.fit', 'initial.lengthScales', `expected ${o.ard ? d : 1} length scales, got ${o.initial.lengthScales.length}`);
    }
    if (!o.optimise && !o.initial) throw new SurrogateError('GaussianProcess.fit', 'optimise', 'optimise: false needs initial hyperparameters');
    const inputScaling = fitInputScaling(o.inputScaling, rows.data, n, d, o.bounds);
    const outputScaling = fitOutputScaling(y);
    const xs = applyInputScaling(inputScaling, rows.data, n, d);
    const ys = new Float64Array(n);
    for (let i = 0; i < n; i++) ys[i] = (y[i] - outputScaling.mean) / outputScaling.sd;
    const fixedNoise = o.noiseVariance === undefined ? undefined : o.noiseVariance / outputScaling.sd ** 2;
    const fit = fitHyperparameters(xs, n, d, ys, o, fixedNoise);
    return new GaussianProcess({
      kernel: o.kernel,
      dimension: d,
      inputScaling,
      outputScaling,
      hyperparameters: fit.hyperparameters,
      logMarginalLikelihood: fit.logMarginalLikelihood,
      x: Float64Array.from(rows.data),
      y: Float64Array.from(y),
    });
  }

  /** Noise variance σ_n² in output units. */
  get noiseVariance(): number {
    return this.hyperparameters.noiseVariance * this.outputScaling.sd ** 2;
  }

  /** Training inputs (row-major, original units) and outputs: copies. */
  training(): { x: Float64Array; y: Float64Array } {
    return { x: Float64Array.from(this.x), y: Float64Array.from(this.y) };
  }

  /**
   * Predictive mean and variance at each row of `x`. Work per point: O(n d)
   * for the cross-covariance and O(n²) for the triangular solve, done for a
   * block of points at once so the inner loop runs over contiguous memory.
   */
  predict(x: Rows, options: { includeNoise?: boolean } = {}): Prediction {
    const d = this.dimension;
    const rows = toRowMajor('GaussianProcess.predict', 'x', x, d);
    if (rows.d !== d) throw new SurrogateError('GaussianProcess.predict', 'x', `expected rows of ${d} values, got ${rows.d}`);
    const m = rows.n;
    const n = this.size;
    const { lengthScales, signalVariance } = this.hyperparameters;
    const zs = scaleByLengths(applyInputScaling(this.inputScaling, rows.data, m, d), m, d, lengthScales);
    const profile = kernelProfile(this.kernel);
    const mean = new Float64Array(m);
    const variance = new Float64Array(m);
    const { mean: mu, sd } = this.outputScaling;
    const noise = options.includeNoise ? this.hyperparameters.noiseVariance : 0;
    const l = this.cholesky;
    const kStar = new Float64Array(BLOCK * n);
    const v = new Float64Array(n * BLOCK);
    for (let start = 0; start < m; start += BLOCK) {
      const c = Math.min(BLOCK, m - start);
      crossCovariance(profile, zs.subarray(start * d, (start + c) * d), c, this.z, n, d, signalVariance, kStar);
      for (let i = 0; i < c; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += kStar[i * n + j] * this.alpha[j];
        mean[start + i] = mu + sd * s;
      }
      // V = L⁻¹ K*ᵀ (n × c), row r: (K*ᵀ[r] − Σ_{k<r} L[r,k] V[k]) / L[r,r].
      for (let r = 0; r < n; r++) {
        const vr = r * c;
        for (let i = 0; i < c; i++) v[vr + i] = kStar[i * n + r];
        for (let k = 0; k < r; k++) {
          const lrk = l[r * n + k];
          if (lrk === 0) continue;
          const vk = k * c;
          for (let i = 0; i < c; i++) v[vr + i] -= lrk * v[vk + i];
        }
        const inv = 1 / l[r * n + r];
        for (let i = 0; i < c; i++) v[vr + i] *= inv;
      }
      for (let i = 0; i < c; i++) {
        let q = 0;
        for (let r = 0; r < n; r++) q += v[r * c + i] * v[r * c + i];
        variance[start + i] = (Math.max(signalVariance - q, 0) + noise) * sd * sd;
      }
    }
    return { mean, variance };
  }

  /**
   * This GP conditioned on extra observations, with the same hyperparameters
   * and scalings (no refit): cheap updates between refits, and the Kriging
   * believer of batch acquisition.
   */
  withObservations(x: Rows, y: ArrayLike<number>): GaussianProcess {
    const rows = toRowMajor('GaussianProcess.withObservations', 'x', x, this.dimension);
    if (y.length !== rows.n) throw new SurrogateError('GaussianProcess.withObservations', 'y', `expected ${rows.n} values, got ${y.length}`);
    assertFinite('GaussianProcess.withObservations', 'y', y);
    const xAll = new Float64Array(this.x.length + rows.data.length);
    xAll.set(this.x);
    xAll.set(rows.data, this.x.length);
    const yAll = new Float64Array(this.size + rows.n);
    yAll.set(this.y);
    yAll.set(Array.from(y), this.size);
    return new GaussianProcess({ ...this.state(), logMarginalLikelihood: null, x: xAll, y: yAll });
  }

  toJSON(): GaussianProcessJson {
    const s = this.state();
    return {
      kind: 'gaussianProcess',
      version: 1,
      kernel: s.kernel,
      dimension: s.dimension,
      inputScaling: { kind: s.inputScaling.kind, offset: [...s.inputScaling.offset], scale: [...s.inputScaling.scale] },
      outputScaling: { ...s.outputScaling },
      hyperparameters: { ...s.hyperparameters, lengthScales: [...s.hyperparameters.lengthScales] },
      logMarginalLikelihood: s.logMarginalLikelihood,
      x: Array.from(s.x),
      y: Array.from(s.y),
    };
  }

  /** Rebuilds a GP from `toJSON()` output; predictions are identical to the original's. */
  static fromJSON(json: unknown): GaussianProcess {
    const j = parseOptions(gaussianProcessJsonSchema, json, 'gaussianProcess', 'stored Gaussian process');
    const d = j.dimension;
    const check = (field: string, length: number, expected: number) => {
      if (length !== expected) throw new SurrogateError('GaussianProcess.fromJSON', field, `expected ${expected} values, got ${length}`);
    };
    check('inputScaling.offset', j.inputScaling.offset.length, d);
    check('inputScaling.scale', j.inputScaling.scale.length, d);
    check('hyperparameters.lengthScales', j.hyperparameters.lengthScales.length, d);
    check('x', j.x.length, j.y.length * d);
    return new GaussianProcess({
      kernel: j.kernel,
      dimension: d,
      inputScaling: j.inputScaling,
      outputScaling: j.outputScaling,
      hyperparameters: j.hyperparameters,
      logMarginalLikelihood: j.logMarginalLikelihood,
      x: Float64Array.from(j.x),
      y: Float64Array.from(j.y),
    });
  }

  private state(): GpState {
    return {
      kernel: this.kernel,
      dimension: this.dimension,
      inputScaling: this.inputScaling,
      outputScaling: this.outputScaling,
      hyperparameters: this.hyperparameters,
      logMarginalLikelihood: this.logMarginalLikelihood,
      x: this.x,
      y: this.y,
    };
  }
}
