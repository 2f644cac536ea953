/** Sum of |x_{i+1} - x_i| (tsfresh's `absolute_sum_of_changes`); 0 for n < 2. */
export function absoluteSumOfChanges(x: Float64Array, offset: number, n: number): number {
  let s = 0;
  const end = offset + n;
  for (let i = offset + 1; i < end; i++) s += Math.abs(x[i] - x[i - 1]);
  return s;
}
