import type { JointPrior, Prior, PriorSpec, RandomSource } from './types.js';

/** JSON of an IndependentPrior: one prior per named parameter, in order. */
export type IndependentPriorSpec = {
  readonly kind: 'independent';
  readonly parameters: Readonly<Record<string, PriorSpec>>;
};

/**
 * The product of independent per-parameter priors over named parameters.
 * Vectors are in `names` order; components draw in that order from one
 * stream, so a draw is a pure function of the generator's state.
 */
export class IndependentPrior implements JointPrior {
  readonly kind = 'independent';
  readonly names: readonly string[];
  readonly components: readonly Prior[];
  readonly dimension: number;
  /** Support of each component. */
  readonly lower: Float64Array;
  readonly upper: Float64Array;

  constructor(parameters: Readonly<Record<string, Prior>> | ReadonlyArray<readonly [string, Prior]>) {
    const entries = Array.isArray(parameters) ? (parameters as ReadonlyArray<readonly [string, Prior]>) : Object.entries(parameters as Record<string, Prior>);
    if (entries.length === 0) throw new RangeError('an independent prior needs at least one parameter');
    const seen = new Set<string>();
    for (const [name] of entries) {
      if (seen.has(name)) throw new RangeError(`parameter "${name}" has two priors`);
      seen.add(name);
    }
    this.names = entries.map(([name]) => name);
    this.components = entries.map(([, prior]) => prior);
    this.dimension = entries.length;
    this.lower = Float64Array.from(this.components, (p) => p.bounds[0]);
    this.upper = Float64Array.from(this.components, (p) => p.bounds[1]);
  }

  sample(rng: RandomSource, out: Float64Array = new Float64Array(this.dimension)): Float64Array {
    for (let i = 0; i < this.dimension; i++) out[i] = this.components[i].sample(rng);
    return out;
  }

  logDensity(x: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < this.dimension; i++) {
      total += this.components[i].logDensity(x[i]);
      if (total === -Infinity) return total;
    }
    return total;
  }

  /** The component prior of a parameter. */
  get(name: string): Prior | undefined {
    const i = this.names.indexOf(name);
    return i < 0 ? undefined : this.components[i];
  }

  /** Means of the components, in `names` order. */
  mean(): Float64Array {
    return Float64Array.from(this.components, (p) => p.mean());
  }

  toJSON(): IndependentPriorSpec {
    return { kind: 'independent', parameters: Object.fromEntries(this.names.map((name, i) => [name, this.components[i].toJSON()])) };
  }
}
