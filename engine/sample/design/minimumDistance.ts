import { assertInteger, pointCount } from './points.js';

/**
 * Smallest Euclidean distance between two points of a design (row-major,
 * d columns): the maximin criterion. Infinity for fewer than two points.
 * O(n^2 d), with early exit on partial sums.
 */
export function minimumDistance(points: Float64Array, d: number): number {
  assertInteger('minimumDistance', 'd', d, 1);
  return Math.sqrt(smallestSquaredDistance(points, pointCount(points, d), d));
}

/** Smallest squared distance between two of the first n rows (no argument checks: internal use). */
export function smallestSquaredDistance(points: Float64Array, n: number, d: number): number {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let l = 0; l < d && s < best; l++) {
        const e = points[i * d + l] - points[j * d + l];
        s += e * e;
      }
      if (s < best) best = s;
    }
  }
  return best;
}
