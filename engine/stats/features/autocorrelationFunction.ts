import { autocorrelation } from './autocorrelation.js';

/**
 * The adjusted autocorrelation function at lags 0..maxLag into
 * out[0..maxLag] (see autocorrelation.ts); lags >= n give NaN, and so does
 * every lag of a constant series. `out` must hold maxLag + 1 values.
 */
export function autocorrelationFunction(
  x: Float64Array,
  offset: number,
  n: number,
  mean: number,
  variance: number,
  maxLag: number,
  out: Float64Array,
): Float64Array {
  for (let lag = 0; lag <= maxLag; lag++) out[lag] = autocorrelation(x, offset, n, lag, mean, variance);
  return out;
}
