import { deriveStreamState } from '../sample/random/seedDerivation.js';
import { simulatorForMethodModel } from '../simulate/simulatorForMethodModel.js';
import type { SimulatorOptions } from '../simulate/createSimulator.js';
import { assertTimeGrid } from '../simulate/timeGrid.js';
import { eventBudget } from '../simulate/budget.js';
import type { Simulator } from '../simulate/types.js';
import type { ReactionNetwork } from '../model/schema.js';
import { asSimulationFailure, SimulationSettingsError } from '../errors/index.js';
import type { PartSpec, SummaryStatistics } from '../stats/types.js';
import type { SimulationJob, Trial, TrialResult } from './executor.js';

/**
 * A job made ready to run trials, from a job whose model has been validated
 * (runTrial.ts validates; the worker pool validates and converts on its own
 * thread before it sends a job, see pool/validatedJob.ts).
 *
 * Why a module apart from runTrial: this one imports no schema library. A
 * worker thread loads it at start-up without evaluating zod (two thirds of
 * the thread bundle's bytes), and is ready in 115 ms instead of 167
 * (issue 15). Summary statistics and black-box simulators, whose specs are
 * parsed with zod, are imported when a job has them.
 */

/** Rebuilds summary statistics from their JSON (the stats registry by default). */
export type StatisticsFactory = (spec: PartSpec) => SummaryStatistics;

/** A job ready to run trials: built once, reused for every trial of the job. */
export interface PreparedJob {
  readonly job: SimulationJob;
  readonly simulator: Simulator;
  readonly statistics: SummaryStatistics | null;
  readonly grid: Float64Array;
  readonly featureNames: readonly string[];
  run(trial: Trial): TrialResult;
}

/**
 * Prepare a job whose `model` is validated and in the form its method
 * simulates (pool/validatedJob.ts: validateModel, then modelForMethod), as
 * JSON. A job with a black-box simulator is prepared as prepareJobAsync does.
 */
export async function prepareValidatedJob(job: SimulationJob, factory?: StatisticsFactory): Promise<PreparedJob> {
  const statistics = factory ?? (job.statistics ? (await import('../stats/index.js')).createSummaryStatistics : null);
  if (job.simulator) {
    const [{ parseJobSimulatorSpec }, { sharedBlackBoxSimulator }] = await Promise.all([
      import('../simulate/blackbox/spec.js'),
      import('../simulate/blackbox/create.js'),
    ]);
    const spec = parseJobSimulatorSpec(job.simulator, 'job.simulator');
    return prepareWithSimulator(job, await sharedBlackBoxSimulator(spec), statistics);
  }
  return prepareWithSimulator(job, simulatorForMethodModel(job.model as ReactionNetwork, job.method, simulatorOptions(job)), statistics);
}

/** The job's event budget, as simulator options. */
export function simulatorOptions(job: SimulationJob): SimulatorOptions {
  return { maxEvents: eventBudget(job.method, job.maxEvents, 'maxEvents') };
}

/** The job ready to run on `simulator`; `factory` rebuilds its summary statistics (required when the job has some). */
export function prepareWithSimulator(job: SimulationJob, simulator: Simulator, factory: StatisticsFactory | null): PreparedJob {
  const grid = Float64Array.from(job.time);
  assertTimeGrid(grid);
  if (!Number.isInteger(job.runsPerTrial) || job.runsPerTrial < 1)
    throw new SimulationSettingsError('runsPerTrial', `expected an integer >= 1, got ${job.runsPerTrial}`);
  const slots = job.parameterIds.map((id) => {
    const index = simulator.parameterIds.indexOf(id);
    if (index < 0)
      throw new SimulationSettingsError(
        'parameterIds',
        `unknown parameter "${id}"; the model's parameters are ${simulator.parameterIds.join(', ') || '(none)'}`,
      );
    return index;
  });
  if (job.statistics && !factory) throw new SimulationSettingsError('statistics', 'a job with summary statistics needs a statistics factory');
  const statistics = job.statistics ? factory!(job.statistics) : null;
  const featureNames = statistics ? statistics.featureNames(simulator.speciesIds, grid) : [];
  const parameters = Float64Array.from(simulator.defaultParameters);
  const block = simulator.speciesIds.length * grid.length;
  const runs = job.runsPerTrial;
  const scratch = job.returnTrajectories ? null : new Float64Array(runs * block);

  const run = (trial: Trial): TrialResult => {
    if (trial.parameters.length !== slots.length) {
      throw new SimulationSettingsError(
        'trial.parameters',
        `trial ${trial.index}: expected ${slots.length} values (${job.parameterIds.join(', ')}), got ${trial.parameters.length}`,
      );
    }
    for (let k = 0; k < slots.length; k++) parameters[slots[k]] = trial.parameters[k];
    const data = scratch ?? new Float64Array(runs * block);
    let events = 0;
    try {
      for (let r = 0; r < runs; r++) {
        events += simulator.simulateInto(data.subarray(r * block, (r + 1) * block), grid, parameters, deriveStreamState(job.seed, ...trial.stream, r));
      }
    } catch (error) {
      // The job was checked when prepared: a RangeError now is the model failing at run time (SimulationFailedError).
      throw asSimulationFailure(error);
    }
    let features: Float64Array | null = null;
    if (statistics) {
      features = new Float64Array(featureNames.length);
      statistics.compute({ speciesIds: simulator.speciesIds, time: grid, runs, data, events }, features);
    }
    return { index: trial.index, features, trajectories: scratch ? null : data, events };
  };
  return { job, simulator, statistics, grid, featureNames, run };
}
