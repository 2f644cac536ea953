/**
 * Number of peaks of support `support` (tsfresh's `number_peaks`): indices i
 * with support <= i < n - support whose value is strictly greater than the
 * `support` values on each side. A series shorter than 2 support + 1 has none.
 */
export function numberPeaks(x: Float64Array, offset: number, n: number, support: number): number {
  let count = 0;
  for (let i = support; i < n - support; i++) {
    const v = x[offset + i];
    let peak = true;
    for (let k = 1; k <= support; k++) {
      if (!(v > x[offset + i - k] && v > x[offset + i + k])) {
        peak = false;
        break;
      }
    }
    if (peak) count++;
  }
  return count;
}
