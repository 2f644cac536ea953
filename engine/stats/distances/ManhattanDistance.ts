import { NormalisableDistance, type NormalisableDistanceSpec } from './NormalisableDistance.js';

export type ManhattanDistanceSpec = NormalisableDistanceSpec<'manhattan'>;

/** d(x, y) = sum_j |x_j - y_j|, optionally max-normalised (see NormalisableDistance). */
export class ManhattanDistance extends NormalisableDistance<'manhattan'> {
  readonly kind = 'manhattan';

  protected combine(features: Float64Array, observed: Float64Array): number {
    let s = 0;
    for (let j = 0; j < observed.length; j++) {
      const y = observed[j];
      if (y !== y) continue;
      const x = features[j];
      if (x !== x) return Infinity;
      s += this.maxNormalisation ? Math.abs(x - y) / this.scale.divisor(j) : Math.abs(x - y);
    }
    return s;
  }
}
