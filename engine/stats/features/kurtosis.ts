/**
 * Sample excess kurtosis, the bias-adjusted G2 =
 * n (n + 1) (n - 1) M4 / ((n - 2) (n - 3) M2^2) - 3 (n - 1)^2 / ((n - 2) (n - 3))
 * with M2, M4 the sums of squared and fourth-power deviations from `mean`:
 * pandas' `Series.kurtosis`, which tsfresh's `kurtosis` calls (Joanes & Gill
 * 1998, doi:10.1111/1467-9884.00122). A normal sample gives about 0.
 *
 * NaN when n < 4 (as pandas) and for a constant series (pandas returns 0).
 */
export function kurtosis(x: Float64Array, offset: number, n: number, mean: number): number {
  if (n < 4) return NaN;
  const end = offset + n;
  let m2 = 0;
  let m4 = 0;
  for (let i = offset; i < end; i++) {
    const d = x[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m4 += d2 * d2;
  }
  if (m2 === 0) return NaN;
  const a = (n - 2) * (n - 3);
  return (n * (n + 1) * (n - 1) * m4) / (a * m2 * m2) - (3 * (n - 1) * (n - 1)) / a;
}
