/**
 * Sample skewness, the adjusted Fisher-Pearson coefficient
 * G1 = sqrt(n (n - 1)) / (n - 2) * g1 with g1 = m3 / m2^(3/2) (central
 * moments about `mean`): pandas' `Series.skew`, which tsfresh's `skewness`
 * calls (Joanes & Gill 1998, doi:10.1111/1467-9884.00122).
 *
 * NaN when n < 3 (as pandas) and for a constant series (pandas returns 0
 * there; the statistic is 0/0, and here every standardised feature of a
 * constant series is NaN).
 */
export function skewness(x: Float64Array, offset: number, n: number, mean: number): number {
  if (n < 3) return NaN;
  const end = offset + n;
  let m2 = 0;
  let m3 = 0;
  for (let i = offset; i < end; i++) {
    const d = x[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
  }
  if (m2 === 0) return NaN;
  return ((n * Math.sqrt(n - 1)) / (n - 2)) * (m3 / (m2 * Math.sqrt(m2)));
}
