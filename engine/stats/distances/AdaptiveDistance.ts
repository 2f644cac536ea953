import { FeatureShapeError } from '../errors.js';
import { mean } from '../features/mean.js';
import { variance } from '../features/variance.js';
import { finiteColumn } from '../scalers/finiteColumn.js';
import type { Distance, DistanceContext, PartSpec } from '../types.js';
import { checkLengths } from './checkLengths.js';
import { medianAbsoluteDeviation } from './medianAbsoluteDeviation.js';
import { observedNaNWarnings } from './nanPolicy.js';

export type AdaptiveScale = 'mad' | 'sd';

export interface AdaptiveDistanceSpec extends PartSpec {
  readonly kind: 'adaptive';
  readonly scale: AdaptiveScale;
  /** Current per-feature scales (absent before the first initialize). */
  readonly scales?: readonly number[];
}

/**
 * Prangle's adaptive distance: d(x, y) = sqrt(sum_j ((x_j - y_j) / s_j)^2),
 * the scales s_j re-estimated after every generation from the features
 * simulated in it (MAD by default, or the population SD).
 *
 * Method: Prangle 2017, "Adapting the ABC distance function", Bayesian
 * Analysis 12:289, doi:10.1214/16-BA1002 (Algorithm 4: the scales of
 * generation t come from all its simulations, accepted or not; pass those
 * as `context.features`). `initialize` estimates the first scales from
 * prior-predictive features; `update` replaces them (they are not pooled
 * over generations). A feature whose scale is 0 or undefined (constant or
 * NaN across the generation) gets weight 0: it cannot rank the simulations.
 * Before any estimate, every scale is 1. NaN rules: see nanPolicy.ts.
 */
export class AdaptiveDistance implements Distance {
  readonly kind = 'adaptive';
  readonly warnings: string[] = [];
  readonly scale: AdaptiveScale;
  private scales: Float64Array | undefined;
  /** 1 / s_j^2, or 0 for an unusable scale. */
  private weights: Float64Array = new Float64Array(0);

  constructor(options: { scale?: AdaptiveScale; scales?: readonly number[] } = {}) {
    this.scale = options.scale ?? 'mad';
    if (options.scales) this.setScales(Float64Array.from(options.scales));
  }

  /** The current scales (a copy), or undefined before the first estimate. */
  get currentScales(): Float64Array | undefined {
    return this.scales?.slice();
  }

  initialize(context: DistanceContext): void {
    this.warnings.push(...observedNaNWarnings(this.kind, context.observed));
    this.update(context);
  }

  update(context: DistanceContext): void {
    const rows = context.features;
    if (rows.length === 0) return;
    const d = context.observed.length;
    const column = new Float64Array(rows.length);
    const scratch = new Float64Array(rows.length);
    const scales = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      const n = finiteColumn(rows, j, column);
      if (this.scale === 'mad') scales[j] = n > 0 ? medianAbsoluteDeviation(column, n, scratch) : NaN;
      else scales[j] = n > 0 ? Math.sqrt(variance(column, 0, n, mean(column, 0, n))) : NaN;
    }
    this.setScales(scales);
  }

  private setScales(scales: Float64Array): void {
    this.scales = scales;
    this.weights = Float64Array.from(scales, (s) => (s > 0 && s < Infinity ? 1 / (s * s) : 0));
  }

  distance(features: Float64Array, observed: Float64Array): number {
    checkLengths(this.kind, features, observed);
    const w = this.weights;
    const weighted = this.scales !== undefined;
    if (weighted && w.length !== observed.length) throw new FeatureShapeError('adaptive distance: features (one per scale)', w.length, observed.length);
    let s = 0;
    for (let j = 0; j < observed.length; j++) {
      const y = observed[j];
      if (y !== y) continue;
      const wj = weighted ? w[j] : 1;
      if (wj === 0) continue;
      const x = features[j];
      if (x !== x) return Infinity;
      s += wj * (x - y) * (x - y);
    }
    return Math.sqrt(s);
  }

  toJSON(): AdaptiveDistanceSpec {
    // NaN scales (no finite value seen) are stored as 0: both mean "weight 0".
    const spec: AdaptiveDistanceSpec = { kind: 'adaptive', scale: this.scale };
    return this.scales ? { ...spec, scales: Array.from(this.scales, (s) => (Number.isFinite(s) ? s : 0)) } : spec;
  }
}
