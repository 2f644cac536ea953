import type { ComputeTaskName } from './computeTasks.js';
import type { SerialisedError } from './taskErrors.js';

/** Caller → compute thread: run one task (a thread runs one at a time). */
export interface RunMessage {
  readonly type: 'run';
  readonly id: number;
  readonly task: ComputeTaskName;
  readonly input: unknown;
}

/** Compute thread → caller: progress, then exactly one result or error per task. */
export type ThreadReply =
  | { readonly type: 'progress'; readonly id: number; readonly progress: unknown }
  | { readonly type: 'result'; readonly id: number; readonly output: unknown }
  | { readonly type: 'error'; readonly id: number; readonly error: SerialisedError };

/**
 * The buffers of every typed array in `value` (nested in plain objects and
 * arrays), once each: the transfer list of a result the sender no longer
 * needs. Shared buffers are shared, not transferred.
 */
export function transferablesOf(value: unknown, found: Set<ArrayBuffer> = new Set()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) found.add(value.buffer);
  } else if (Array.isArray(value)) {
    for (const item of value) if (item !== null && typeof item === 'object') transferablesOf(item, found);
  } else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value)) if (item !== null && typeof item === 'object') transferablesOf(item, found);
  }
  return [...found];
}
