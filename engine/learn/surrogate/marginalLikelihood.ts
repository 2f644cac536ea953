import { choleskyInPlace, choleskyInverse, choleskySolve } from './linalg/cholesky.js';
import { covarianceMatrix, kernelProfile, scaleByLengths, type KernelKind } from './kernels.js';

/**
 * Log hyperparameters in the order the optimiser sees them:
 * [log ℓ_1 … log ℓ_d, log σ_f², log σ_n²] (d = input dimension).
 */
export interface LogHyperparameters {
  readonly logLengthScales: ArrayLike<number>;
  readonly logSignalVariance: number;
  readonly logNoiseVariance: number;
}

export interface MarginalLikelihood {
  /** log p(y | X, θ). −Infinity when K is not positive definite even with jitter. */
  value: number;
  /** ∂/∂[log ℓ_1 … log ℓ_d, log σ_f², log σ_n²], present when asked for. */
  gradient?: Float64Array;
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * The log marginal likelihood of a zero-mean GP and its gradient with
 * respect to the log hyperparameters (Rasmussen & Williams 2006, GPML,
 * alg. 2.1 and eq. 5.9, http://gaussianprocess.org/gpml/):
 *
 *   log p(y|X,θ) = −½ yᵀα − Σ log L_ii − (n/2) log 2π,  α = K⁻¹y, K = L Lᵀ,
 *   ∂/∂θ_j = ½ tr((ααᵀ − K⁻¹) ∂K/∂θ_j).
 *
 * Method: one Cholesky factorisation K = L Lᵀ (n³/6 multiply-adds), used
 * for α and then, only when the gradient is asked for, for K⁻¹ = L⁻ᵀL⁻¹
 * (n³/3, see choleskyInverse); the gradient then costs O(n² d) in a single
 * pass over the pairs (i > j), W_ij = (ααᵀ − K⁻¹)_ij times each ∂K_ij,
 * using ∂K_ij/∂log ℓ_k = σ_f² η(r²_ij) (Δ_k/ℓ_k)², ∂K/∂log σ_f² = K_f and
 * ∂K/∂log σ_n² = σ_n² I.
 *
 * `x` holds the n inputs (n × d row-major, already normalised), `y` the
 * standardised outputs. `workspace` (see likelihoodWorkspace) holds every
 * n × n buffer, so an optimiser that passes one allocates nothing per
 * evaluation but the gradient; jitter is added as in choleskyWithJitter.
 */
export function logMarginalLikelihood(
  kind: KernelKind,
  x: Float64Array,
  n: number,
  d: number,
  y: Float64Array,
  theta: Float64Array,
  withGradient: boolean,
  workspace: LikelihoodWorkspace = likelihoodWorkspace(n, d),
): MarginalLikelihood {
  const profile = kernelProfile(kind);
  const { lengthScales, z, kf, l, alpha, kInverse, work } = workspace;
  for (let k = 0; k < d; k++) lengthScales[k] = Math.exp(theta[k]);
  const signalVariance = Math.exp(theta[d]);
  const noiseVariance = Math.exp(theta[d + 1]);
  scaleByLengths(x, n, d, lengthScales, z);
  covarianceMatrix(profile, z, n, d, signalVariance, kf);
  // K = K_f + σ_n² I, factorised in place in `l` (with jitter when round-off makes it indefinite).
  let meanDiagonal = 0;
  for (let i = 0; i < n; i++) meanDiagonal += kf[i * n + i] + noiseVariance;
  meanDiagonal /= Math.max(n, 1);
  let factorised = false;
  for (let attempt = -1; attempt <= 6 && !factorised; attempt++) {
    l.set(kf);
    const jitter = attempt < 0 ? 0 : meanDiagonal * 10 ** (attempt - 10);
    for (let i = 0; i < n; i++) l[i * n + i] += noiseVariance + jitter;
    factorised = choleskyInPlace(l, n);
  }
  if (!factorised) return { value: -Infinity };
  alpha.set(y);
  choleskySolve(l, n, alpha);
  let value = -0.5 * n * LOG_2PI;
  for (let i = 0; i < n; i++) value -= 0.5 * y[i] * alpha[i] + Math.log(l[i * n + i]);
  if (!withGradient) return { value };

  choleskyInverse(l, n, kInverse, work);
  const gradient = new Float64Array(d + 2);
  let traceW = 0;
  let signal = 0;
  // One pass over the lower triangle: W_ij = (ααᵀ − K⁻¹)_ij times each ∂K_ij.
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const zi = i * d;
    const ai = alpha[i];
    const wii = ai * ai - kInverse[ri + i];
    traceW += wii;
    signal += wii * kf[ri + i];
    for (let j = 0; j < i; j++) {
      // W is symmetric: each off-diagonal pair counts twice.
      const w = 2 * (ai * alpha[j] - kInverse[ri + j]);
      signal += w * kf[ri + j];
      const zj = j * d;
      let r2 = 0;
      for (let k = 0; k < d; k++) {
        const t = z[zi + k] - z[zj + k];
        r2 += t * t;
      }
      const factor = w * signalVariance * profile.lengthScaleFactor(r2);
      for (let k = 0; k < d; k++) {
        const t = z[zi + k] - z[zj + k];
        gradient[k] += factor * t * t;
      }
    }
  }
  for (let k = 0; k < d; k++) gradient[k] *= 0.5;
  gradient[d] = 0.5 * signal;
  gradient[d + 1] = 0.5 * noiseVariance * traceW;
  return { value, gradient };
}

/** Buffers of one likelihood evaluation (three n × n matrices and a few vectors), reused across an optimisation. */
export interface LikelihoodWorkspace {
  readonly lengthScales: Float64Array<ArrayBuffer>;
  readonly z: Float64Array<ArrayBuffer>;
  readonly kf: Float64Array<ArrayBuffer>;
  readonly l: Float64Array<ArrayBuffer>;
  readonly alpha: Float64Array<ArrayBuffer>;
  readonly kInverse: Float64Array<ArrayBuffer>;
  readonly work: Float64Array<ArrayBuffer>;
}

export function likelihoodWorkspace(n: number, d: number): LikelihoodWorkspace {
  return {
    lengthScales: new Float64Array(d),
    z: new Float64Array(n * d),
    kf: new Float64Array(n * n),
    l: new Float64Array(n * n),
    alpha: new Float64Array(n),
    kInverse: new Float64Array(n * n),
    work: new Float64Array(n * n),
  };
}
