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

export interface NormalisableDistanceSpec<K extends string> extends PartSpec {
  readonly kind: K;
  readonly maxNormalisation: boolean;
  readonly runningMax?: readonly number[];
}

/**
 * What the Euclidean and Manhattan distances share: the NaN policy (see
 * nanPolicy.ts), Sciope's optional running-max normalisation (updated from
 * the prior-predictive features in `initialize` and from each generation in
 * `update`, see RunningMaxScale.ts) and their JSON form. A subclass only
 * says how the per-feature differences combine.
 */
export abstract class NormalisableDistance<K extends string> implements Distance {
  abstract readonly kind: K;
  readonly warnings: string[] = [];
  readonly maxNormalisation: boolean;
  protected readonly scale: RunningMaxScale;

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
    return this.combine(features, observed);
  }

  /** The distance over features whose observed value is defined; Infinity if a simulated one is NaN. */
  protected abstract combine(features: Float64Array, observed: Float64Array): number;

  toJSON(): NormalisableDistanceSpec<K> {
    const spec: NormalisableDistanceSpec<K> = { kind: this.kind, maxNormalisation: this.maxNormalisation };
    return this.maxNormalisation ? { ...spec, runningMax: this.scale.toJSON() } : spec;
  }
}
