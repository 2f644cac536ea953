/**
 * tsfresh's `change_quantiles` with isabs = True and f_agg = "mean": the
 * mean of |x_i - x_{i-1}| over the steps whose both ends lie in the corridor
 * low <= x <= high, where low and high are the series' ql- and qh-quantiles
 * (pass them, e.g. from quantileOfSorted). As tsfresh (where `pd.qcut`
 * rejects equal edges): 0 when low >= high (a constant or too categorical
 * series) and 0 when no step stays inside the corridor.
 */
export function meanAbsoluteChangeInCorridor(x: Float64Array, offset: number, n: number, low: number, high: number): number {
  if (!(low < high)) return 0;
  let total = 0;
  let count = 0;
  let previous = x[offset];
  let previousInside = previous >= low && previous <= high;
  for (let i = 1; i < n; i++) {
    const v = x[offset + i];
    const inside = v >= low && v <= high;
    if (inside && previousInside) {
      total += Math.abs(v - previous);
      count++;
    }
    previous = v;
    previousInside = inside;
  }
  return count === 0 ? 0 : total / count;
}
