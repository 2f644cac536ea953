import { quantileOfSorted } from '../features/quantileOfSorted.js';

/**
 * Median absolute deviation median(|v - median(v)|) of values[0..n), without
 * the 1.4826 consistency factor (pyABC's `median_absolute_deviation`, the
 * scale of Prangle 2017). Sorts `values` in place and uses `scratch` (n
 * values); NaN for n = 0. Hampel 1974, doi:10.1080/01621459.1974.10482962.
 */
export function medianAbsoluteDeviation(values: Float64Array, n: number, scratch: Float64Array): number {
  if (n <= 0) return NaN;
  const sorted = values.length === n ? values.sort() : values.subarray(0, n).sort();
  const median = quantileOfSorted(sorted, n, 0.5);
  for (let i = 0; i < n; i++) scratch[i] = Math.abs(sorted[i] - median);
  const deviations = scratch.length === n ? scratch.sort() : scratch.subarray(0, n).sort();
  return quantileOfSorted(deviations, n, 0.5);
}
