import { assertInteger } from './points.js';
import type { RandomSource } from './types.js';

/**
 * n points drawn independently and uniformly from [0, 1)^d, row-major; the
 * draws fill the array in order (point 0 coordinates 0..d-1, then point 1...).
 *
 * Method: plain Monte Carlo, the baseline every other design is judged
 * against. References: N. Metropolis and S. Ulam, "The Monte Carlo method",
 * J. Am. Stat. Assoc. 44 (1949) 335-341, doi:10.1080/01621459.1949.10483310.
 */
export function randomDesign(n: number, d: number, rng: RandomSource): Float64Array {
  assertInteger('randomDesign', 'n', n, 0);
  assertInteger('randomDesign', 'd', d, 1);
  const points = new Float64Array(n * d);
  for (let i = 0; i < points.length; i++) points[i] = rng.nextDouble();
  return points;
}
