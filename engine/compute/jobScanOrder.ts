import { validateModel } from '../model/index.js';
import { eventBudget } from '../simulate/budget.js';
import { createModelSimulator } from '../simulate/createModelSimulator.js';
import { DirectMethod } from '../simulate/ssa/DirectMethod.js';
import type { SimulationJob } from './executor.js';

const completed = new WeakMap<SimulationJob, SimulationJob>();

/**
 * The job with its ssa reaction scan order filled in (SimulationJob.scanOrder),
 * computed here once by DirectMethod's pilot run. Each worker thread would
 * otherwise run the pilot itself before its first trajectory: for Vilar's
 * model 0.15-0.3 s per thread on a cold JIT, whose optimising compiles
 * then compete with the other threads for the cores (issue 15's profile).
 * The order is what every thread would have computed (the pilot is
 * deterministic), so no result changes. Anything that fails here (a model
 * the worker will reject) leaves the job as it is, for the worker to report
 * with its own error. The same job object always gives the same completed
 * object, so per-job caches keyed on it (encodeJob) keep working.
 */
export function withScanOrder(job: SimulationJob): SimulationJob {
  if (job.method !== 'ssa' || job.simulator || job.scanOrder) return job;
  let done = completed.get(job);
  if (!done) {
    done = job;
    try {
      const simulator = createModelSimulator(validateModel(job.model, 'job.model'), 'ssa', { maxEvents: eventBudget('ssa', job.maxEvents, 'maxEvents') });
      if (simulator instanceof DirectMethod) done = { ...job, scanOrder: [...simulator.scanOrder] };
    } catch {
      // The worker prepares the job again and fails it with the model's error.
    }
    completed.set(job, done);
  }
  return done;
}
