import type { Distance, DistanceContext, PartSpec } from '../types.js';
import { checkLengths } from './checkLengths.js';
import type { NormalisableDistanceOptions } from './EuclideanDistance.js';
import { observedNaNWarnings } from './nanPolicy.js';
import { RunningMaxScale } from './RunningMaxScale.js';

export interface ManhattanDistanceSpec extends PartSpec {
  readonly kind: 'manhattan';
  readonly maxNormalisation: boolean;
  readonly runningMax?: readonly number[];
}

/**
 * d(x, y) = sum_j |x_j - y_j| over the features whose observed value is
 * defined (see nanPolicy.ts), optionally with Sciope's running-max
 * normalisation (see RunningMaxScale.ts).
 */
export class ManhattanDistance implements Distance {
  readonly kind = 'manhattan';
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
      s += this.maxNormalisation ? Math.abs(x - y) / this.scale.divisor(j) : Math.abs(x - y);
    }
    return s;
  }

  toJSON(): ManhattanDistanceSpec {
    const spec: ManhattanDistanceSpec = { kind: 'manhattan', maxNormalisation: this.maxNormalisation };
    return this.maxNormalisation ? { ...spec, runningMax: this.scale.toJSON() } : spec;
  }
}
