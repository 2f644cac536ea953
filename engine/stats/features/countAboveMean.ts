/** Number of values strictly above `mean` (tsfresh's `count_above_mean`). */
export function countAboveMean(x: Float64Array, offset: number, n: number, mean: number): number {
  let count = 0;
  const end = offset + n;
  for (let i = offset; i < end; i++) if (x[i] > mean) count++;
  return count;
}
