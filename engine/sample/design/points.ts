import { DesignError } from './DesignError.js';

/**
 * Point layout shared by every design and sequence in engine/sample.
 *
 * A set of n points in d dimensions is one `Float64Array` of length n * d,
 * row-major: coordinate k of point i is `points[i * d + k]`. Designs return
 * points in the unit cube [0, 1)^d (factorial edges include 1); use
 * `scaleToBounds` to map them to parameter bounds. The helpers below give
 * zero-copy row views (`subarray`), so writing to a view writes the design.
 */

/** Number of points in `points` (throws when the length is not a multiple of d). */
export function pointCount(points: Float64Array, d: number): number {
  assertInteger('pointCount', 'd', d, 1);
  if (points.length % d !== 0) {
    throw new DesignError('pointCount', 'points', `length ${points.length} is not a multiple of d = ${d}`);
  }
  return points.length / d;
}

/** View of point i (length d) into `points`; no copy. */
export function pointRow(points: Float64Array, d: number, i: number): Float64Array {
  const n = pointCount(points, d);
  if (!Number.isInteger(i) || i < 0 || i >= n) throw new DesignError('pointRow', 'i', `expected an integer in [0, ${n - 1}], got ${i}`);
  return points.subarray(i * d, (i + 1) * d);
}

/** Views of every point, in order; no copy. */
export function pointRows(points: Float64Array, d: number): Float64Array[] {
  const n = pointCount(points, d);
  const rows = new Array<Float64Array>(n);
  for (let i = 0; i < n; i++) rows[i] = points.subarray(i * d, (i + 1) * d);
  return rows;
}

/** Rows of equal length packed into the row-major layout (a copy). */
export function pointsFromRows(rows: ReadonlyArray<ArrayLike<number>>): Float64Array {
  if (rows.length === 0) return new Float64Array(0);
  const d = rows[0].length;
  const out = new Float64Array(rows.length * d);
  rows.forEach((row, i) => {
    if (row.length !== d) throw new DesignError('pointsFromRows', `rows[${i}]`, `expected length ${d}, got ${row.length}`);
    for (let k = 0; k < d; k++) out[i * d + k] = row[k];
  });
  return out;
}

/** Argument check used at the boundary of every routine (never inside loops). */
export function assertInteger(routine: string, field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new DesignError(routine, field, `expected an integer ${range}, got ${String(value)}`);
  }
}
