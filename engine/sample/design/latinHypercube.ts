import { DesignError } from './DesignError.js';
import { maximinColumnSwap } from './maximinColumnSwap.js';
import { assertInteger } from './points.js';
import { shuffleInPlace } from './randomIndex.js';
import type { RandomSource } from './types.js';

export interface LatinHypercubeOptions {
  /** 'none' (default): random LHS. 'maximin': improved by column swaps (see maximinColumnSwap). */
  readonly optimise?: 'none' | 'maximin';
  /** Swap attempts for 'maximin'; default see `defaultMaximinIterations`. */
  readonly iterations?: number;
}

/**
 * Latin hypercube sample of n points in [0, 1)^d, row-major (points.ts).
 *
 * Method: for each dimension k, an independent random permutation
 * pi_k of the n strata, then x[i][k] = (pi_k(i) + u_ik) / n with u_ik
 * uniform in [0, 1): every one of the n equal strata of every axis holds
 * exactly one point. Draw order (for bit-for-bit replay): dimension by
 * dimension, n - 1 Fisher-Yates draws then n jitters. With
 * `optimise: 'maximin'` the design is then improved by swapping coordinates
 * within columns, which keeps it a Latin hypercube.
 *
 * References: M. D. McKay, R. J. Beckman and W. J. Conover, "A comparison of
 * three methods for selecting values of input variables in the analysis of
 * output from a computer code", Technometrics 21 (1979) 239-245,
 * doi:10.1080/00401706.1979.10489755.
 */
export function latinHypercube(n: number, d: number, rng: RandomSource, options: LatinHypercubeOptions = {}): Float64Array {
  assertInteger('latinHypercube', 'n', n, 1);
  assertInteger('latinHypercube', 'd', d, 1);
  const optimise = options.optimise ?? 'none';
  if (optimise !== 'none' && optimise !== 'maximin') {
    throw new DesignError('latinHypercube', 'optimise', `expected "none" or "maximin", got ${JSON.stringify(optimise)}`);
  }
  const iterations = options.iterations ?? defaultMaximinIterations(n, d);
  assertInteger('latinHypercube', 'iterations', iterations, 0);

  const points = new Float64Array(n * d);
  const strata = new Int32Array(n);
  for (let k = 0; k < d; k++) {
    for (let i = 0; i < n; i++) strata[i] = i;
    shuffleInPlace(strata, rng);
    for (let i = 0; i < n; i++) points[i * d + k] = (strata[i] + rng.nextDouble()) / n;
  }
  if (optimise === 'maximin') maximinColumnSwap(points, n, d, rng, iterations);
  return points;
}

/**
 * Default swap budget: 50 attempts per point, capped so that the search
 * costs about 5e7 coordinate operations (each attempt is O(n d)), and at
 * least 100 attempts.
 */
export function defaultMaximinIterations(n: number, d: number): number {
  return Math.max(100, Math.min(50 * n, Math.floor(5e7 / (n * d))));
}
