/**
 * The q-quantile of an ascending-sorted series (sorted[0 .. n)), by linear
 * interpolation between the order statistics at (n - 1) q: numpy's default
 * `np.quantile(x, q)` and pandas' `Series.quantile`, Hyndman & Fan's type 7
 * (Hyndman & Fan 1996, doi:10.1080/00031305.1996.10473566). The
 * interpolation is written as numpy writes it (from the nearer end) so the
 * results agree to the last bit in ordinary cases. The median is q = 0.5.
 */
export function quantileOfSorted(sorted: Float64Array, n: number, q: number): number {
  if (n <= 0 || !(q >= 0 && q <= 1)) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = lo + 1 < n ? lo + 1 : n - 1;
  const t = h - lo;
  const a = sorted[lo];
  const b = sorted[hi];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}
