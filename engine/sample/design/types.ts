/**
 * The random source every design draws from: a seeded `Xoshiro128`
 * (engine/sample/random) or anything with the same two methods. Designs
 * never call Math.random, so a design is a pure function of its seed.
 */
export interface RandomSource {
  /** Uniform double in [0, 1). */
  nextDouble(): number;
}

/** Where a batch sits: sequences continue at `start`; sequential designs avoid `existing`. */
export interface DesignContext {
  /** Index of the first point of a low-discrepancy sequence (default 0); random designs ignore it. */
  readonly start?: number;
  /** Points already in the study (row-major, `dimension` columns) for designs that fill gaps. */
  readonly existing?: Float64Array;
}

/**
 * A design as a pluggable, storable part: `generate` returns n points in the
 * unit cube, row-major (see points.ts). Random designs draw from `rng`; the
 * quasi-random sequences are deterministic (their scrambling seed is part
 * of the spec) and return points start..start+n-1, so successive batches of
 * a study continue one sequence.
 */
export interface Design {
  readonly kind: string;
  readonly dimension: number;
  /** Designs of fixed size (full factorial) accept only n = size. */
  readonly size?: number;
  generate(n: number, rng: RandomSource, context?: DesignContext): Float64Array;
  toJSON(): DesignSpec;
}

/**
 * JSON form of a design: `kind` plus its options, enough for `createDesign`
 * to rebuild it. Same shape as `PartSpec` (engine/stats/types.ts), declared
 * here because engine/sample sits below engine/stats and must not import it.
 */
export interface DesignSpec {
  readonly kind: string;
  readonly [option: string]: unknown;
}
