/** Number of values strictly below `mean` (tsfresh's `count_below_mean`). */
export function countBelowMean(x: Float64Array, offset: number, n: number, mean: number): number {
  let count = 0;
  const end = offset + n;
  for (let i = offset; i < end; i++) if (x[i] < mean) count++;
  return count;
}
