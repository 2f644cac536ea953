/**
 * Centroid, variance, skewness and kurtosis of a spectrum seen as a
 * distribution over the bin index k, weighted by the magnitudes y_k
 * (k = 0..size-1), into out[0..3]: tsfresh's `fft_aggregated`, which weights
 * by |X_k| from `np.abs(np.fft.rfft(x))` (not the power |X_k|^2).
 *
 * centroid mu = sum k y / sum y, variance = sum (k - mu)^2 y / sum y,
 * skew = third central moment / variance^1.5, kurtosis = fourth central
 * moment / variance^2 (not excess). The central moments are summed
 * directly, not expanded from raw moments; tsfresh's kurtosis carries a
 * typo (-3 mu for -3 mu^4), so only centroid, variance and skew agree with it.
 * As tsfresh, skew and kurtosis are NaN when the variance is below 0.5
 * bin^2 (a spectrum concentrated in one bin); all four are NaN when the
 * magnitudes sum to 0 (an all-zero series).
 */
export function spectrumMoments(magnitudes: Float64Array, size: number, out: Float64Array): Float64Array {
  let total = 0;
  let first = 0;
  for (let k = 0; k < size; k++) {
    total += magnitudes[k];
    first += k * magnitudes[k];
  }
  if (!(total > 0)) {
    out[0] = out[1] = out[2] = out[3] = NaN;
    return out;
  }
  const centroid = first / total;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let k = 0; k < size; k++) {
    const d = k - centroid;
    const d2 = d * d;
    const y = magnitudes[k];
    m2 += d2 * y;
    m3 += d2 * d * y;
    m4 += d2 * d2 * y;
  }
  const variance = m2 / total;
  out[0] = centroid;
  out[1] = variance;
  out[2] = variance < 0.5 ? NaN : m3 / total / (variance * Math.sqrt(variance));
  out[3] = variance < 0.5 ? NaN : m4 / total / (variance * variance);
  return out;
}
