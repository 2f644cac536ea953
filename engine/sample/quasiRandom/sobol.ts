import { DesignError } from '../design/DesignError.js';
import { assertInteger } from '../design/points.js';
import { SOBOL_BITS, SOBOL_MAX_DIMENSION, sobolDirections } from './sobolDirections.js';

export interface SobolOptions {
  /** Index of the first point returned (default 0: the sequence starts at the origin). */
  readonly skip?: number;
  /** Direction vectors from `sobolDirections(d)`, to skip rebuilding them per batch. */
  readonly directions?: Uint32Array;
}

/** Points 0..2^32-1 exist; beyond that the 32-bit sequence would repeat. */
export const SOBOL_MAX_POINTS = 2 ** 32;

const TWO_POW_MINUS_32 = 2 ** -32;

/**
 * Points skip .. skip+n-1 of the d-dimensional Sobol sequence (Joe-Kuo
 * direction numbers, 32-bit), row-major in [0, 1). Point 0 is the origin;
 * points 1, 2, 3 are (0.5, 0.5, ...), (0.75, 0.25, ...), (0.25, 0.75, ...).
 *
 * Method: the Antonov-Saleev Gray-code ordering. Point i is
 * X_i = xor of V_b over the set bits b of gray(i) = i xor (i >> 1), so
 * consecutive points differ by one direction vector:
 * X_(i+1) = X_i xor V_c, c = index of the lowest zero bit of i. The start
 * point is computed directly from gray(skip), so skipping costs 32 xors per
 * dimension. Coordinates are X_i / 2^32 (exact in a double). The first 2^m
 * points form a (t, m, d)-net in base 2; for dimensions 1-2, t = 0.
 *
 * References: I. M. Sobol', "On the distribution of points in a cube and
 * the approximate evaluation of integrals", USSR Comput. Math. Math. Phys.
 * 7 (1967) 86-112, doi:10.1016/0041-5553(67)90144-9; I. A. Antonov and
 * V. M. Saleev, USSR Comput. Math. Math. Phys. 19 (1979) 252-256,
 * doi:10.1016/0041-5553(79)90085-5; Bratley & Fox 1988,
 * doi:10.1145/42288.214372; Joe & Kuo 2008, doi:10.1137/070709359.
 */
export function sobol(n: number, d: number, options: SobolOptions = {}): Float64Array {
  assertInteger('sobol', 'n', n, 0);
  assertInteger('sobol', 'd', d, 1, SOBOL_MAX_DIMENSION);
  const skip = options.skip ?? 0;
  assertInteger('sobol', 'skip', skip, 0);
  if (skip + n > SOBOL_MAX_POINTS) {
    throw new DesignError('sobol', 'n', `points up to index ${skip + n - 1} exceed the 2^32 points of a 32-bit Sobol sequence`);
  }
  const v = options.directions ?? sobolDirections(d);
  if (v.length < d * SOBOL_BITS) throw new DesignError('sobol', 'directions', `expected at least ${d * SOBOL_BITS} direction vectors, got ${v.length}`);

  const x = new Uint32Array(d);
  // gray(skip) = skip xor floor(skip / 2), formed on the 32-bit halves exactly.
  const gray = (skip ^ Math.floor(skip / 2)) >>> 0;
  for (let b = 0; b < SOBOL_BITS; b++) {
    if ((gray >>> b) & 1) for (let j = 0; j < d; j++) x[j] ^= v[j * SOBOL_BITS + b];
  }
  const out = new Float64Array(n * d);
  let index = skip;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) out[i * d + j] = x[j] * TWO_POW_MINUS_32;
    if (i === n - 1) break;
    const c = lowestZeroBit(index);
    for (let j = 0; j < d; j++) x[j] ^= v[j * SOBOL_BITS + c];
    index++;
  }
  return out;
}

/** Index of the lowest zero bit of a non-negative integer below 2^32. */
function lowestZeroBit(i: number): number {
  let c = 0;
  let value = i;
  while (value % 2 === 1) {
    value = (value - 1) / 2;
    c++;
  }
  return c;
}
