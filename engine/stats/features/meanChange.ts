/** Mean of the differences x_{i+1} - x_i, i.e. (x_{n-1} - x_0) / (n - 1) (tsfresh's `mean_change`); NaN for n < 2. */
export function meanChange(x: Float64Array, offset: number, n: number): number {
  return n < 2 ? NaN : (x[offset + n - 1] - x[offset]) / (n - 1);
}
