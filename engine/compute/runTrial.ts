import { validateModel } from '../model/index.js';
import { deriveStreamState } from '../sample/random/seedDerivation.js';
import { createModelSimulator } from '../simulate/createModelSimulator.js';
import { sharedBlackBoxSimulator } from '../simulate/blackbox/create.js';
import { parseJobSimulatorSpec } from '../simulate/blackbox/spec.js';
import { assertTimeGrid } from '../simulate/timeGrid.js';
import { eventBudget } from '../simulate/budget.js';
import type { Simulator } from '../simulate/types.js';
import { asSimulationFailure, SimulationSettingsError } from '../errors/index.js';
import { createSummaryStatistics } from '../stats/index.js';
import type { PartSpec, SummaryStatistics } from '../stats/types.js';
import type { SimulationJob, Trial, TrialResult } from './executor.js';

/**
 * The worker side of the task protocol: a job is prepared once (model
 * validated and compiled, simulator generated, statistics rebuilt from their
 * JSON), then each trial simulates `runsPerTrial` trajectories, run r from
 * the stream (job.seed, ...trial.stream, r), and summarises them. Each
 * trajectory gets the job's event budget (job.maxEvents, else the method's
 * default); one that exceeds it fails the trial with SimulationBudgetError.
 *
 * Engine code only: this module runs unchanged in this process, in a worker
 * thread and in a process on a remote node.
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

export function prepareJob(job: SimulationJob, factory?: StatisticsFactory): PreparedJob {
  if (job.simulator) throw new SimulationSettingsError('simulator', 'a job with a black-box simulator is prepared with prepareJobAsync');
  const maxEvents = eventBudget(job.method, job.maxEvents, 'maxEvents');
  const scanOrder = job.method === 'ssa' ? job.scanOrder : undefined;
  return prepareWithSimulator(
    job,
    createModelSimulator(validateModel(job.model, 'job.model'), job.method, { maxEvents, ...(scanOrder ? { scanOrder } : {}) }),
    factory,
  );
}

/**
 * Like prepareJob, and also for jobs with a black-box simulator (the module
 * is imported, or the command started and its handshake checked; one
 * process per thread is shared by successive jobs with the same simulator).
 */
export async function prepareJobAsync(job: SimulationJob, factory?: StatisticsFactory): Promise<PreparedJob> {
  if (!job.simulator) return prepareJob(job, factory);
  const spec = parseJobSimulatorSpec(job.simulator, 'job.simulator');
  return prepareWithSimulator(job, await sharedBlackBoxSimulator(spec), factory);
}

function prepareWithSimulator(job: SimulationJob, simulator: Simulator, factory?: StatisticsFactory): PreparedJob {
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
  const statistics = job.statistics ? (factory ?? createSummaryStatistics)(job.statistics) : null;
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

const prepared = new WeakMap<SimulationJob, PreparedJob>();

/** Run one trial of `job`; the job is prepared on first use and cached while the job object lives. */
export function runTrial(job: SimulationJob, trial: Trial, factory?: StatisticsFactory): TrialResult {
  let entry = prepared.get(job);
  if (!entry) {
    entry = prepareJob(job, factory);
    prepared.set(job, entry);
  }
  return entry.run(trial);
}
