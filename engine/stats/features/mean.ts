/**
 * Arithmetic mean of x[offset], ..., x[offset + n - 1]; NaN for an empty series.
 *
 * Method: the naive mean s / n followed by one correction pass,
 * m + sum(x - m) / n (the corrected two-pass algorithm of Chan, Golub &
 * LeVeque 1983, doi:10.1080/00031305.1983.10483115). Besides being more
 * accurate, it returns a constant series' value exactly, so that deviations
 * from the mean of a constant series are exactly 0 and every feature that
 * divides by the spread can detect the degenerate case without a tolerance.
 */
export function mean(x: Float64Array, offset: number, n: number): number {
  if (n <= 0) return NaN;
  const end = offset + n;
  let s = 0;
  for (let i = offset; i < end; i++) s += x[i];
  const m = s / n;
  let correction = 0;
  for (let i = offset; i < end; i++) correction += x[i] - m;
  return m + correction / n;
}
