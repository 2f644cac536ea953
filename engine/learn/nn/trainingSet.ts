import type { Executor, SimulationJob, Trial } from '../../compute/executor.js';
import type { ReactionNetworkInput } from '../../model/schema.js';
import type { JointPrior } from '../../sample/priors/types.js';
import { Xoshiro128 } from '../../sample/random/Xoshiro128.js';
import { deriveStreamState } from '../../sample/random/seedDerivation.js';
import type { BlackBoxSimulatorSpec } from '../../simulate/blackbox/spec.js';
import type { SimulationMethod } from '../../simulate/types.js';
import { NeuralNetworkError } from './errors.js';

/** Parameter points and their series, ready for training. */
export interface TrainingSet {
  readonly species: readonly string[];
  readonly parameters: readonly string[];
  readonly timePoints: number;
  readonly size: number;
  /** Raw series, [size, timePoints, species] (time-major, channels last). */
  readonly inputs: Float32Array;
  /** Parameters scaled to [0, 1] by the prior box, [size, parameters]. */
  readonly targets: Float32Array;
  /** The prior box used for the scaling. */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

export interface SimulateTrainingSetOptions {
  /** The simulation: a model (or a black-box simulator's interface model plus the simulator), method and output times. */
  readonly model: ReactionNetworkInput;
  readonly simulator?: BlackBoxSimulatorSpec;
  readonly method?: SimulationMethod;
  readonly time: readonly number[];
  readonly prior: BoxedPrior;
  /** Species the network reads, in order (default: all the model's). */
  readonly species?: readonly string[];
  /** Parameter points (one trajectory each). */
  readonly n: number;
  readonly seed: number;
  readonly executor: Executor;
  readonly signal?: AbortSignal;
  readonly onProgress?: (completed: number, total: number) => void;
  /** Trials per executor call (default 1000): bounds the memory of full trajectories in flight. */
  readonly chunk?: number;
}

/** A joint prior, with its support when it has one (IndependentPrior does). */
export type BoxedPrior = JointPrior & { readonly lower?: ArrayLike<number>; readonly upper?: ArrayLike<number> };

/** Prior draws use stream (seed, i, DRAW_STREAM), simulations (seed, i, 0): the two never meet. */
const DRAW_STREAM = Number.MAX_SAFE_INTEGER;

/**
 * Where a bound is infinite (normal priors), the box is the 0.1% and 99.9%
 * quantiles of the draws' range, so the targets stay in about [0, 1].
 */
function priorBox(prior: BoxedPrior, draws: Float64Array, n: number): { lower: Float64Array; upper: Float64Array } {
  const d = prior.dimension;
  const lower = prior.lower ? Float64Array.from(prior.lower) : new Float64Array(d).fill(-Infinity);
  const upper = prior.upper ? Float64Array.from(prior.upper) : new Float64Array(d).fill(Infinity);
  for (let k = 0; k < d; k++) {
    if (Number.isFinite(lower[k]) && Number.isFinite(upper[k])) continue;
    const column = Float64Array.from({ length: n }, (_, i) => draws[i * d + k]).sort();
    if (!Number.isFinite(lower[k])) lower[k] = column[Math.floor(0.001 * (n - 1))];
    if (!Number.isFinite(upper[k])) upper[k] = column[Math.ceil(0.999 * (n - 1))];
    if (!(upper[k] > lower[k])) upper[k] = lower[k] + 1;
  }
  return { lower, upper };
}

/**
 * Simulate a training set: n parameter points drawn from the prior (draw i
 * from the stream (seed, i, DRAW_STREAM)), one trajectory each through the
 * executor (all local cores or SSH nodes), the chosen species kept. A pure
 * function of (options, seed), whichever executor runs it.
 */
export async function simulateTrainingSet(options: SimulateTrainingSetOptions): Promise<TrainingSet> {
  const { prior, n, seed, executor } = options;
  if (!Number.isSafeInteger(n) || n < 2) throw new NeuralNetworkError('n', `expected at least 2 training points, got ${n}`);
  const modelSpecies = (options.model.species ?? []).map((s) => s.id);
  const species = options.species ?? modelSpecies;
  const rows = species.map((id, i) => {
    const row = modelSpecies.indexOf(id);
    if (row < 0) throw new NeuralNetworkError(`species[${i}]`, `unknown species "${id}"; the model has ${modelSpecies.join(', ')}`);
    return row;
  });
  const T = options.time.length;
  const S = species.length;
  const d = prior.dimension;
  const draws = new Float64Array(n * d);
  for (let i = 0; i < n; i++) prior.sample(new Xoshiro128(deriveStreamState(seed, i, DRAW_STREAM)), draws.subarray(i * d, (i + 1) * d));
  const job: SimulationJob = {
    model: options.model,
    method: options.method ?? 'ssa',
    time: [...options.time],
    parameterIds: [...prior.names],
    runsPerTrial: 1,
    statistics: null,
    returnTrajectories: true,
    seed,
    ...(options.simulator ? { simulator: options.simulator } : {}),
  };
  const inputs = new Float32Array(n * T * S);
  const chunk = Math.max(1, options.chunk ?? 1000);
  const block = modelSpecies.length * T;
  for (let from = 0; from < n; from += chunk) {
    options.signal?.throwIfAborted();
    const trials: Trial[] = [];
    for (let i = from; i < Math.min(n, from + chunk); i++) trials.push({ index: i, parameters: draws.subarray(i * d, (i + 1) * d), stream: [i] });
    const results = await executor.map(job, trials, {
      signal: options.signal,
      onProgress: options.onProgress && ((done) => options.onProgress!(from + done, n)),
    });
    for (const result of results) {
      const data = result.trajectories;
      if (!data || data.length !== block)
        throw new NeuralNetworkError('executor', `trial ${result.index}: expected ${block} trajectory values, got ${data?.length ?? 'none'}`);
      const base = result.index * T * S;
      for (let s = 0; s < S; s++) for (let t = 0; t < T; t++) inputs[base + t * S + s] = data[rows[s] * T + t];
    }
  }
  const { lower, upper } = priorBox(prior, draws, n);
  const targets = new Float32Array(n * d);
  for (let i = 0; i < n * d; i++) targets[i] = (draws[i] - lower[i % d]) / (upper[i % d] - lower[i % d]);
  return { species, parameters: [...prior.names], timePoints: T, size: n, inputs, targets, lower, upper };
}
