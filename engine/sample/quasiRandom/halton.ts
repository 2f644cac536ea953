import { DesignError } from '../design/DesignError.js';
import { assertInteger } from '../design/points.js';
import { shuffleInPlace } from '../design/randomIndex.js';
import type { RandomSource } from '../design/types.js';
import { firstPrimes } from './firstPrimes.js';

/** Largest dimension for Halton points (base 7919); beyond a few dozen dimensions prefer Sobol. */
export const HALTON_MAX_DIMENSION = 1000;

/** Random digit permutations for each dimension (base) and digit position. */
export interface HaltonScrambling {
  readonly bases: Uint32Array;
  /** Digit positions K_j per dimension, enough that b^-K < 2^-53. */
  readonly digits: Uint32Array;
  /** perms[j][p * b + a] = permuted value of digit a at position p (p = 0 is the b^-1 digit). */
  readonly perms: readonly Uint16Array[];
}

export interface HaltonOptions {
  /** Index of the first point returned (default 0: unscrambled point 0 is the origin). */
  readonly skip?: number;
  /** Digit permutations from `haltonScrambling(d, rng)`; omitted = plain Halton. */
  readonly scrambling?: HaltonScrambling;
}

/** Digit positions needed in base b for 53-bit resolution. */
function digitsFor(b: number): number {
  return Math.ceil(53 / Math.log2(b));
}

/**
 * Draws the digit permutations of a scrambled Halton sequence: for each
 * dimension j (base = j-th prime b) and each of K_j digit positions an
 * independent uniform random permutation of {0..b-1} (Fisher-Yates, b - 1
 * draws, dimensions then positions in order). Position-wise permutations
 * also move the zero digits beyond an index's length, so a scrambled
 * sequence does not start at the origin. See `halton` for the method.
 */
export function haltonScrambling(d: number, rng: RandomSource): HaltonScrambling {
  assertInteger('haltonScrambling', 'd', d, 1, HALTON_MAX_DIMENSION);
  const bases = firstPrimes(d);
  const digits = new Uint32Array(d);
  const perms: Uint16Array[] = [];
  for (let j = 0; j < d; j++) {
    const b = bases[j];
    digits[j] = digitsFor(b);
    const table = new Uint16Array(digits[j] * b);
    for (let p = 0; p < digits[j]; p++) {
      const perm = table.subarray(p * b, (p + 1) * b);
      for (let a = 0; a < b; a++) perm[a] = a;
      shuffleInPlace(perm, rng);
    }
    perms.push(table);
  }
  return { bases, digits, perms };
}

const BELOW_ONE = 1 - 2 ** -53;

/**
 * Points skip .. skip+n-1 of the d-dimensional Halton sequence, row-major
 * in [0, 1); dimension j uses the j-th prime as base.
 *
 * Method: coordinate j of point i is the radical inverse of i in base b_j:
 * with i = sum_p a_p b^p, x = sum_p a_p b^-(p+1) (Halton 1960). Plain
 * Halton points in high dimensions line up along diagonals, because large
 * bases share their leading digits; scrambling replaces each digit a_p by
 * pi_(j,p)(a_p), a random permutation drawn independently for every
 * dimension and digit position, as in Owen's randomized Halton (2017) and
 * Matousek's random digit permutations (1998) - a per-position refinement
 * of the one-permutation-per-base scrambling of Braaten & Weller (1979).
 * Each coordinate then stays a (0,1)-sequence in its base and is uniform
 * on [0, 1) over the scrambling. The sum runs over K_j positions (b^-K <
 * 2^-53), evaluated by Horner's rule from the last digit.
 *
 * References: J. H. Halton, Numer. Math. 2 (1960) 84-90,
 * doi:10.1007/BF01386213; E. Braaten and G. Weller, J. Comput. Phys. 33
 * (1979) 249-258, doi:10.1016/0021-9991(79)90019-6; J. Matousek,
 * J. Complexity 14 (1998) 527-556, doi:10.1006/jcom.1998.0489;
 * A. B. Owen, "A randomized Halton algorithm in R" (2017),
 * doi:10.48550/arXiv.1706.02808.
 */
export function halton(n: number, d: number, options: HaltonOptions = {}): Float64Array {
  assertInteger('halton', 'n', n, 0);
  assertInteger('halton', 'd', d, 1, HALTON_MAX_DIMENSION);
  const skip = options.skip ?? 0;
  assertInteger('halton', 'skip', skip, 0);
  if (skip + n > Number.MAX_SAFE_INTEGER) throw new DesignError('halton', 'n', 'point indices must stay below 2^53');
  const scrambling = options.scrambling;
  if (scrambling && scrambling.bases.length < d) {
    throw new DesignError('halton', 'scrambling', `permutations cover ${scrambling.bases.length} dimensions, need ${d}`);
  }
  const bases = scrambling?.bases ?? firstPrimes(d);
  const out = new Float64Array(n * d);
  const digit = new Uint32Array(64);
  for (let j = 0; j < d; j++) {
    const b = bases[j];
    const perm = scrambling?.perms[j];
    const positions = scrambling ? scrambling.digits[j] : 0;
    for (let i = 0; i < n; i++) {
      let rest = skip + i;
      let count = 0;
      while (rest > 0) {
        const a = rest % b;
        digit[count++] = a;
        rest = (rest - a) / b;
      }
      let x = 0;
      if (perm) {
        for (let p = positions - 1; p >= 0; p--) x = (perm[p * b + (p < count ? digit[p] : 0)] + x) / b;
      } else {
        for (let p = count - 1; p >= 0; p--) x = (digit[p] + x) / b;
      }
      out[i * d + j] = x < 1 ? x : BELOW_ONE;
    }
  }
  return out;
}
