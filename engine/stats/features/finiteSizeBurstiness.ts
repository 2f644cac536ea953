/**
 * Burstiness corrected for a finite number n of values (Kim & Jo 2016,
 * "Measuring burstiness for finite event sequences", Phys. Rev. E 94:032311,
 * doi:10.1103/PhysRevE.94.032311; Sciope's `Burstiness(improvement=True)`):
 * with r = sigma / mu (population sigma),
 *   B_n = (sqrt(n+1) r - sqrt(n-1)) / ((sqrt(n+1) - 2) r + sqrt(n-1)),
 * which is -1 for a regular series, 1 for the most bursty one (a single
 * non-zero value, r = sqrt(n - 1)) and 0 in expectation for a Poisson
 * process of n events. NaN when mu = 0, n < 2 or the denominator is 0.
 */
export function finiteSizeBurstiness(mean: number, standardDeviation: number, n: number): number {
  if (mean === 0 || n < 2) return NaN;
  const r = standardDeviation / mean;
  const a = Math.sqrt(n + 1);
  const b = Math.sqrt(n - 1);
  const denominator = (a - 2) * r + b;
  return denominator === 0 ? NaN : (a * r - b) / denominator;
}
