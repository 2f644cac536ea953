import type { Executor } from '../compute/executor.js';
import { loadNodesFile, SshNodePool, type NodeEvent } from '../compute/ssh/index.js';
import { promptPassphrase } from './commands/nodes.js';

/** The SSH node pool for `--executor ssh --nodes nodes.json` (node list format: see `sciope nodes check --help`). */
export async function createSshExecutor(nodesFile: string): Promise<Executor> {
  return new SshNodePool({
    nodes: loadNodesFile(nodesFile),
    // An encrypted key without ssh-agent: ask on the terminal, as ssh does.
    promptPassphrase,
    onNodeEvent: (event) => process.stderr.write(`sciope: ${describeNodeEvent(event)}\n`),
  });
}

function describeNodeEvent(event: NodeEvent): string {
  switch (event.type) {
    case 'ready':
      return `node ${event.node}: ${event.workers} workers, Node ${event.nodeVersion}${event.uploaded ? ', worker uploaded' : ''}`;
    case 'unavailable':
      return `node ${event.node} unavailable: ${event.error.message}`;
    case 'excluded':
      return `${event.error.message}; its share goes to the other nodes`;
    case 'lost':
      return `node ${event.node} lost (${event.error.message}); ${event.redispatched} batch(es) sent to the other nodes`;
  }
}
