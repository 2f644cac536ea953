import type { BlackBoxSimulatorSpec } from '../simulate/blackbox/spec.js';
import { describeSimulator } from './describeSimulator.js';
import { UntrustedSimulatorError } from './errors.js';

/**
 * The second lock. Front doors ask the person (ApprovalStore, dialogs,
 * `--trust`) and then mark the fingerprint here; every executor checks the
 * job's simulator against this set before it starts anything, so a code path
 * that forgot to ask still cannot run unapproved code. Worker threads and
 * remote workers do not check: they only run jobs an executor of this
 * process handed them.
 */
const approved = new Set<string>();

export function markApprovedInProcess(fingerprint: string): void {
  approved.add(fingerprint);
}

/** Forget every mark (tests; a revocation). */
export function clearApprovedInProcess(fingerprint?: string): void {
  if (fingerprint === undefined) approved.clear();
  else approved.delete(fingerprint);
}

/**
 * Throws UntrustedSimulatorError unless the job has no black-box simulator
 * or its exact current content (files re-hashed now) was approved in this
 * process. Costs one hash of the simulator's files per call (per batch of
 * trials, not per trial).
 */
export function requireApprovedJob(job: { readonly simulator?: BlackBoxSimulatorSpec }): void {
  if (!job.simulator) return;
  const description = describeSimulator(job.simulator);
  if (!approved.has(description.fingerprint)) {
    throw new UntrustedSimulatorError('this job', description, 'Approve it first (the app asks; on the command line use --trust or `sciope trust approve`).');
  }
}
