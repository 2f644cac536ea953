import type { RandomSource } from '../../sample/priors/types.js';
import type { PartSpec } from '../../stats/types.js';
import { InferenceError } from '../errors.js';
import { cholesky, drawMultivariateNormal as drawMvn, LOG_2PI, logDetFromCholesky, mahalanobisSquared, weightedCovariance, weightedMean } from '../linalg.js';
import { effectiveSampleSize } from '../weighted.js';
import type { Generation, KernelContext, PerturbationKernel } from '../types.js';
import { NearestNeighbourKernel } from './nearestNeighbourKernel.js';
import { PerParticleGaussianKernel } from './perParticleGaussianKernel.js';

/** A kernel bandwidth rule: a fixed factor, or one of the rules of thumb that shrink with the population. */
export type CovarianceScale = number | 'silverman' | 'scott';

/**
 * The factor h² that multiplies the weighted covariance, for n effective
 * particles in d dimensions. Silverman's rule of thumb for a Gaussian
 * product kernel, h = (4 / (n (d + 2)))^(1/(d+4)), and Scott's, h =
 * n^(−1/(d+4)) (Silverman 1986, Density Estimation for Statistics and Data
 * Analysis, eq. 4.14; Scott 1992, Multivariate Density Estimation, §6.3):
 * the bandwidths pyABC's MultivariateNormalTransition offers. They give
 * narrower kernels than Beaumont's factor 2 (for 1,000 particles in 2
 * dimensions, h² = 0.18): more of the proposals are accepted, at the cost of
 * weights that vary more.
 */
export function covarianceFactor(scale: CovarianceScale, n: number, d: number): number {
  if (scale === 'silverman') return (4 / (n * (d + 2))) ** (2 / (d + 4));
  if (scale === 'scott') return n ** (-2 / (d + 4));
  return scale;
}

function checkScale(scale: CovarianceScale): CovarianceScale {
  if (scale === 'silverman' || scale === 'scott' || (typeof scale === 'number' && scale > 0)) return scale;
  throw new InferenceError(`kernel.scale: expected a number > 0, "silverman" or "scott", got ${JSON.stringify(scale)}`);
}

/**
 * Multivariate normal random-walk kernel whose covariance is `scale` times
 * the weighted covariance of the last generation.
 *
 * Method: Beaumont, Cornuet, Marin & Robert (2009), "Adaptive approximate
 * Bayesian computation", Biometrika 96:983-990, doi:10.1093/biomet/asp052:
 * twice the weighted empirical covariance (scale = 2) minimises the
 * Kullback-Leibler divergence between proposal and target for a Gaussian kernel.
 */
export class MultivariateNormalKernel implements PerturbationKernel {
  readonly kind = 'multivariateNormal';
  readonly scale: CovarianceScale;
  private d = 0;
  private l: Float64Array = new Float64Array(0);
  private logNormaliser = 0;
  private scratch = new Float64Array(0);
  private diff = new Float64Array(0);

  constructor(options: { scale?: CovarianceScale } = {}) {
    this.scale = checkScale(options.scale ?? 2);
  }

  update({ last }: KernelContext): void {
    const d = (this.d = last.dimension);
    const cov = weightedCovariance(last.particles, last.weights, d);
    const factor = covarianceFactor(this.scale, effectiveSampleSize(last.weights), d);
    for (let k = 0; k < cov.length; k++) cov[k] *= factor;
    this.l = cholesky(cov, d);
    this.logNormaliser = -0.5 * (d * LOG_2PI + logDetFromCholesky(this.l, d));
    this.scratch = new Float64Array(d);
    this.diff = new Float64Array(d);
  }

  perturb(center: Float64Array, _index: number, rng: RandomSource, out: Float64Array): void {
    drawMvn(center, this.l, this.d, rng, this.scratch, out);
  }

  logDensity(x: Float64Array, center: Float64Array): number {
    for (let k = 0; k < this.d; k++) this.diff[k] = x[k] - center[k];
    return this.logNormaliser - 0.5 * mahalanobisSquared(this.l, this.d, this.diff, this.scratch);
  }

  toJSON(): PartSpec {
    return { kind: this.kind, scale: this.scale };
  }
}

/**
 * Multivariate normal kernel with the optimal local covariance matrix (OLCM):
 * particle j moves with Σ_j = Σ_k ω̃_k (θ_k − θ_j)(θ_k − θ_j)ᵀ, the sum over
 * the last generation's particles that the next threshold would accept, ω̃
 * their renormalised weights; equivalently Σ_j = C̃ + (m̃ − θ_j)(m̃ − θ_j)ᵀ.
 *
 * Method: Filippi, Barnes, Cornebise & Stumpf (2013), "On optimality of
 * kernels for approximate Bayesian computation using sequential Monte
 * Carlo", Stat. Appl. Genet. Mol. Biol. 12:87-107, doi:10.1515/sagmb-2012-0069.
 */
export class LocalCovarianceKernel extends PerParticleGaussianKernel {
  readonly kind = 'localCovariance';

  update({ last, epsilon }: KernelContext): void {
    const d = last.dimension;
    this.reset(last.count, d);
    const subset = acceptedSubset(last, epsilon);
    const weights = Float64Array.from(subset, (i) => last.weights[i]);
    const rows = new Float64Array(subset.length * d);
    subset.forEach((i, r) => rows.set(last.particles.subarray(i * d, (i + 1) * d), r * d));
    const mean = weightedMean(rows, weights, d);
    const base = weightedCovariance(rows, weights, d);
    const sigma = new Float64Array(d * d);
    for (let j = 0; j < last.count; j++) {
      for (let a = 0; a < d; a++) {
        const va = mean[a] - last.particles[j * d + a];
        for (let b = 0; b < d; b++) sigma[a * d + b] = base[a * d + b] + va * (mean[b] - last.particles[j * d + b]);
      }
      this.setCovariance(j, sigma);
    }
  }

  toJSON(): PartSpec {
    return { kind: this.kind };
  }
}

/** Indices with distance <= epsilon; if fewer than max(d + 1, 5), the nearest that many. */
function acceptedSubset(last: Generation, epsilon: number): number[] {
  const within: number[] = [];
  for (let i = 0; i < last.count; i++) if (last.distances[i] <= epsilon) within.push(i);
  const minimum = Math.min(last.count, Math.max(last.dimension + 1, 5));
  if (within.length >= minimum) return within;
  return Array.from({ length: last.count }, (_, i) => i)
    .sort((a, b) => last.distances[a] - last.distances[b])
    .slice(0, minimum);
}

/** Kernel from a part or its JSON; MultivariateNormalKernel(scale 2) by default. */
export function createKernel(spec: PerturbationKernel | PartSpec | undefined): PerturbationKernel {
  if (spec === undefined) return new MultivariateNormalKernel();
  if ('perturb' in spec && typeof spec.perturb === 'function') return spec as PerturbationKernel;
  const s = spec as PartSpec;
  switch (s.kind) {
    case 'multivariateNormal':
      return new MultivariateNormalKernel({ scale: s.scale as CovarianceScale | undefined });
    case 'localCovariance':
      return new LocalCovarianceKernel();
    case 'nearestNeighbour':
      return new NearestNeighbourKernel({ fraction: s.fraction as number | undefined, scale: s.scale as number | undefined });
    default:
      throw new InferenceError(`kernel.kind: unknown kernel ${JSON.stringify(s.kind)}; expected multivariateNormal, localCovariance or nearestNeighbour`);
  }
}
