/** Sum of the series x[offset], ..., x[offset + n - 1] (0 for an empty series). */
export function sum(x: Float64Array, offset: number, n: number): number {
  let s = 0;
  const end = offset + n;
  for (let i = offset; i < end; i++) s += x[i];
  return s;
}
