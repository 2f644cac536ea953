import { RemoteNodeError } from '../../errors/index.js';

/**
 * Every node of the pool was lost while a run was under way, after at least
 * one of them had been up: the run failed, but the input and the node list
 * were fine (a node list where no node ever came up stays a RemoteNodeError:
 * a broken configuration). `runFailed` lets a front door tell the two apart
 * without importing the SSH code: the CLI exits 1 (a run failed), not 2.
 */
export class NodesLostError extends RemoteNodeError {
  readonly runFailed = true;

  constructor(message: string, details: Record<string, unknown> = {}) {
    super('all nodes', 'all-lost', message, details);
  }
}
