import { NormalisableDistance, type NormalisableDistanceSpec } from './NormalisableDistance.js';

export type { NormalisableDistanceOptions } from './NormalisableDistance.js';
export type EuclideanDistanceSpec = NormalisableDistanceSpec<'euclidean'>;

/** d(x, y) = sqrt(sum_j (x_j - y_j)^2), optionally max-normalised (see NormalisableDistance). */
export class EuclideanDistance extends NormalisableDistance<'euclidean'> {
  readonly kind = 'euclidean';

  protected combine(features: Float64Array, observed: Float64Array): number {
    let s = 0;
    for (let j = 0; j < observed.length; j++) {
      const y = observed[j];
      if (y !== y) continue;
      const x = features[j];
      if (x !== x) return Infinity;
      const d = this.maxNormalisation ? (x - y) / this.scale.divisor(j) : x - y;
      s += d * d;
    }
    return Math.sqrt(s);
  }
}
