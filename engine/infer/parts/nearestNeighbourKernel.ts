import type { PartSpec } from '../../stats/types.js';
import { InferenceError } from '../errors.js';
import { weightedCovariance } from '../linalg.js';
import { PerParticleGaussianKernel } from './perParticleGaussianKernel.js';
import type { KernelContext } from '../types.js';

/**
 * Gaussian kernel whose covariance follows the posterior's local shape:
 * particle j moves with Σ_j = scale · Σ_i ω̃_i (θ_i − θ_j)(θ_i − θ_j)ᵀ, the
 * sum over its k nearest neighbours in the last generation (ω̃ their
 * weights, renormalised), k = fraction · n but at least max(d + 1, 10).
 * Neighbours are nearest in coordinates scaled by the weighted standard
 * deviations, so parameters of different units count alike; ties go to the
 * lower index, so the kernel is a deterministic function of the generation.
 *
 * Method: the local transition of pyABC, Klinger, Rickert & Hasenauer
 * (2018), "pyABC: distributed, likelihood-free inference", Bioinformatics
 * 34:3591-3593, doi:10.1093/bioinformatics/bty361; a local covariance in
 * the spirit of Filippi et al. (2013, doi:10.1515/sagmb-2012-0069). A
 * global covariance proposes across the gap of a curved or multimodal
 * posterior (two moons) where nothing is accepted; the local one follows
 * the ridge. 1e-4 of the global covariance's diagonal is added so that
 * coinciding neighbours (copies of one particle) still move.
 */
export class NearestNeighbourKernel extends PerParticleGaussianKernel {
  readonly kind = 'nearestNeighbour';
  readonly fraction: number;
  readonly scale: number;

  constructor(options: { fraction?: number; scale?: number } = {}) {
    super();
    this.fraction = options.fraction ?? 0.25;
    this.scale = options.scale ?? 2;
    if (!(this.fraction > 0 && this.fraction <= 1)) throw new InferenceError(`kernel.fraction: expected a number in (0, 1], got ${this.fraction}`);
    if (!(this.scale > 0)) throw new InferenceError(`kernel.scale: expected a number > 0, got ${this.scale}`);
  }

  update({ last }: KernelContext): void {
    const d = last.dimension;
    const n = last.count;
    this.reset(n, d);
    const x = last.particles;
    const global = weightedCovariance(x, last.weights, d);
    const unit = Float64Array.from({ length: d }, (_, a) => (global[a * d + a] > 0 ? 1 / Math.sqrt(global[a * d + a]) : 1));
    const k = Math.min(n - 1, Math.max(Math.floor(this.fraction * n), d + 1, 10));
    const order = Array.from({ length: n }, (_, i) => i);
    const squared = new Float64Array(n);
    const sigma = new Float64Array(d * d);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let a = 0; a < d; a++) s += ((x[i * d + a] - x[j * d + a]) * unit[a]) ** 2;
        squared[i] = i === j ? Infinity : s;
      }
      order.sort((a, b) => squared[a] - squared[b] || a - b);
      sigma.fill(0);
      let total = 0;
      for (let r = 0; r < k; r++) total += last.weights[order[r]];
      for (let r = 0; r < k; r++) {
        const i = order[r];
        const w = total > 0 ? last.weights[i] / total : 1 / k;
        for (let a = 0; a < d; a++) {
          const da = x[i * d + a] - x[j * d + a];
          for (let b = 0; b <= a; b++) sigma[a * d + b] += w * da * (x[i * d + b] - x[j * d + b]);
        }
      }
      for (let a = 0; a < d; a++) {
        sigma[a * d + a] += 1e-4 * global[a * d + a];
        for (let b = 0; b <= a; b++) sigma[b * d + a] = sigma[a * d + b] *= this.scale;
      }
      this.setCovariance(j, sigma);
    }
  }

  toJSON(): PartSpec {
    return { kind: this.kind, fraction: this.fraction, scale: this.scale };
  }
}
