/**
 * Poisson deviates for tau-leaping.
 *
 * Method: for mean < 10, sequential inversion (the cumulative search of
 * Devroye 1986, ch. X.3); otherwise PTRS, the transformed rejection method
 * with squeeze of Hörmann (1993), "The transformed rejection method for
 * generating Poisson random variables", Insurance: Mathematics and
 * Economics 12:39-45, doi:10.1016/0167-6687(93)90997-4. Both are exact.
 */
export interface UniformSource {
  nextDouble(): number;
}

const LOG_FACTORIAL_TABLE = (() => {
  const table = new Float64Array(256);
  for (let k = 1; k < 256; k++) table[k] = table[k - 1] + Math.log(k);
  return table;
})();

function logFactorial(k: number): number {
  if (k < 256) return LOG_FACTORIAL_TABLE[k];
  // Stirling series; error below 1e-12 for k >= 256.
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
}

export function poisson(mean: number, rng: UniformSource): number {
  if (!(mean > 0)) {
    if (mean === 0) return 0;
    throw new RangeError(`Poisson mean must be >= 0 and finite, got ${mean}`);
  }
  if (mean < 10) {
    let k = 0;
    let p = Math.exp(-mean);
    let cdf = p;
    const u = rng.nextDouble();
    while (u > cdf) {
      k++;
      p *= mean / k;
      cdf += p;
      // Guard the tail against round-off: cdf can stall just below 1.
      if (k > 1000) break;
    }
    return k;
  }
  if (!Number.isFinite(mean)) throw new RangeError(`Poisson mean must be finite, got ${mean}`);
  const slam = Math.sqrt(mean);
  const logLam = Math.log(mean);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.nextDouble() - 0.5;
    const v = rng.nextDouble();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -mean + k * logLam - logFactorial(k)) return k;
  }
}
