/**
 * Partial autocorrelations at lags 1..maxLag from the autocorrelations
 * acf[0..maxLag] (acf[0] = 1), into out[1..maxLag] (out[0] = 1).
 *
 * Method: the Durbin-Levinson recursion (Levinson 1947,
 * doi:10.1002/sapm1946251261; Durbin 1960, doi:10.2307/1401322):
 *   phi_kk = (r_k - sum_{j<k} phi_{j,k-1} r_{k-j}) / (1 - sum_{j<k} phi_{j,k-1} r_j),
 *   phi_jk = phi_{j,k-1} - phi_kk phi_{k-j,k-1}.
 * Fed with the adjusted autocorrelations of autocorrelation.ts this equals
 * statsmodels' `pacf(x, method="ld")`, which tsfresh's
 * `partial_autocorrelation` calls. NaN propagates from a NaN autocorrelation
 * (a constant series, or lags >= n).
 *
 * `scratch` holds 2 (maxLag + 1) values (the previous and current AR
 * coefficients); nothing is allocated.
 */
export function partialAutocorrelation(acf: Float64Array, maxLag: number, out: Float64Array, scratch: Float64Array): Float64Array {
  out[0] = 1;
  if (maxLag < 1) return out;
  const stride = maxLag + 1;
  let previous = 0; // offset of phi_{., k-1} in scratch
  let current = stride;
  scratch[previous + 1] = acf[1] / acf[0];
  out[1] = scratch[previous + 1];
  let sigma = acf[0] - scratch[previous + 1] * acf[1];
  for (let k = 2; k <= maxLag; k++) {
    let s = acf[k];
    for (let j = 1; j < k; j++) s -= scratch[previous + j] * acf[k - j];
    const phi = s / sigma;
    for (let j = 1; j < k; j++) scratch[current + j] = scratch[previous + j] - phi * scratch[previous + k - j];
    scratch[current + k] = phi;
    out[k] = phi;
    sigma *= 1 - phi * phi;
    const t = previous;
    previous = current;
    current = t;
  }
  return out;
}
