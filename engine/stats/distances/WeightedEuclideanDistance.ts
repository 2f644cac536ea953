import { FeatureShapeError } from '../errors.js';
import type { Distance, DistanceContext, PartSpec } from '../types.js';
import { checkLengths } from './checkLengths.js';
import { observedNaNWarnings } from './nanPolicy.js';

export interface WeightedEuclideanDistanceSpec extends PartSpec {
  readonly kind: 'weighted-euclidean';
  readonly weights: readonly number[];
}

/**
 * d(x, y) = sqrt(sum_j w_j (x_j - y_j)^2) with given non-negative weights
 * (w_j = 1 / s_j^2 standardises by scales s_j; w_j = 0 drops a feature),
 * over the features whose observed value is defined (see nanPolicy.ts).
 */
export class WeightedEuclideanDistance implements Distance {
  readonly kind = 'weighted-euclidean';
  readonly warnings: string[] = [];
  readonly weights: Float64Array;

  constructor(weights: ArrayLike<number>) {
    this.weights = Float64Array.from(weights);
  }

  initialize(context: DistanceContext): void {
    if (context.observed.length !== this.weights.length)
      throw new FeatureShapeError('weighted-euclidean distance: observed features (one per weight)', this.weights.length, context.observed.length);
    this.warnings.push(...observedNaNWarnings(this.kind, context.observed));
  }

  distance(features: Float64Array, observed: Float64Array): number {
    checkLengths(this.kind, features, observed);
    if (observed.length !== this.weights.length)
      throw new FeatureShapeError('weighted-euclidean distance: features (one per weight)', this.weights.length, observed.length);
    const w = this.weights;
    let s = 0;
    for (let j = 0; j < observed.length; j++) {
      const y = observed[j];
      if (y !== y || w[j] === 0) continue;
      const x = features[j];
      if (x !== x) return Infinity;
      s += w[j] * (x - y) * (x - y);
    }
    return Math.sqrt(s);
  }

  toJSON(): WeightedEuclideanDistanceSpec {
    return { kind: 'weighted-euclidean', weights: Array.from(this.weights) };
  }
}
