/**
 * Complexity estimate CE = sqrt(sum (z_{i+1} - z_i)^2) of Batista et al.
 * 2014, "CID: an efficient complexity-invariant distance for time series",
 * Data Min. Knowl. Disc. 28:634, doi:10.1007/s10618-013-0312-3 (tsfresh's
 * `cid_ce`). With `standardDeviation` > 0 the series is z-normalised first,
 * z = (x - mean) / sd (tsfresh's normalize = True); pass NaN to use the raw
 * series. A constant series normalised gives 0, as in tsfresh.
 */
export function complexityEstimate(x: Float64Array, offset: number, n: number, standardDeviation: number): number {
  const scale = standardDeviation !== standardDeviation ? 1 : standardDeviation;
  if (scale === 0) return 0;
  let s = 0;
  const end = offset + n;
  for (let i = offset + 1; i < end; i++) {
    const d = (x[i] - x[i - 1]) / scale;
    s += d * d;
  }
  return Math.sqrt(s);
}
