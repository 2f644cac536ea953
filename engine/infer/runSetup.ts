import type { Executor, SimulationJob, Trial, TrialResult } from '../compute/executor.js';
import { InProcessExecutor } from '../compute/InProcessExecutor.js';
import { createSummaryStatistics } from '../stats/index.js';
import { uniformTimeGrid } from '../simulate/timeGrid.js';
import type { TrajectoryEnsemble } from '../simulate/types.js';
import { assertSeed } from '../sample/random/seedDerivation.js';
import type { Distance, PartSpec, SummaryStatistics } from '../stats/types.js';
import { InferenceError } from './errors.js';
import { effectiveSampleSize } from './weighted.js';
import { resolveDistance } from './parts/distance.js';
import type { AbcOptions, Generation, InferenceProgress } from './types.js';
import { randomSeed } from '../sample/random/randomSeed.js';

/** Everything a sampler needs, resolved from AbcOptions once. */
export interface RunSetup {
  readonly algorithm: string;
  readonly seed: number;
  readonly job: SimulationJob;
  readonly executor: Executor;
  readonly ownsExecutor: boolean;
  readonly distance: Distance;
  readonly observed: Float64Array;
  readonly options: AbcOptions;
  /** Trials of the completed generations (and calibrations) so far: the deterministic count. */
  simulations: number;
  /** Emit a progress event; `inFlight` trials of the generation being sampled are added to the count. */
  progress(event: Omit<InferenceProgress, 'algorithm' | 'simulations'>, inFlight?: number): void;
  /** Map trials through the executor with the run's signal. */
  map(trials: readonly Trial[]): Promise<TrialResult[]>;
}

function isPart(summaries: SummaryStatistics | PartSpec): summaries is SummaryStatistics {
  return typeof (summaries as SummaryStatistics).compute === 'function';
}

/** The output times of the simulation settings: given, else the model's time span. */
function timeOf(options: AbcOptions): number[] {
  const { time, model } = options.simulation;
  if (time) return [...time];
  if (!model.time) throw new InferenceError('simulation.time: the model has no time span; give the output times');
  return Array.from(uniformTimeGrid(model.time.end, model.time.points));
}

export function createRunSetup(algorithm: string, options: AbcOptions): RunSetup {
  const seed = options.seed ?? randomSeed();
  assertSeed(seed);
  const summaries = options.summaries;
  const statisticsSpec = isPart(summaries) ? summaries.toJSON() : summaries;
  const instance = isPart(summaries) ? summaries : null;
  const factory = instance ? (spec: PartSpec) => (spec.kind === instance.kind ? instance : createSummaryStatistics(spec)) : undefined;
  const job: SimulationJob = {
    model: options.simulation.model,
    method: options.simulation.method ?? 'ssa',
    time: timeOf(options),
    parameterIds: [...options.prior.names],
    runsPerTrial: options.simulation.runsPerTrial ?? 1,
    statistics: statisticsSpec,
    returnTrajectories: false,
    seed,
  };
  const executor = options.executor ?? new InProcessExecutor({ statistics: factory });
  let observed: Float64Array;
  if (options.observed instanceof Float64Array) {
    observed = options.observed;
  } else {
    const ensemble: TrajectoryEnsemble = options.observed;
    const statistics = instance ?? createSummaryStatistics(statisticsSpec);
    observed = new Float64Array(statistics.featureNames(ensemble.speciesIds, ensemble.time).length);
    statistics.compute(ensemble, observed);
  }
  const setup: RunSetup = {
    algorithm,
    seed,
    job,
    executor,
    ownsExecutor: options.executor === undefined,
    distance: resolveDistance(options.distance),
    observed,
    options,
    simulations: 0,
    progress(event, inFlight = 0) {
      options.onProgress?.({ algorithm, simulations: setup.simulations + inFlight, ...event });
    },
    async map(trials) {
      const results = await executor.map(job, trials, { signal: options.signal });
      if (results.length !== trials.length)
        throw new InferenceError(`executor ${executor.kind} returned ${results.length} results for ${trials.length} trials`);
      return results;
    },
  };
  return setup;
}

/** The run's configuration as JSON: enough to rebuild every part and rerun it. */
export function baseConfig(setup: RunSetup): Record<string, unknown> {
  const { job } = setup;
  return {
    algorithm: setup.algorithm,
    seed: setup.seed,
    prior: setup.options.prior.toJSON(),
    simulation: { model: job.model, method: job.method, time: job.time, runsPerTrial: job.runsPerTrial, parameterIds: job.parameterIds },
    summaries: job.statistics,
    distance: setup.distance.toJSON(),
    observed: Array.from(setup.observed),
    executor: { kind: setup.executor.kind },
  };
}

/** Feature rows of a generation, as adaptive distances take them. */
export function featureRows(features: Float64Array, count: number, featureCount: number): Float64Array[] {
  return Array.from({ length: count }, (_, i) => features.subarray(i * featureCount, (i + 1) * featureCount));
}

/** Distances of stored features under the current distance (after an adaptive update). */
export function recomputeDistances(generation: Generation, distance: Distance, observed: Float64Array): Float64Array {
  const rows = featureRows(generation.features, generation.count, generation.featureCount);
  return Float64Array.from(rows, (row) => distance.distance(row, observed));
}

/** Assemble a Generation from sampled particles. */
export function makeGeneration(
  setup: RunSetup,
  fields: Pick<
    Generation,
    'index' | 'epsilon' | 'count' | 'particles' | 'weights' | 'distances' | 'features' | 'featureCount' | 'simulations' | 'acceptanceRate'
  >,
): Generation {
  return { ...fields, dimension: setup.job.parameterIds.length, ess: effectiveSampleSize(fields.weights), distance: setup.distance.toJSON() };
}

/** Report a completed generation (progress event, then the onGeneration hook). */
export async function completeGeneration(setup: RunSetup, generation: Generation, populationSize: number): Promise<void> {
  setup.simulations += generation.simulations;
  setup.progress({
    phase: 'generation',
    generation: generation.index,
    epsilon: generation.epsilon,
    accepted: generation.count,
    populationSize,
    acceptanceRate: generation.acceptanceRate,
  });
  await setup.options.onGeneration?.(generation);
}

/** Close the executor if the run created it. */
export async function finishRun(setup: RunSetup): Promise<void> {
  if (setup.ownsExecutor) await setup.executor.close();
}
