/** Smallest value of x[offset .. offset + n); NaN for an empty series or if any value is NaN. */
export function minimum(x: Float64Array, offset: number, n: number): number {
  if (n <= 0) return NaN;
  let m = x[offset];
  const end = offset + n;
  for (let i = offset + 1; i < end; i++) {
    const v = x[i];
    if (v < m || v !== v) m = v;
  }
  return m;
}
