import { GaussianProcess, type Prediction, type Rows } from './GaussianProcess.js';
import type { GaussianProcessOptions } from './gpOptions.js';
import { toRowMajor } from './scaling.js';
import { SurrogateError, SurrogateSpecError } from './SurrogateError.js';

/**
 * Several outputs (e.g. every summary statistic, predicted from the
 * parameters) by one independent GP per output, each with its own
 * hyperparameters: the simplest multi-output model, and the usual one when
 * outputs differ in scale and smoothness (GPML §9.1 discusses coupled
 * alternatives). Output j is fitted with seed (options.seed ?? 0) + j.
 */
export class MultiOutputGp {
  readonly kind = 'multiOutputGp';
  readonly outputs: readonly GaussianProcess[];

  constructor(outputs: readonly GaussianProcess[]) {
    if (outputs.length === 0) throw new SurrogateError('MultiOutputGp', 'outputs', 'expected at least one GP');
    const d = outputs[0].dimension;
    outputs.forEach((gp, j) => {
      if (gp.dimension !== d) throw new SurrogateError('MultiOutputGp', `outputs[${j}]`, `expected input dimension ${d}, got ${gp.dimension}`);
    });
    this.outputs = outputs;
  }

  /** `y` holds n rows of p outputs (flat row-major with `outputCount`, or an array of rows). */
  static fit(x: Rows, y: Float64Array | ReadonlyArray<ArrayLike<number>>, options: GaussianProcessOptions & { outputCount?: number } = {}): MultiOutputGp {
    const { outputCount, ...gpOptions } = options;
    const ys = toRowMajor('MultiOutputGp.fit', 'y', y, outputCount);
    const gps: GaussianProcess[] = [];
    for (let j = 0; j < ys.d; j++) {
      const column = new Float64Array(ys.n);
      for (let i = 0; i < ys.n; i++) column[i] = ys.data[i * ys.d + j];
      gps.push(GaussianProcess.fit(x, column, { ...gpOptions, seed: (gpOptions.seed ?? 0) + j }));
    }
    return new MultiOutputGp(gps);
  }

  get dimension(): number {
    return this.outputs[0].dimension;
  }

  get outputCount(): number {
    return this.outputs.length;
  }

  /** Means and variances as m × p row-major matrices (row i: the p outputs at x_i). */
  predict(x: Rows, options: { includeNoise?: boolean } = {}): Prediction {
    const p = this.outputs.length;
    const parts = this.outputs.map((gp) => gp.predict(x, options));
    const m = parts[0].mean.length;
    const mean = new Float64Array(m * p);
    const variance = new Float64Array(m * p);
    for (let j = 0; j < p; j++) {
      for (let i = 0; i < m; i++) {
        mean[i * p + j] = parts[j].mean[i];
        variance[i * p + j] = parts[j].variance[i];
      }
    }
    return { mean, variance };
  }

  toJSON(): { kind: 'multiOutputGp'; version: 1; outputs: ReturnType<GaussianProcess['toJSON']>[] } {
    return { kind: 'multiOutputGp', version: 1, outputs: this.outputs.map((gp) => gp.toJSON()) };
  }

  static fromJSON(json: unknown): MultiOutputGp {
    const j = json as { kind?: unknown; version?: unknown; outputs?: unknown };
    if (typeof j !== 'object' || j === null || j.kind !== 'multiOutputGp' || j.version !== 1 || !Array.isArray(j.outputs)) {
      throw new SurrogateSpecError('stored multi-output GP', [
        { path: 'multiOutputGp', message: 'expected { kind: "multiOutputGp", version: 1, outputs: [...] }' },
      ]);
    }
    return new MultiOutputGp(j.outputs.map((o) => GaussianProcess.fromJSON(o)));
  }
}
