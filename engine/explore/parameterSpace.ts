import type { Prior } from '../sample/priors/types.js';

/** Unit-cube coordinates are kept off 0 and 1 so quantiles of unbounded priors stay finite. */
const EDGE = 1e-9;

/**
 * The explored parameter space: names and one prior per parameter (a
 * `[lower, upper]` box is a uniform prior). Points live in two coordinate
 * systems: the unit cube, where designs, regions and the active-learning
 * classifier work (u = prior CDF of the value, so a log-uniform range is
 * explored evenly in log scale), and parameter values for the simulator
 * (theta = prior quantile of u).
 */
export class ParameterSpace {
  readonly dimension: number;

  constructor(
    readonly names: readonly string[],
    readonly priors: readonly Prior[],
  ) {
    this.dimension = names.length;
  }

  /** Row-major unit points → parameter values. */
  toParameters(unit: Float64Array): Float64Array {
    const d = this.dimension;
    const out = new Float64Array(unit.length);
    for (let i = 0; i < unit.length; i++) out[i] = this.priors[i % d].quantile(Math.min(1 - EDGE, Math.max(EDGE, unit[i])));
    return out;
  }

  /** Row-major parameter values → unit points. */
  toUnit(parameters: Float64Array): Float64Array {
    const d = this.dimension;
    const out = new Float64Array(parameters.length);
    for (let i = 0; i < parameters.length; i++) out[i] = Math.min(1 - EDGE, Math.max(EDGE, this.priors[i % d].cdf(parameters[i])));
    return out;
  }

  /** Support of each parameter (infinite for unbounded priors). */
  bounds(): Array<[number, number]> {
    return this.priors.map((p) => [p.bounds[0], p.bounds[1]]);
  }
}
