import type { NodeEvent } from '../ssh/SshNodePool.js';

/**
 * A worker step's event in words, for the terminal: the same lines whether
 * this computer coordinates (interactive mode) or the batch job does.
 * `ready` lines are optional: with many tasks they would drown the rest.
 */
export function describeStepEvent(event: NodeEvent, options: { ready: boolean }): string | null {
  switch (event.type) {
    case 'ready':
      return options.ready ? `${event.node}: worker step up (${event.workers} thread${event.workers === 1 ? '' : 's'})` : null;
    case 'unavailable':
      return `${event.node} could not start: ${event.error.message}`;
    case 'excluded':
      return `${event.error.message}; its share goes to the other steps`;
    case 'lost':
      return `${event.node} lost (${event.error.message}); ${event.redispatched} batch(es) sent to the other steps`;
  }
}
