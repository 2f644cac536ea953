/** What a prior draws from: xoshiro128** (`Xoshiro128`) satisfies it. */
export interface RandomSource {
  /** Uniform in [0, 1). */
  nextDouble(): number;
  /** Uniform in (0, 1]. */
  nextOpenDouble(): number;
  /** Standard normal deviate. */
  nextNormal(): number;
}

/** A prior as JSON: `kind` plus the distribution's own fields. */
export type PriorSpec =
  | { readonly kind: 'uniform'; readonly lower: number; readonly upper: number }
  | { readonly kind: 'logUniform'; readonly lower: number; readonly upper: number }
  | { readonly kind: 'normal'; readonly mean: number; readonly sd: number }
  | { readonly kind: 'logNormal'; readonly mu: number; readonly sigma: number }
  | { readonly kind: 'truncatedNormal'; readonly mean: number; readonly sd: number; readonly lower?: number; readonly upper?: number }
  | { readonly kind: string; readonly [field: string]: unknown };

/**
 * A prior on one parameter. `sample` draws, `logDensity` is -Infinity
 * outside the support; `cdf` and `quantile` let designs map the unit cube
 * onto the prior (Latin hypercube, Sobol).
 */
export interface Prior {
  readonly kind: string;
  /** Support [lower, upper]; infinite ends where the distribution has none. */
  readonly bounds: readonly [number, number];
  sample(rng: RandomSource): number;
  logDensity(x: number): number;
  cdf(x: number): number;
  quantile(p: number): number;
  mean(): number;
  variance(): number;
  toJSON(): PriorSpec;
}

/**
 * A prior over a named parameter vector (what inference samples from).
 * Vectors are Float64Arrays in `names` order.
 */
export interface JointPrior {
  readonly kind: string;
  readonly names: readonly string[];
  readonly dimension: number;
  /** Draw into `out` (allocated when omitted) and return it. */
  sample(rng: RandomSource, out?: Float64Array): Float64Array;
  logDensity(x: ArrayLike<number>): number;
  toJSON(): { readonly kind: string; readonly [field: string]: unknown };
}
