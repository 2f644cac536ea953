import type { BlackBoxSimulatorSpec } from '../../engine/simulate/blackbox/spec.js';
import { ApprovalStore } from '../../engine/trust/ApprovalStore.js';
import { markApprovedInProcess } from '../../engine/trust/approvedInProcess.js';
import { describeSimulator } from '../../engine/trust/describeSimulator.js';

/**
 * Tests of what a simulator does (not of the trust model) stand in for the
 * person who approved it: in this process (executors' check) and, with a
 * config folder, for a project or study file (the front doors' check).
 */
export function approveInProcess(spec: BlackBoxSimulatorSpec, base?: string): void {
  markApprovedInProcess(describeSimulator(spec, base).fingerprint);
}

export function approveFor(configDir: string, scope: string, spec: BlackBoxSimulatorSpec, base?: string): void {
  new ApprovalStore(configDir).approve(scope, describeSimulator(spec, base));
}
