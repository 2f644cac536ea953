import { smallestSquaredDistance } from './minimumDistance.js';
import { randomIndex } from './randomIndex.js';
import type { RandomSource } from './types.js';

/** Exponent p of the phi_p criterion; Morris & Mitchell show large p ranks designs as maximin does. */
export const MAXIMIN_PHI_P = 20;

/**
 * Improves a design towards maximin distance in place by swapping two
 * entries of one column, which keeps every column's set of values (and so a
 * Latin hypercube stays one). Returns the number of accepted swaps.
 *
 * Method: the Morris-Mitchell criterion phi_p = (sum_{i<j} d_ij^-p)^(1/p),
 * p = 20, whose minimisers are maximin designs with the fewest closest
 * pairs. Each attempt draws a column k, a row i and a row j != i (three
 * draws, in that order) and swaps x[i][k] and x[j][k] when that lowers
 * phi_p. A swap changes only the distances from rows i and j to the other
 * rows (d_ij itself is unchanged), so the change in sum d^-p is computed
 * exactly in O(n d) without the distance matrix. Unlike Morris & Mitchell's
 * simulated annealing the search is greedy (it accepts only improvements):
 * simpler, and deterministic for a seed like everything else. Terms are
 * scaled by the initial smallest squared distance, so they stay near 1 and
 * never overflow.
 *
 * References: M. D. Morris and T. J. Mitchell, "Exploratory designs for
 * computational experiments", J. Stat. Plan. Inference 43 (1995) 381-402,
 * doi:10.1016/0378-3758(94)00035-T.
 */
export function maximinColumnSwap(points: Float64Array, n: number, d: number, rng: RandomSource, iterations: number): number {
  if (n < 3) return 0; // with two points every swap leaves their distance unchanged
  const scale = smallestSquaredDistance(points, n, d) || Number.MIN_VALUE;
  const term = (d2: number): number => {
    const r = scale / Math.max(d2, Number.MIN_VALUE);
    const r2 = r * r;
    const r4 = r2 * r2;
    return r4 * r4 * r2; // (scale / d2)^(p/2), p = 20
  };
  let accepted = 0;
  for (let it = 0; it < iterations; it++) {
    const k = randomIndex(rng, d);
    const i = randomIndex(rng, n);
    let j = randomIndex(rng, n - 1);
    if (j >= i) j++;
    const a = points[i * d + k];
    const b = points[j * d + k];
    let delta = 0;
    for (let m = 0; m < n; m++) {
      if (m === i || m === j) continue;
      let di = 0;
      let dj = 0;
      for (let l = 0; l < d; l++) {
        const xm = points[m * d + l];
        const ei = points[i * d + l] - xm;
        const ej = points[j * d + l] - xm;
        di += ei * ei;
        dj += ej * ej;
      }
      const c = points[m * d + k];
      const shift = (b - c) * (b - c) - (a - c) * (a - c);
      // After the swap row i carries b in column k and row j carries a.
      delta += term(di + shift) + term(dj - shift) - term(di) - term(dj);
    }
    if (delta < 0) {
      points[i * d + k] = b;
      points[j * d + k] = a;
      accepted++;
    }
  }
  return accepted;
}
