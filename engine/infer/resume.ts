import type { ReactionNetworkInput } from '../model/schema.js';
import type { Distance, PartSpec } from '../stats/types.js';
import { InferenceError } from './errors.js';
import type { ObservedData } from './observedData.js';
import type { Posterior } from './Posterior.js';
import { replenishmentSmcAbc } from './replenishmentSmcAbc.js';
import { smcAbc } from './smcAbc.js';
import { withBlackBoxSimulator, type Study, type StudyRunOptions } from './study.js';
import { InProcessExecutor } from '../compute/InProcessExecutor.js';
import { blackBoxModel } from '../simulate/blackbox/spec.js';
import type { AbcOptions, DistanceFunction, Generation } from './types.js';

/**
 * Where a run continues: its stored generations 0 .. k, as onGeneration gave
 * them. Everything the next generation depends on is in them: the
 * particles, weights, distances and statistics of generation k, and the
 * distance's learnt state after it (`Generation.distance`). The epsilon
 * schedule and the kernels adapt from the last generation only, and trial i
 * of generation g draws from stream (seed, g, i), so continuing from k gives
 * the same generations k + 1, k + 2, ... as the uninterrupted run.
 */
export interface ResumePoint {
  readonly generations: readonly Generation[];
}

/** Algorithms that can continue from a stored generation. */
export const RESUMABLE_ALGORITHMS = ['smcAbc', 'replenishmentSmcAbc'] as const;

function isPlainSpec(distance: Distance | PartSpec | DistanceFunction | undefined): boolean {
  return distance === undefined || (typeof distance === 'object' && !('distance' in distance && typeof (distance as Distance).distance === 'function'));
}

/**
 * The options a resumed algorithm starts from: the distance is rebuilt from
 * the last stored generation's learnt state (a plain function or a live
 * distance object keeps what it is; it must then carry its own state).
 */
export function resumeOptions<T extends AbcOptions & { resumeFrom?: ResumePoint }>(options: T): T {
  const generations = options.resumeFrom?.generations ?? [];
  if (generations.length === 0) return options;
  generations.forEach((g, i) => {
    if (g.index !== i) throw new InferenceError(`resume: stored generations must be 0, 1, 2, ... in order; found generation ${g.index} at position ${i}`);
  });
  const last = generations[generations.length - 1];
  if (!isPlainSpec(options.distance) || last.distance.kind === 'function') return options;
  return { ...options, distance: last.distance };
}

export interface StudyResumeOptions extends StudyRunOptions {
  /** The run's seed (required: the stored generations came from it). */
  readonly seed: number;
  readonly generations: readonly Generation[];
}

/**
 * Continue a study's SMC-ABC or replenishment SMC-ABC run from its stored
 * generations; the same options as runStudy otherwise (seed and overrides as
 * the run was started with). A black-box simulator study runs as runStudy
 * runs it: the simulator's interface as the model (the stored model when
 * given), the simulator added to every job.
 */
export async function resumeStudy(study: Study, model: ReactionNetworkInput, observed: ObservedData, options: StudyResumeOptions): Promise<Posterior> {
  const { kind, ...settings } = study.algorithm;
  if (!(RESUMABLE_ALGORITHMS as readonly string[]).includes(kind)) throw new InferenceError(`${study.name}: ${kind} runs cannot be resumed (only ${RESUMABLE_ALGORITHMS.join(' and ')}); start the run again`);
  if (study.simulator) {
    const simulator = study.simulator;
    const inner = options.executor ?? new InProcessExecutor();
    try {
      const interfaceModel = model.reactions?.length === 0 ? model : blackBoxModel(simulator);
      return await resumeStudy({ ...study, simulator: undefined }, interfaceModel, observed, { ...options, executor: withBlackBoxSimulator(inner, simulator) });
    } finally {
      if (!options.executor) await inner.close();
    }
  }
  const common = {
    prior: study.prior,
    simulation: { model, method: study.method, time: Array.from(observed.time), runsPerTrial: study.runsPerTrial },
    summaries: study.summaries,
    distance: study.distance,
    observed,
    executor: options.executor,
    seed: options.seed,
    signal: options.signal,
    onProgress: options.onProgress,
    onGeneration: options.onGeneration,
    resumeFrom: { generations: options.generations },
  };
  const populationSize = options.populationSize ?? (settings as { populationSize?: number }).populationSize;
  const maxGenerations = options.maxGenerations ?? (settings as { maxGenerations?: number }).maxGenerations;
  if (kind === 'smcAbc') return smcAbc({ ...common, ...(settings as object), populationSize, maxGenerations });
  return replenishmentSmcAbc({ ...common, ...(settings as object), populationSize, maxGenerations });
}
