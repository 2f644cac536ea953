import { DesignError } from './DesignError.js';
import { assertInteger, pointCount } from './points.js';

/**
 * Centred L2 discrepancy CD of n points in [0, 1]^d (row-major): a
 * uniformity measure invariant under reflections of the axes about 1/2,
 * never negative, smaller is more uniform. Returns CD, the square root;
 * scipy.stats.qmc.discrepancy(method='CD') returns CD^2.
 *
 * Method (closed form, O(n^2 d)), with z = |x - 1/2|:
 *   CD^2 = (13/12)^d
 *        - (2/n)   sum_i prod_k (1 + z_ik / 2 - z_ik^2 / 2)
 *        + (1/n^2) sum_i sum_j prod_k (1 + z_ik / 2 + z_jk / 2 - |x_ik - x_jk| / 2).
 * The double sum uses the symmetry i <-> j.
 *
 * References: F. J. Hickernell, "A generalized discrepancy and quadrature
 * error bound", Math. Comput. 67 (1998) 299-322,
 * doi:10.1090/S0025-5718-98-00894-1.
 */
export function centredL2Discrepancy(points: Float64Array, d: number): number {
  assertInteger('centredL2Discrepancy', 'd', d, 1);
  const n = pointCount(points, d);
  if (n === 0) throw new DesignError('centredL2Discrepancy', 'points', 'expected at least one point');
  let single = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    let p = 1;
    let diagonal = 1;
    for (let k = 0; k < d; k++) {
      const z = Math.abs(points[i * d + k] - 0.5);
      p *= 1 + 0.5 * z - 0.5 * z * z;
      diagonal *= 1 + z;
    }
    single += p;
    pairs += diagonal;
    for (let j = i + 1; j < n; j++) {
      let q = 1;
      for (let k = 0; k < d; k++) {
        const xi = points[i * d + k];
        const xj = points[j * d + k];
        q *= 1 + 0.5 * Math.abs(xi - 0.5) + 0.5 * Math.abs(xj - 0.5) - 0.5 * Math.abs(xi - xj);
      }
      pairs += 2 * q;
    }
  }
  const squared = Math.pow(13 / 12, d) - (2 / n) * single + pairs / (n * n);
  return Math.sqrt(Math.max(0, squared));
}
