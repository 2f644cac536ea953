import { normalCdf, normalLogCdf, normalLogPdf, normalPdf, normalQuantile } from './normalDistribution.js';
import type { Prior, PriorSpec, RandomSource } from './types.js';

const SQRT_E = Math.sqrt(Math.E);

/**
 * Normal(mean, sd²) restricted to [lower, upper] (either end may be
 * infinite, not both).
 *
 * Method: on the standardised interval [α, β], plain rejection from N(0, 1)
 * when it holds at least 30% of the mass; otherwise the accept-reject
 * samplers of Robert (1995), "Simulation of truncated normal variables",
 * Statistics and Computing 5:121-125, doi:10.1007/BF00143942: a uniform
 * proposal on short intervals, else a translated exponential proposal with
 * the optimal rate λ = (α + √(α² + 4)) / 2, both exact. Intervals in the
 * lower tail are mirrored into the upper one. The normalising mass and the
 * CDF use the tail on the side of the interval, so they keep their relative
 * accuracy several sd from the mean.
 */
export class TruncatedNormalPrior implements Prior {
  readonly kind = 'truncatedNormal';
  readonly bounds: readonly [number, number];
  private readonly alpha: number;
  private readonly beta: number;
  /** Mass of N(0,1) in [α, β] and its logarithm. */
  private readonly mass: number;
  private readonly logMass: number;

  constructor(
    readonly mu: number,
    readonly sd: number,
    readonly lower = -Infinity,
    readonly upper = Infinity,
  ) {
    if (!(Number.isFinite(mu) && Number.isFinite(sd) && sd > 0))
      throw new RangeError(`truncated normal prior needs a finite mean and sd > 0, got mean ${mu}, sd ${sd}`);
    if (Number.isNaN(lower) || Number.isNaN(upper) || !(upper > lower) || lower === Infinity || upper === -Infinity) {
      throw new RangeError(`truncated normal prior needs lower < upper, got [${lower}, ${upper}]`);
    }
    this.bounds = [lower, upper];
    this.alpha = (lower - mu) / sd;
    this.beta = (upper - mu) / sd;
    this.logMass = logMassBetween(this.alpha, this.beta);
    this.mass = Math.exp(this.logMass);
    if (this.logMass === -Infinity) throw new RangeError(`truncated normal prior: [${lower}, ${upper}] holds no mass of Normal(${mu}, ${sd}²)`);
  }

  sample(rng: RandomSource): number {
    const z = sampleStandard(this.alpha, this.beta, this.mass, rng);
    return Math.min(this.upper, Math.max(this.lower, this.mu + this.sd * z));
  }

  logDensity(x: number): number {
    if (!(x >= this.lower && x <= this.upper)) return -Infinity;
    return normalLogPdf((x - this.mu) / this.sd) - Math.log(this.sd) - this.logMass;
  }

  cdf(x: number): number {
    if (x <= this.lower) return 0;
    if (x >= this.upper) return 1;
    return Math.exp(logMassBetween(this.alpha, (x - this.mu) / this.sd) - this.logMass);
  }

  quantile(p: number): number {
    if (p <= 0) return this.lower;
    if (p >= 1) return this.upper;
    // Invert on the side of the interval's tail so the subtraction stays exact.
    const z = this.alpha >= 0 ? -normalQuantile(normalCdf(-this.alpha) - p * this.mass) : normalQuantile(normalCdf(this.alpha) + p * this.mass);
    return Math.min(this.upper, Math.max(this.lower, this.mu + this.sd * z));
  }

  mean(): number {
    return this.mu + (this.sd * (normalPdf(this.alpha) - normalPdf(this.beta))) / this.mass;
  }

  variance(): number {
    const xPdf = (x: number) => (Number.isFinite(x) ? x * normalPdf(x) : 0);
    const shift = (normalPdf(this.alpha) - normalPdf(this.beta)) / this.mass;
    return this.sd * this.sd * (1 + (xPdf(this.alpha) - xPdf(this.beta)) / this.mass - shift * shift);
  }

  toJSON(): PriorSpec {
    const spec: { kind: 'truncatedNormal'; mean: number; sd: number; lower?: number; upper?: number } = { kind: 'truncatedNormal', mean: this.mu, sd: this.sd };
    if (Number.isFinite(this.lower)) spec.lower = this.lower;
    if (Number.isFinite(this.upper)) spec.upper = this.upper;
    return spec;
  }
}

/** log(Φ(hi) − Φ(lo)), computed in the tail that holds the interval. */
function logMassBetween(lo: number, hi: number): number {
  if (lo >= 0) return logDifference(normalLogCdf(-lo), normalLogCdf(-hi));
  if (hi <= 0) return logDifference(normalLogCdf(hi), normalLogCdf(lo));
  return Math.log(normalCdf(hi) - normalCdf(lo));
}

/** log(e^a − e^b) for a >= b. */
function logDifference(a: number, b: number): number {
  if (b === -Infinity) return a;
  return a + Math.log(-Math.expm1(b - a));
}

function sampleStandard(alpha: number, beta: number, mass: number, rng: RandomSource): number {
  if (mass >= 0.3) {
    for (;;) {
      const z = rng.nextNormal();
      if (z >= alpha && z <= beta) return z;
    }
  }
  if (alpha < 0 && beta > 0) {
    // A short interval around 0: uniform proposal, acceptance >= e^{-max(α², β²)/2}.
    for (;;) {
      const z = alpha + (beta - alpha) * rng.nextDouble();
      if (rng.nextDouble() <= Math.exp(-0.5 * z * z)) return z;
    }
  }
  return alpha >= 0 ? sampleUpperTail(alpha, beta, rng) : -sampleUpperTail(-beta, -alpha, rng);
}

/** N(0,1) restricted to [a, b] with 0 <= a < b <= Infinity (Robert 1995, propositions 2.2 and 2.3). */
function sampleUpperTail(a: number, b: number, rng: RandomSource): number {
  const root = Math.sqrt(a * a + 4);
  const lambda = (a + root) / 2;
  const uniformIsBetter = b - a <= ((2 * SQRT_E) / (a + root)) * Math.exp((a * a - a * root) / 4);
  if (uniformIsBetter) {
    for (;;) {
      const z = a + (b - a) * rng.nextDouble();
      if (rng.nextDouble() <= Math.exp(0.5 * (a * a - z * z))) return z;
    }
  }
  for (;;) {
    const z = a - Math.log(rng.nextOpenDouble()) / lambda;
    if (z > b) continue;
    if (rng.nextDouble() <= Math.exp(-0.5 * (z - lambda) * (z - lambda))) return z;
  }
}
