/**
 * Autocorrelation at `lag` as tsfresh's `autocorrelation` defines it:
 * R(l) = sum_{t < n-l} (x_t - mean)(x_{t+l} - mean) / ((n - l) variance),
 * with the population variance; the (n - l) denominator makes it the
 * "adjusted" estimator of statsmodels' `acf(adjusted=True)`.
 *
 * NaN when lag >= n, when the variance is 0 (a constant series) or not
 * finite. Pass the mean and variance of the series (see mean.ts,
 * variance.ts); a series already centred can be passed with mean 0.
 */
export function autocorrelation(x: Float64Array, offset: number, n: number, lag: number, mean: number, variance: number): number {
  if (!(lag >= 0 && lag < n) || !(variance > 0 && variance < Infinity)) return NaN;
  const end = offset + n - lag;
  let s = 0;
  for (let i = offset; i < end; i++) s += (x[i] - mean) * (x[i + lag] - mean);
  return s / ((n - lag) * variance);
}
