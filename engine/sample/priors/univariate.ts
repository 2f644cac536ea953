import { normalCdf, normalLogPdf, normalQuantile } from './normalDistribution.js';
import type { Prior, PriorSpec, RandomSource } from './types.js';

/** Uniform on [lower, upper]. */
export class UniformPrior implements Prior {
  readonly kind = 'uniform';
  readonly bounds: readonly [number, number];
  private readonly logWidth: number;

  constructor(
    readonly lower: number,
    readonly upper: number,
  ) {
    if (!(Number.isFinite(lower) && Number.isFinite(upper) && upper > lower)) {
      throw new RangeError(`uniform prior needs finite lower < upper, got [${lower}, ${upper}]`);
    }
    this.bounds = [lower, upper];
    this.logWidth = Math.log(upper - lower);
  }

  sample(rng: RandomSource): number {
    return this.lower + (this.upper - this.lower) * rng.nextDouble();
  }

  logDensity(x: number): number {
    return x >= this.lower && x <= this.upper ? -this.logWidth : -Infinity;
  }

  cdf(x: number): number {
    return x <= this.lower ? 0 : x >= this.upper ? 1 : (x - this.lower) / (this.upper - this.lower);
  }

  quantile(p: number): number {
    return this.lower + (this.upper - this.lower) * p;
  }

  mean(): number {
    return (this.lower + this.upper) / 2;
  }

  variance(): number {
    return (this.upper - this.lower) ** 2 / 12;
  }

  toJSON(): PriorSpec {
    return { kind: 'uniform', lower: this.lower, upper: this.upper };
  }
}

/** Log-uniform (reciprocal) on [lower, upper], lower > 0: log x is uniform. */
export class LogUniformPrior implements Prior {
  readonly kind = 'logUniform';
  readonly bounds: readonly [number, number];
  private readonly logLower: number;
  private readonly logRange: number;

  constructor(
    readonly lower: number,
    readonly upper: number,
  ) {
    if (!(Number.isFinite(lower) && Number.isFinite(upper) && lower > 0 && upper > lower)) {
      throw new RangeError(`log-uniform prior needs 0 < lower < upper < Infinity, got [${lower}, ${upper}]`);
    }
    this.bounds = [lower, upper];
    this.logLower = Math.log(lower);
    this.logRange = Math.log(upper) - this.logLower;
  }

  sample(rng: RandomSource): number {
    return Math.min(this.upper, Math.max(this.lower, Math.exp(this.logLower + this.logRange * rng.nextDouble())));
  }

  logDensity(x: number): number {
    return x >= this.lower && x <= this.upper ? -Math.log(x) - Math.log(this.logRange) : -Infinity;
  }

  cdf(x: number): number {
    return x <= this.lower ? 0 : x >= this.upper ? 1 : (Math.log(x) - this.logLower) / this.logRange;
  }

  quantile(p: number): number {
    return Math.exp(this.logLower + this.logRange * p);
  }

  mean(): number {
    return (this.upper - this.lower) / this.logRange;
  }

  variance(): number {
    const m = this.mean();
    return (this.upper * this.upper - this.lower * this.lower) / (2 * this.logRange) - m * m;
  }

  toJSON(): PriorSpec {
    return { kind: 'logUniform', lower: this.lower, upper: this.upper };
  }
}

/** Normal with mean and standard deviation sd > 0. */
export class NormalPrior implements Prior {
  readonly kind = 'normal';
  readonly bounds: readonly [number, number] = [-Infinity, Infinity];

  constructor(
    readonly mu: number,
    readonly sd: number,
  ) {
    if (!(Number.isFinite(mu) && Number.isFinite(sd) && sd > 0)) throw new RangeError(`normal prior needs a finite mean and sd > 0, got mean ${mu}, sd ${sd}`);
  }

  sample(rng: RandomSource): number {
    return this.mu + this.sd * rng.nextNormal();
  }

  logDensity(x: number): number {
    return normalLogPdf((x - this.mu) / this.sd) - Math.log(this.sd);
  }

  cdf(x: number): number {
    return normalCdf((x - this.mu) / this.sd);
  }

  quantile(p: number): number {
    return this.mu + this.sd * normalQuantile(p);
  }

  mean(): number {
    return this.mu;
  }

  variance(): number {
    return this.sd * this.sd;
  }

  toJSON(): PriorSpec {
    return { kind: 'normal', mean: this.mu, sd: this.sd };
  }
}

/** Log-normal: log x ~ Normal(mu, sigma²); mu and sigma are on the log scale. */
export class LogNormalPrior implements Prior {
  readonly kind = 'logNormal';
  readonly bounds: readonly [number, number] = [0, Infinity];

  constructor(
    readonly mu: number,
    readonly sigma: number,
  ) {
    if (!(Number.isFinite(mu) && Number.isFinite(sigma) && sigma > 0))
      throw new RangeError(`log-normal prior needs a finite mu and sigma > 0, got mu ${mu}, sigma ${sigma}`);
  }

  sample(rng: RandomSource): number {
    return Math.exp(this.mu + this.sigma * rng.nextNormal());
  }

  logDensity(x: number): number {
    if (!(x > 0)) return -Infinity;
    const lx = Math.log(x);
    return normalLogPdf((lx - this.mu) / this.sigma) - Math.log(this.sigma) - lx;
  }

  cdf(x: number): number {
    return x <= 0 ? 0 : normalCdf((Math.log(x) - this.mu) / this.sigma);
  }

  quantile(p: number): number {
    return Math.exp(this.mu + this.sigma * normalQuantile(p));
  }

  mean(): number {
    return Math.exp(this.mu + (this.sigma * this.sigma) / 2);
  }

  variance(): number {
    const s2 = this.sigma * this.sigma;
    return Math.expm1(s2) * Math.exp(2 * this.mu + s2);
  }

  toJSON(): PriorSpec {
    return { kind: 'logNormal', mu: this.mu, sigma: this.sigma };
  }
}
