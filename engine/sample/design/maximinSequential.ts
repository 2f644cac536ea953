import { DesignError } from './DesignError.js';
import { assertInteger, pointCount } from './points.js';
import { randomDesign } from './randomDesign.js';
import { randomIndex } from './randomIndex.js';
import type { RandomSource } from './types.js';

/**
 * Adds `count` points to a design, each as far as possible from the points
 * already there: greedy farthest-point selection from a candidate set.
 * Returns only the new points (count x d, row-major), in the order chosen.
 *
 * `candidates` is either a row-major array of candidate points or a number
 * m, in which case m uniform candidates are drawn from `rng` (randomDesign).
 *
 * Method: keep, for every candidate, the squared distance to its nearest
 * chosen-or-existing point; repeatedly take the candidate where that is
 * largest (the lowest index on ties), then update the distances with the
 * new point: O(m (e + count) d). When `existing` is empty the first point
 * is a candidate drawn with `rng` (one draw). A candidate is used at most
 * once. This is the greedy 2-approximation of the k-centre problem.
 *
 * References: T. F. Gonzalez, "Clustering to minimize the maximum
 * intercluster distance", Theor. Comput. Sci. 38 (1985) 293-306,
 * doi:10.1016/0304-3975(85)90224-5; M. E. Johnson, L. M. Moore and
 * D. Ylvisaker, "Minimax and maximin distance designs", J. Stat. Plan.
 * Inference 26 (1990) 131-148, doi:10.1016/0378-3758(90)90122-B.
 */
export function maximinSequential(existing: Float64Array, candidates: Float64Array | number, d: number, rng: RandomSource, count: number): Float64Array {
  assertInteger('maximinSequential', 'd', d, 1);
  assertInteger('maximinSequential', 'count', count, 0);
  const e = pointCount(existing, d);
  let pool: Float64Array;
  if (typeof candidates === 'number') {
    assertInteger('maximinSequential', 'candidates', candidates, 1);
    pool = randomDesign(candidates, d, rng);
  } else if (candidates instanceof Float64Array) {
    pool = candidates;
  } else {
    throw new DesignError('maximinSequential', 'candidates', 'expected a Float64Array of points or a number of random candidates');
  }
  const m = pointCount(pool, d);
  if (count > m) throw new DesignError('maximinSequential', 'count', `cannot choose ${count} points from ${m} candidates`);

  const nearest = new Float64Array(m).fill(Infinity);
  const used = new Uint8Array(m);
  const update = (source: Float64Array, row: number) => {
    for (let c = 0; c < m; c++) {
      if (used[c]) continue;
      let s = 0;
      for (let k = 0; k < d; k++) {
        const diff = pool[c * d + k] - source[row * d + k];
        s += diff * diff;
      }
      if (s < nearest[c]) nearest[c] = s;
    }
  };
  for (let i = 0; i < e; i++) update(existing, i);

  const out = new Float64Array(count * d);
  for (let t = 0; t < count; t++) {
    let best = -1;
    if (t === 0 && e === 0) {
      best = randomIndex(rng, m);
    } else {
      let bestDistance = -1;
      for (let c = 0; c < m; c++) {
        if (!used[c] && nearest[c] > bestDistance) {
          bestDistance = nearest[c];
          best = c;
        }
      }
    }
    used[best] = 1;
    out.set(pool.subarray(best * d, (best + 1) * d), t * d);
    update(pool, best);
  }
  return out;
}
