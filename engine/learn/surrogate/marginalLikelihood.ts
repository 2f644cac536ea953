import { choleskyInverse, choleskySolve, choleskyWithJitter } from './linalg/cholesky.js';
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
 * Method: one O(n³) Cholesky factorisation and one O(n³) inverse; the
 * gradient then costs O(n² d) in a single pass over the pairs (i > j),
 * using ∂K_ij/∂log ℓ_k = σ_f² η(r²_ij) (Δ_k/ℓ_k)², ∂K/∂log σ_f² = K_f and
 * ∂K/∂log σ_n² = σ_n² I.
 *
 * `x` holds the n inputs (n × d row-major, already normalised), `y` the
 * standardised outputs.
 */
export function logMarginalLikelihood(kind: KernelKind, x: Float64Array, n: number, d: number, y: Float64Array, theta: Float64Array, withGradient: boolean): MarginalLikelihood {
  const profile = kernelProfile(kind);
  const lengthScales = new Float64Array(d);
  for (let k = 0; k < d; k++) lengthScales[k] = Math.exp(theta[k]);
  const signalVariance = Math.exp(theta[d]);
  const noiseVariance = Math.exp(theta[d + 1]);
  const z = scaleByLengths(x, n, d, lengthScales);
  const kf = covarianceMatrix(profile, z, n, d, signalVariance);
  const kn = new Float64Array(kf);
  for (let i = 0; i < n; i++) kn[i * n + i] += noiseVariance;
  let l: Float64Array;
  try {
    l = choleskyWithJitter(kn, n).l;
  } catch {
    return { value: -Infinity };
  }
  const alpha = choleskySolve(l, n, new Float64Array(y));
  let value = -0.5 * n * LOG_2PI;
  for (let i = 0; i < n; i++) value -= 0.5 * y[i] * alpha[i] + Math.log(l[i * n + i]);
  if (!withGradient) return { value };

  const kInverse = choleskyInverse(l, n);
  const gradient = new Float64Array(d + 2);
  let traceW = 0;
  let signal = 0;
  for (let i = 0; i < n; i++) {
    const wii = alpha[i] * alpha[i] - kInverse[i * n + i];
    traceW += wii;
    signal += wii * kf[i * n + i];
    for (let j = 0; j < i; j++) {
      // W is symmetric: each off-diagonal pair counts twice.
      const w = 2 * (alpha[i] * alpha[j] - kInverse[i * n + j]);
      const kij = kf[i * n + j];
      signal += w * kij;
      let r2 = 0;
      for (let k = 0; k < d; k++) {
        const t = z[i * d + k] - z[j * d + k];
        r2 += t * t;
      }
      const factor = w * signalVariance * profile.lengthScaleFactor(r2);
      for (let k = 0; k < d; k++) {
        const t = z[i * d + k] - z[j * d + k];
        gradient[k] += factor * t * t;
      }
    }
  }
  for (let k = 0; k < d; k++) gradient[k] *= 0.5;
  gradient[d] = 0.5 * signal;
  gradient[d + 1] = 0.5 * noiseVariance * traceW;
  return { value, gradient };
}
