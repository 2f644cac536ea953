import { validateModel } from '../model/index.js';
import { sharedBlackBoxSimulator } from '../simulate/blackbox/create.js';
import { parseJobSimulatorSpec } from '../simulate/blackbox/spec.js';
import { SimulationSettingsError } from '../errors/index.js';
import { createSummaryStatistics } from '../stats/index.js';
import type { SimulationJob, Trial, TrialResult } from './executor.js';
import { createModelSimulator } from '../simulate/createModelSimulator.js';
import { prepareWithSimulator, simulatorOptions, type PreparedJob, type StatisticsFactory } from './preparedJob.js';

export type { PreparedJob, StatisticsFactory } from './preparedJob.js';

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

export function prepareJob(job: SimulationJob, factory?: StatisticsFactory): PreparedJob {
  if (job.simulator) throw new SimulationSettingsError('simulator', 'a job with a black-box simulator is prepared with prepareJobAsync');
  const options = simulatorOptions(job);
  return prepareWithSimulator(job, createModelSimulator(validateModel(job.model, 'job.model'), job.method, options), factory ?? createSummaryStatistics);
}

/**
 * Like prepareJob, and also for jobs with a black-box simulator (the module
 * is imported, or the command started and its handshake checked; one
 * process per thread is shared by successive jobs with the same simulator).
 */
export async function prepareJobAsync(job: SimulationJob, factory?: StatisticsFactory): Promise<PreparedJob> {
  if (!job.simulator) return prepareJob(job, factory);
  const spec = parseJobSimulatorSpec(job.simulator, 'job.simulator');
  return prepareWithSimulator(job, await sharedBlackBoxSimulator(spec), factory ?? createSummaryStatistics);
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
