/**
 * Least-squares line through (i, x_i), i = 0..n-1, the sample index being
 * the abscissa as in tsfresh's `linear_trend` (scipy's `linregress`), into
 * out[0..3] = slope, intercept, r-value, standard error of the slope.
 *
 * With Sxx = sum (i - ibar)^2, Syy = sum (x - xbar)^2, Sxy = sum (i - ibar)(x - xbar):
 * slope = Sxy / Sxx, intercept = xbar - slope ibar, r = Sxy / sqrt(Sxx Syy),
 * stderr = sqrt((Syy - Sxy^2 / Sxx) / (n - 2) / Sxx). r is NaN for a constant
 * series (scipy returns 0; a correlation of a constant is 0/0); stderr is
 * NaN for n < 3; everything is NaN for n < 2. `mean` is the series' mean.
 */
export function linearTrend(x: Float64Array, offset: number, n: number, mean: number, out: Float64Array): Float64Array {
  if (n < 2) {
    out[0] = out[1] = out[2] = out[3] = NaN;
    return out;
  }
  const ibar = (n - 1) / 2;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const d = x[offset + i] - mean;
    sxy += (i - ibar) * d;
    syy += d * d;
  }
  // sum_{i<n} (i - ibar)^2 = n (n^2 - 1) / 12, exactly.
  const sxx = (n * (n * n - 1)) / 12;
  const slope = sxy / sxx;
  out[0] = slope;
  out[1] = mean - slope * ibar;
  out[2] = syy > 0 ? Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy))) : NaN;
  out[3] = n < 3 ? NaN : Math.sqrt(Math.max(0, syy - sxy * slope) / (n - 2) / sxx);
  return out;
}
