import type { RandomSource } from '../../sample/priors/types.js';
import type { PartSpec } from '../../stats/types.js';
import { cholesky, drawMultivariateNormal as drawMvn, LOG_2PI, logDetFromCholesky, mahalanobisSquared } from '../linalg.js';
import type { KernelContext, PerturbationKernel } from '../types.js';

/**
 * A kernel with one Gaussian per particle of the last generation: subclasses
 * choose each particle's covariance in update() and hand it to setCovariance;
 * drawing and the density are shared.
 */
export abstract class PerParticleGaussianKernel implements PerturbationKernel {
  abstract readonly kind: string;
  protected d = 0;
  private factors: Float64Array[] = [];
  private logNormalisers = new Float64Array(0);
  private scratch = new Float64Array(0);
  private diff = new Float64Array(0);

  abstract update(context: KernelContext): void;
  abstract toJSON(): PartSpec;

  /** Start a generation of `count` particles in dimension `d`. */
  protected reset(count: number, d: number): void {
    this.d = d;
    this.factors = new Array(count);
    this.logNormalisers = new Float64Array(count);
    this.scratch = new Float64Array(d);
    this.diff = new Float64Array(d);
  }

  /** Particle j's kernel covariance (d × d, row-major; copied into its Cholesky factor). */
  protected setCovariance(j: number, sigma: Float64Array): void {
    const l = cholesky(sigma, this.d);
    this.factors[j] = l;
    this.logNormalisers[j] = -0.5 * (this.d * LOG_2PI + logDetFromCholesky(l, this.d));
  }

  perturb(center: Float64Array, index: number, rng: RandomSource, out: Float64Array): void {
    drawMvn(center, this.factors[index], this.d, rng, this.scratch, out);
  }

  logDensity(x: Float64Array, center: Float64Array, index: number): number {
    for (let k = 0; k < this.d; k++) this.diff[k] = x[k] - center[k];
    return this.logNormalisers[index] - 0.5 * mahalanobisSquared(this.factors[index], this.d, this.diff, this.scratch);
  }
}
