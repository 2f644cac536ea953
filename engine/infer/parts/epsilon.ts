import type { PartSpec } from '../../stats/types.js';
import { InferenceError } from '../errors.js';
import type { EpsilonContext, EpsilonFunction, EpsilonSchedule } from '../types.js';
import { weightedQuantile } from '../weighted.js';

/**
 * Adaptive threshold: the alpha-quantile of the last generation's distances,
 * weighted by the particles' importance weights.
 *
 * Method: Del Moral, Doucet & Jasra (2012), "An adaptive sequential Monte
 * Carlo method for approximate Bayesian computation", Statistics and
 * Computing 22:1009-1020, doi:10.1007/s11222-011-9271-y, choose each
 * threshold from the current population so a fixed share of it survives;
 * the quantile form is the one of pyABC's QuantileEpsilon. alpha = 0.5
 * halves the population's distance spread per generation. With discrete
 * statistics the quantile can equal the largest distance (ties), which would
 * keep every particle and stall; the next smaller distance is used then.
 */
export class QuantileEpsilon implements EpsilonSchedule {
  readonly kind = 'quantile';
  readonly alpha: number;
  readonly weighted: boolean;

  constructor(options: { alpha?: number; weighted?: boolean } = {}) {
    this.alpha = options.alpha ?? 0.5;
    this.weighted = options.weighted ?? true;
    if (!(this.alpha > 0 && this.alpha < 1)) throw new InferenceError(`epsilon.alpha: expected a number in (0, 1), got ${this.alpha}`);
  }

  next({ last }: EpsilonContext): number {
    const q = weightedQuantile(last.distances, this.weighted ? last.weights : null, this.alpha);
    // Discrete statistics tie: when the quantile would keep every particle, step down to the next smaller distance.
    let largest = -Infinity;
    let below = -Infinity;
    for (const d of last.distances) largest = Math.max(largest, d);
    if (q < largest) return q;
    for (const d of last.distances) if (d < largest && d > below) below = d;
    return below > -Infinity ? below : q;
  }

  toJSON(): PartSpec {
    return { kind: this.kind, alpha: this.alpha, weighted: this.weighted };
  }
}

/** A fixed decreasing list of thresholds for generations 1, 2, ...; the run ends when it runs out. */
export class ListEpsilon implements EpsilonSchedule {
  readonly kind = 'list';
  readonly values: readonly number[];

  constructor(values: readonly number[]) {
    if (values.length === 0 || values.some((v) => !(v >= 0))) throw new InferenceError('epsilon.values: expected a non-empty list of numbers >= 0');
    this.values = [...values];
  }

  next({ generation }: EpsilonContext): number | undefined {
    return this.values[generation - 1];
  }

  toJSON(): PartSpec {
    return { kind: this.kind, values: [...this.values] };
  }
}

/** Wraps a plain function as a schedule (not serialisable beyond its kind). */
export class FunctionEpsilon implements EpsilonSchedule {
  readonly kind = 'function';
  constructor(private readonly fn: EpsilonFunction) {}

  next(context: EpsilonContext): number | undefined {
    return this.fn(context);
  }

  toJSON(): PartSpec {
    return { kind: this.kind, name: this.fn.name || 'anonymous' };
  }
}

/** Epsilon schedule from a part, its JSON, a function or a number (the quantile alpha); QuantileEpsilon(0.5) by default. */
export function createEpsilon(spec: EpsilonSchedule | PartSpec | EpsilonFunction | undefined): EpsilonSchedule {
  if (spec === undefined) return new QuantileEpsilon();
  if (typeof spec === 'function') return new FunctionEpsilon(spec);
  if ('next' in spec && typeof spec.next === 'function') return spec as EpsilonSchedule;
  const s = spec as PartSpec;
  switch (s.kind) {
    case 'quantile':
      return new QuantileEpsilon({ alpha: s.alpha as number | undefined, weighted: s.weighted as boolean | undefined });
    case 'list':
      return new ListEpsilon(s.values as number[]);
    default:
      throw new InferenceError(`epsilon.kind: unknown epsilon schedule ${JSON.stringify(s.kind)}; expected quantile or list`);
  }
}
