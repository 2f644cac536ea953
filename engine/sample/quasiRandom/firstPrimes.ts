import { assertInteger } from '../design/points.js';

/**
 * The first d primes (2, 3, 5, 7, ...), the Halton bases.
 *
 * Method: sieve of Eratosthenes up to the Rosser-Schoenfeld bound
 * p_d < d (ln d + ln ln d) for d >= 6 (J. B. Rosser and L. Schoenfeld,
 * "Approximate formulas for some functions of prime numbers", Illinois J.
 * Math. 6 (1962) 64-94, doi:10.1215/ijm/1255631807).
 */
export function firstPrimes(d: number): Uint32Array {
  assertInteger('firstPrimes', 'd', d, 0, 1_000_000);
  const limit = d < 6 ? 15 : Math.ceil(d * (Math.log(d) + Math.log(Math.log(d))));
  const composite = new Uint8Array(limit + 1);
  const primes = new Uint32Array(d);
  let count = 0;
  for (let p = 2; p <= limit && count < d; p++) {
    if (composite[p]) continue;
    primes[count++] = p;
    for (let q = p * p; q <= limit; q += p) composite[q] = 1;
  }
  return primes;
}
