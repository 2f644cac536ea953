/**
 * Population variance (numpy's `np.var`, ddof = 0) of x[offset .. offset + n)
 * about the given `mean`: sum((x - mean)^2) / n. NaN for an empty series.
 */
export function variance(x: Float64Array, offset: number, n: number, mean: number): number {
  if (n <= 0) return NaN;
  const end = offset + n;
  let s = 0;
  for (let i = offset; i < end; i++) {
    const d = x[i] - mean;
    s += d * d;
  }
  return s / n;
}
