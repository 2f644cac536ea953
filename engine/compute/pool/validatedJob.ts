import { validateModel } from '../../model/index.js';
import { modelForMethod } from '../../simulate/createModelSimulator.js';
import type { SimulationJob } from '../executor.js';

const validated = new WeakMap<SimulationJob, SimulationJob>();

/**
 * The job with its model validated here, on the pool's thread, and in the
 * form its method simulates (modelForMethod: converted to molecule counts
 * for ssa, tau and hybrid when beyond counts), so that the worker threads
 * take it as it is (preparedJob.ts's prepareValidatedJob) and never load the
 * schema library: that keeps a thread's start-up short (issue 15). A model
 * that fails validation or conversion fails the `map` call with the error a
 * worker would have reported.
 * A job with a black-box simulator is left as it is: its model only
 * describes the simulator's interface. The same job object always gives the
 * same validated object, so per-job caches keyed on it (encodeJob) keep
 * working.
 */
export function withValidatedModel(job: SimulationJob): SimulationJob {
  if (job.simulator) return job;
  let done = validated.get(job);
  if (!done) {
    done = { ...job, model: modelForMethod(validateModel(job.model, 'job.model'), job.method) };
    validated.set(job, done);
  }
  return done;
}
