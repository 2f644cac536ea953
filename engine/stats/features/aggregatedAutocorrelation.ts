/** How aggregatedAutocorrelation summarises the autocorrelations over lags. */
export type AutocorrelationAggregate = 'mean' | 'median' | 'variance';

/**
 * tsfresh's `agg_autocorrelation`: the mean, median or (population) variance
 * of the adjusted autocorrelations acf[1..lags], where acf comes from
 * autocorrelationFunction and `lags` = min(n - 1, maxlag) (tsfresh's default
 * maxlag is 40; statsmodels' `acf` stops at lag n - 1).
 *
 * NaN if lags < 1 or any autocorrelation is NaN (a constant series: tsfresh
 * returns 0 there; here every correlation-type feature of a constant series
 * is NaN). `scratch` (at least `lags` values) holds the copy the median sorts.
 */
export function aggregatedAutocorrelation(acf: Float64Array, lags: number, aggregate: AutocorrelationAggregate, scratch: Float64Array): number {
  if (lags < 1) return NaN;
  let s = 0;
  for (let k = 1; k <= lags; k++) s += acf[k];
  if (s !== s) return NaN;
  const m = s / lags;
  if (aggregate === 'mean') return m;
  if (aggregate === 'variance') {
    let v = 0;
    for (let k = 1; k <= lags; k++) v += (acf[k] - m) * (acf[k] - m);
    return v / lags;
  }
  // Median: insertion sort of at most a few dozen values, no allocation.
  for (let i = 0; i < lags; i++) {
    const v = acf[i + 1];
    let j = i - 1;
    while (j >= 0 && scratch[j] > v) {
      scratch[j + 1] = scratch[j];
      j--;
    }
    scratch[j + 1] = v;
  }
  const mid = lags >> 1;
  return lags % 2 === 1 ? scratch[mid] : (scratch[mid - 1] + scratch[mid]) / 2;
}
