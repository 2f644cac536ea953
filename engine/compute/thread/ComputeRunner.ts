import { computeTasks, type ComputeTaskName, type TaskInput, type TaskOutput, type TaskProgress } from './computeTasks.js';

export interface RunTaskOptions<P> {
  /** Cancels the task: it rejects with the signal's reason (an AbortError). */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: P) => void;
  /**
   * Buffers of the input the task may take over (transferred to a compute
   * thread, not copied): the caller must not use them afterwards.
   */
  readonly transfer?: readonly ArrayBuffer[];
}

/**
 * Where the engine's heavy tasks (computeTasks.ts) run: on the caller's
 * thread (inThreadCompute: the CLI, tests, browsers) or on worker threads
 * (ComputeThreads: the engine behind the app and `sciope serve`, whose event
 * loop must stay free). Both run the same functions, so results agree.
 */
export interface ComputeRunner {
  readonly kind: 'inThread' | 'threads';
  run<K extends ComputeTaskName>(task: K, input: TaskInput<K>, options?: RunTaskOptions<TaskProgress<K>>): Promise<TaskOutput<K>>;
}

/** Runs each task on the caller's thread, as a plain function call. */
export const inThreadCompute: ComputeRunner = {
  kind: 'inThread',
  async run(task, input, options = {}) {
    options.signal?.throwIfAborted();
    const run = computeTasks[task] as unknown as (input: unknown, context: { signal?: AbortSignal; progress: (p: unknown) => void }) => Promise<never>;
    return run(input, { signal: options.signal, progress: (p) => options.onProgress?.(p as never) });
  },
};
