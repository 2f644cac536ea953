/** A uniform [0, 1) source. */
export interface UniformDraws {
  nextDouble(): number;
}

/**
 * Binomial(n, p) by inversion (Devroye 1986, "Non-Uniform Random Variate
 * Generation", X.4.3): walk the CDF from 0 with the pmf recurrence
 * f(k+1) = f(k) · (n − k)/(k + 1) · p/(1 − p). Exact; about n·min(p, 1 − p)
 * steps, at most 500 for n = 1000 as in sbibm's SIR. p > 1/2 is drawn as
 * n − Binomial(n, 1 − p), which keeps f(0) = (1 − p)^n >= 2^−n from
 * underflowing for n <= 1000.
 */
export function binomial(n: number, p: number, rng: UniformDraws): number {
  if (!(p > 0)) return 0;
  if (!(p < 1)) return n;
  if (p > 0.5) return n - binomial(n, 1 - p, rng);
  const odds = p / (1 - p);
  let f = Math.pow(1 - p, n);
  let cdf = f;
  const u = rng.nextDouble();
  let k = 0;
  while (u >= cdf && k < n) {
    f *= ((n - k) / (k + 1)) * odds;
    k++;
    cdf += f;
  }
  return k;
}
