import { DesignError } from './DesignError.js';
import { pointCount } from './points.js';

/**
 * Maps unit-cube points to the box [lower, upper] coordinate by coordinate:
 * y[i][k] = lower[k] + x[i][k] * (upper[k] - lower[k]). The dimension is
 * lower.length; writes into `out` (may be `points` itself) or a new array.
 *
 * Method: affine map; a uniform design on [0, 1)^d stays uniform on the box.
 * For log-scaled parameters scale log-bounds and exponentiate. References:
 * Santner, Williams & Notz, The Design and Analysis of Computer Experiments,
 * Springer 2003, sect. 5.1, doi:10.1007/978-1-4757-3799-8.
 */
export function scaleToBounds(
  points: Float64Array,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  out: Float64Array = new Float64Array(points.length),
): Float64Array {
  const d = lower.length;
  if (d === 0) throw new DesignError('scaleToBounds', 'lower', 'expected at least one bound');
  if (upper.length !== d) throw new DesignError('scaleToBounds', 'upper', `expected length ${d} (as lower), got ${upper.length}`);
  for (let k = 0; k < d; k++) {
    if (!Number.isFinite(lower[k]) || !Number.isFinite(upper[k]) || !(lower[k] <= upper[k])) {
      throw new DesignError('scaleToBounds', `upper[${k}]`, `expected finite bounds with lower <= upper, got [${lower[k]}, ${upper[k]}]`);
    }
  }
  const n = pointCount(points, d);
  if (out.length !== points.length) throw new DesignError('scaleToBounds', 'out', `expected length ${points.length}, got ${out.length}`);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) out[i * d + k] = lower[k] + points[i * d + k] * (upper[k] - lower[k]);
  }
  return out;
}
