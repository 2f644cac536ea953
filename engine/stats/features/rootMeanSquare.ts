/** Root mean square sqrt(sum x_i^2 / n) (tsfresh's `root_mean_square`); NaN for an empty series. */
export function rootMeanSquare(x: Float64Array, offset: number, n: number): number {
  if (n <= 0) return NaN;
  let s = 0;
  const end = offset + n;
  for (let i = offset; i < end; i++) s += x[i] * x[i];
  return Math.sqrt(s / n);
}
