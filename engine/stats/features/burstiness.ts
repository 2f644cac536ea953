/**
 * Burstiness B = (sigma - mu) / (sigma + mu) of a series of positive values
 * (inter-event times in the original), from its mean and population
 * standard deviation: -1 for a perfectly regular (periodic) series, about 0
 * for a Poisson process (exponential inter-event times, sigma = mu), towards
 * 1 for bursty ones. Goh & Barabási 2008, "Burstiness and memory in complex
 * systems", EPL 81:48002, doi:10.1209/0295-5075/81/48002; Sciope's
 * `Burstiness`. NaN when sigma + mu = 0 (never Infinity).
 */
export function burstiness(mean: number, standardDeviation: number): number {
  const denominator = standardDeviation + mean;
  return denominator === 0 ? NaN : (standardDeviation - mean) / denominator;
}
