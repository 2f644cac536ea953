/**
 * Test doubles for inference tests: an executor that runs a plain function
 * instead of a model (closed-form toy problems), and a gamma prior (a
 * JointPrior the engine does not ship, which shows priors are pluggable).
 */
import type { Executor, MapOptions, SimulationJob, Trial, TrialResult } from '../../../engine/compute/executor';
import { getExample } from '../../../engine/model';
import { deriveStreamState, Xoshiro128, type JointPrior, type RandomSource } from '../../../engine/sample';

/** Runs `simulate(parameters, rng)` per trial, rng from stream (seed, ...trial.stream, 0); results in reverse order. */
export class FunctionExecutor implements Executor {
  readonly kind = 'test-function';
  calls = 0;

  constructor(
    private readonly simulate: (parameters: Float64Array, rng: Xoshiro128) => ArrayLike<number>,
    private readonly batchSize = 7,
    readonly concurrency = 1,
  ) {}

  async map(job: SimulationJob, trials: readonly Trial[], options: MapOptions = {}): Promise<TrialResult[]> {
    this.calls++;
    const results: TrialResult[] = [];
    for (let start = 0; start < trials.length; start += this.batchSize) {
      options.signal?.throwIfAborted();
      for (const trial of trials.slice(start, start + this.batchSize)) {
        const rng = new Xoshiro128(deriveStreamState(job.seed, ...trial.stream, 0));
        results.push({ index: trial.index, features: Float64Array.from(this.simulate(trial.parameters, rng)), trajectories: null, events: 1 });
      }
      options.onProgress?.(Math.min(trials.length, start + this.batchSize), trials.length);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return results.reverse();
  }

  async close(): Promise<void> {}
}

/** A model the function executor ignores (the job needs one). */
export const PLACEHOLDER_SIMULATION = { model: getExample('birth-death')! };

/** Gamma(shape, rate) on one named parameter; Marsaglia & Tsang (2000, doi:10.1145/358407.358414) for shape >= 1. */
export class GammaPrior implements JointPrior {
  readonly kind = 'test-gamma';
  readonly dimension = 1;
  readonly names: string[];

  constructor(
    name: string,
    readonly shape: number,
    readonly rate: number,
  ) {
    this.names = [name];
  }

  sample(rng: RandomSource, out = new Float64Array(1)): Float64Array {
    const d = this.shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = rng.nextNormal();
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      if (Math.log(rng.nextOpenDouble()) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        out[0] = (d * v) / this.rate;
        return out;
      }
    }
  }

  logDensity(x: ArrayLike<number>): number {
    const v = x[0];
    if (!(v > 0)) return -Infinity;
    return (this.shape - 1) * Math.log(v) - this.rate * v; // unnormalised: constants cancel in ABC weights
  }

  toJSON() {
    return { kind: this.kind, name: this.names[0], shape: this.shape, rate: this.rate };
  }
}

/** Weighted mean and sd of the one-parameter posterior of a run. */
export function meanSd(values: Float64Array, weights: Float64Array): { mean: number; sd: number } {
  let m = 0;
  for (let i = 0; i < values.length; i++) m += weights[i] * values[i];
  let v = 0;
  for (let i = 0; i < values.length; i++) v += weights[i] * (values[i] - m) ** 2;
  return { mean: m, sd: Math.sqrt(v) };
}
