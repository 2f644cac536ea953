import type { Distance, DistanceContext, PartSpec } from '../types.js';
import { checkLengths } from './checkLengths.js';
import { observedNaNWarnings } from './nanPolicy.js';
import { RunningMaxScale } from './RunningMaxScale.js';

export interface NormalisableDistanceOptions {
  /** Divide each feature's difference by its running maximum (Sciope's normalisation). Default false. */
  readonly maxNormalisation?: boolean;
  /** Running maxima to resume from (as toJSON stored them). */
  readonly runningMax?: readonly number[];
}

export interface EuclideanDistanceSpec extends PartSpec {
  readonly kind: 'euclidean';
  readonly maxNormalisation: boolean;
  readonly runningMax?: readonly number[];
}

/**
 * d(x, y) = sqrt(sum_j (x_j - y_j)^2) over the features whose observed value
 * is defined (see nanPolicy.ts), optionally with Sciope's running-max
 * normalisation (see RunningMaxScale.ts), updated from the prior-predictive
 * features in `initialize` and from each generation in `update`.
 */
export class EuclideanDistance implements Distance {
  readonly kind = 'euclidean';
  readonly warnings: string[] = [];
  readonly maxNormalisation: boolean;
  private readonly scale: RunningMaxScale;

  constructor(options: NormalisableDistanceOptions = {}) {
    this.maxNormalisation = options.maxNormalisation ?? false;
    this.scale = new RunningMaxScale(options.runningMax);
  }

  initialize(context: DistanceContext): void {
    this.warnings.push(...observedNaNWarnings(this.kind, context.observed));
    this.update(context);
  }

  update(context: DistanceContext): void {
    if (this.maxNormalisation) this.scale.observe(context.features, context.observed);
  }

  distance(features: Float64Array, observed: Float64Array): number {
    checkLengths(this.kind, features, observed);
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

  toJSON(): EuclideanDistanceSpec {
    const spec: EuclideanDistanceSpec = { kind: 'euclidean', maxNormalisation: this.maxNormalisation };
    return this.maxNormalisation ? { ...spec, runningMax: this.scale.toJSON() } : spec;
  }
}
