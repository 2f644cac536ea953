import type { PartSpec } from '../stats/types.js';
import { adjustGeneration, readRegressionAdjustment, type AdjustmentFit, type RegressionAdjustmentSpec } from './regressionAdjustment.js';
import type { Generation, StopReason } from './types.js';
import { effectiveSampleSize, weightedQuantile } from './weighted.js';

/** A generation as plain JSON (typed arrays become number arrays). */
export type GenerationJSON = Omit<Generation, 'particles' | 'weights' | 'distances' | 'features'> & {
  particles: number[];
  weights: number[];
  distances: number[];
  features: number[];
};

export interface PosteriorJSON {
  readonly parameterNames: readonly string[];
  readonly stopReason: StopReason;
  readonly simulations: number;
  readonly config: Record<string, unknown>;
  readonly generations: readonly GenerationJSON[];
  /** The regression-adjusted final particles when the run chose them (fromJSON recomputes them from the config). */
  readonly adjusted?: { readonly particles: number[]; readonly weights: number[] };
}

export interface ParameterSummary {
  readonly parameter: string;
  readonly mean: number;
  readonly median: number;
  readonly sd: number;
  /** Equal-tailed credible interval. */
  readonly lower: number;
  readonly upper: number;
}

export interface DensityEstimate {
  readonly x: Float64Array;
  readonly density: Float64Array;
  readonly bandwidth: number;
}

/**
 * The result of an ABC run: weighted particles per generation (the last is
 * the posterior approximation), the run's configuration and why it stopped.
 * Statistics default to the last generation; pass a generation index for
 * earlier ones (to watch the posterior form).
 *
 * When the configuration asks for a regression adjustment
 * (`config.regressionAdjustment`, see regressionAdjustment.ts), the final
 * generation as `last` and `generation()` give it (and so every statistic,
 * the density estimate and the CSV) is the adjusted one: same count,
 * distances and statistics, adjusted parameters, importance weights times
 * the Epanechnikov weights. `generations` keeps what was sampled and stored;
 * `unadjusted` is its last entry. The adjusted particles are computed on
 * first use from the stored generation and `config.observed`, so a run loaded
 * from a project shows the same adjusted posterior as the run that made it.
 */
export class Posterior {
  constructor(
    readonly parameterNames: readonly string[],
    readonly generations: readonly Generation[],
    readonly config: Record<string, unknown>,
    readonly stopReason: StopReason,
    /** Trials simulated by the whole run. */
    readonly simulations: number,
  ) {
    if (generations.length === 0) throw new RangeError('a posterior needs at least one generation');
  }

  private adjustedCache: { generation: Generation; fits: readonly AdjustmentFit[] } | null | undefined;

  /** The final generation as sampled (before any regression adjustment). */
  get unadjusted(): Generation {
    return this.generations[this.generations.length - 1];
  }

  /** The regression adjustment the run chose, if any (and if the config carries the observed statistics it needs). */
  get regressionAdjustment(): RegressionAdjustmentSpec | undefined {
    const spec = readRegressionAdjustment(this.config.regressionAdjustment, this.unadjusted.dimension);
    return spec && Array.isArray(this.config.observed) ? spec : undefined;
  }

  /** The adjusted final generation and what each parameter's regression chose; undefined without an adjustment. */
  get adjustment(): { readonly generation: Generation; readonly fits: readonly AdjustmentFit[] } | undefined {
    if (this.adjustedCache === undefined) {
      const spec = this.regressionAdjustment;
      this.adjustedCache = spec ? adjustGeneration(this.unadjusted, this.config.observed as number[], spec) : null;
    }
    return this.adjustedCache ?? undefined;
  }

  /** The posterior approximation: the final generation, regression-adjusted when the run chose that. */
  get last(): Generation {
    return this.adjustment?.generation ?? this.unadjusted;
  }

  /** Generation `index` as sampled; the final one (index omitted or the last index) as `last` gives it. */
  generation(index?: number): Generation {
    return index === undefined || index === this.generations.length - 1 ? this.last : this.generations[index];
  }

  /** Particle values of one parameter (name or index). */
  values(parameter: string | number, generation?: number): Float64Array {
    const g = this.generation(generation);
    const k = typeof parameter === 'number' ? parameter : this.parameterNames.indexOf(parameter);
    if (k < 0 || k >= g.dimension) throw new RangeError(`unknown parameter ${JSON.stringify(parameter)}; parameters are ${this.parameterNames.join(', ')}`);
    return Float64Array.from({ length: g.count }, (_, i) => g.particles[i * g.dimension + k]);
  }

  mean(generation?: number): Float64Array {
    const g = this.generation(generation);
    const m = new Float64Array(g.dimension);
    for (let i = 0; i < g.count; i++) for (let k = 0; k < g.dimension; k++) m[k] += g.weights[i] * g.particles[i * g.dimension + k];
    return m;
  }

  /** Weighted standard deviation (the biased, importance-sampling form). */
  sd(generation?: number): Float64Array {
    const g = this.generation(generation);
    const m = this.mean(generation);
    const v = new Float64Array(g.dimension);
    for (let i = 0; i < g.count; i++) for (let k = 0; k < g.dimension; k++) v[k] += g.weights[i] * (g.particles[i * g.dimension + k] - m[k]) ** 2;
    return v.map(Math.sqrt);
  }

  quantile(p: number, generation?: number): Float64Array {
    const g = this.generation(generation);
    return Float64Array.from(this.parameterNames, (_, k) => weightedQuantile(this.values(k, generation), g.weights, p));
  }

  median(generation?: number): Float64Array {
    return this.quantile(0.5, generation);
  }

  /** Equal-tailed intervals holding `level` of the posterior mass, per parameter. */
  credibleInterval(level = 0.95, generation?: number): Array<[number, number]> {
    const lo = this.quantile((1 - level) / 2, generation);
    const hi = this.quantile(1 - (1 - level) / 2, generation);
    return Array.from(lo, (v, k) => [v, hi[k]]);
  }

  summary(level = 0.95, generation?: number): ParameterSummary[] {
    const mean = this.mean(generation);
    const median = this.median(generation);
    const sd = this.sd(generation);
    const ci = this.credibleInterval(level, generation);
    return this.parameterNames.map((parameter, k) => ({ parameter, mean: mean[k], median: median[k], sd: sd[k], lower: ci[k][0], upper: ci[k][1] }));
  }

  /**
   * Weighted Gaussian kernel density estimate of one marginal, for plots.
   * Bandwidth by Silverman's rule 0.9·min(sd, IQR/1.34)·n^(-1/5) with n the
   * effective sample size (Silverman 1986, Density Estimation, §3.4.2).
   */
  kde(parameter: string | number, options: { points?: number; bandwidth?: number; from?: number; to?: number; generation?: number } = {}): DensityEstimate {
    const g = this.generation(options.generation);
    const values = this.values(parameter, options.generation);
    const w = g.weights;
    let mean = 0;
    for (let i = 0; i < values.length; i++) mean += w[i] * values[i];
    let variance = 0;
    for (let i = 0; i < values.length; i++) variance += w[i] * (values[i] - mean) ** 2;
    const iqr = weightedQuantile(values, w, 0.75) - weightedQuantile(values, w, 0.25);
    const spread = Math.min(Math.sqrt(variance), iqr > 0 ? iqr / 1.34 : Infinity);
    const fallback = Math.abs(mean) > 0 ? Math.abs(mean) * 1e-3 : 1e-3;
    const bandwidth =
      options.bandwidth ?? (spread > 0 && Number.isFinite(spread) ? spread : fallback) * 0.9 * Math.pow(Math.max(effectiveSampleSize(w), 1), -0.2);
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    const from = options.from ?? min - 3 * bandwidth;
    const to = options.to ?? max + 3 * bandwidth;
    const points = options.points ?? 200;
    const x = Float64Array.from({ length: points }, (_, j) => from + ((to - from) * j) / Math.max(1, points - 1));
    const density = new Float64Array(points);
    const norm = 1 / (bandwidth * Math.sqrt(2 * Math.PI));
    for (let i = 0; i < values.length; i++) {
      if (w[i] === 0) continue;
      for (let j = 0; j < points; j++) {
        const z = (x[j] - values[i]) / bandwidth;
        if (z > -8 && z < 8) density[j] += w[i] * norm * Math.exp(-0.5 * z * z);
      }
    }
    return { x, density, bandwidth };
  }

  /** CSV of one generation's particles: one column per parameter, then weight and distance. */
  toCsv(generation?: number): string {
    const g = this.generation(generation);
    const lines = [[...this.parameterNames, 'weight', 'distance'].join(',')];
    for (let i = 0; i < g.count; i++) {
      const row = Array.from(g.particles.subarray(i * g.dimension, (i + 1) * g.dimension), String);
      lines.push([...row, String(g.weights[i]), String(g.distances[i])].join(','));
    }
    return lines.join('\n') + '\n';
  }

  toJSON(): PosteriorJSON {
    return {
      parameterNames: [...this.parameterNames],
      stopReason: this.stopReason,
      simulations: this.simulations,
      config: this.config,
      generations: this.generations.map((g) => ({
        ...g,
        particles: Array.from(g.particles),
        weights: Array.from(g.weights),
        distances: Array.from(g.distances),
        features: Array.from(g.features),
      })),
      ...(this.adjustment ? { adjusted: { particles: Array.from(this.last.particles), weights: Array.from(this.last.weights) } } : {}),
    };
  }

  static fromJSON(json: PosteriorJSON): Posterior {
    const generations = json.generations.map((g) => ({
      ...g,
      distance: g.distance as PartSpec,
      particles: Float64Array.from(g.particles),
      weights: Float64Array.from(g.weights),
      distances: Float64Array.from(g.distances),
      features: Float64Array.from(g.features),
    }));
    return new Posterior(json.parameterNames, generations, json.config, json.stopReason, json.simulations);
  }
}
