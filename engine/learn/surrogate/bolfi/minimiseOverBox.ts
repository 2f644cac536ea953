import { sobol } from '../../../sample/quasiRandom/index.js';
import type { RandomSource } from '../../../sample/priors/types.js';
import { patternSearch } from './patternSearch.js';

export type Bounds = ReadonlyArray<readonly [number, number]>;

/**
 * Minimises a cheap function over a box: evaluate it on `candidates` points
 * of a randomly shifted Sobol sequence (Cranley & Patterson 1976,
 * doi:10.1137/0713071: u ↦ frac(u + shift), which keeps the low discrepancy
 * and makes the set depend on the seed), then polish the `refine` best by a
 * compass search. `evaluateMany` gets all candidates at once (a GP predicts
 * a block faster than point by point); `evaluateOne` serves the refinement.
 */
export function minimiseOverBox(
  evaluateMany: (points: Float64Array) => Float64Array,
  evaluateOne: (point: Float64Array) => number,
  bounds: Bounds,
  rng: RandomSource,
  candidates: number,
  refine: number,
): { x: Float64Array; value: number } {
  const d = bounds.length;
  const points = sobol(candidates, d, { skip: 1 });
  const shift = Array.from({ length: d }, () => rng.nextDouble());
  for (let i = 0; i < candidates; i++) {
    for (let k = 0; k < d; k++) {
      const u = points[i * d + k] + shift[k];
      const [lo, hi] = bounds[k];
      points[i * d + k] = lo + (u - Math.floor(u)) * (hi - lo);
    }
  }
  const values = evaluateMany(points);
  const order = Array.from({ length: candidates }, (_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
  let bestX: Float64Array = points.slice(order[0] * d, order[0] * d + d);
  let bestValue = values[order[0]];
  for (let r = 0; r < Math.min(refine, candidates); r++) {
    const i = order[r];
    const polished = patternSearch(evaluateOne, points.subarray(i * d, i * d + d), bounds, {
      initialStep: 0.5 / Math.cbrt(candidates),
      minStep: 1e-4,
      maxEvaluations: 100 + 20 * d,
    });
    if (polished.value < bestValue) {
      bestValue = polished.value;
      bestX = polished.x;
    }
  }
  return { x: Float64Array.from(bestX), value: bestValue };
}
