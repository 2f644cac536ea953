import type { NodeReport } from './preflight.js';

/** A node's pre-flight report (checkNodes) for people: one line, and the facts found. */
export interface NodeCheckSummary {
  readonly node: string;
  readonly ok: boolean;
  /** `ready: Node v22.3.0, 8 workers`, or what went wrong (the RemoteNodeError's message). */
  readonly message: string;
  /** Everything else the check found (host key, Node version, cores, workers, connect time...). */
  readonly facts: Record<string, unknown>;
}

export function summariseNodeCheck(report: NodeReport): NodeCheckSummary {
  const { node, ok, error, ...facts } = report;
  const message = ok
    ? `ready: Node ${String(facts.nodeVersion ?? '?')}, ${String(facts.workers ?? '?')} workers`
    : String(error?.message ?? error ?? 'check failed');
  return { node, ok, message, facts };
}
