import { Worker } from 'node:worker_threads';
import { EngineError } from '../../errors/index.js';
import { workerBundlePath } from '../pool/workerBundle.js';
import type { ComputeTaskName, TaskInput, TaskOutput, TaskProgress } from './computeTasks.js';
import type { ComputeRunner, RunTaskOptions } from './ComputeRunner.js';
import { reviveError } from './taskErrors.js';
import type { RunMessage, ThreadReply } from './threadMessages.js';

/** A compute thread that died under a task (out of memory, a crash): not the task's own error. */
export class ComputeThreadError extends EngineError {
  constructor(task: string, reason: string) {
    super('COMPUTE_THREAD', `the compute thread running ${task} stopped: ${reason}`, { task });
  }
}

export interface ComputeThreadsOptions {
  /** Idle threads kept for the next task, so a short task pays no start-up (default 1). */
  readonly keepIdle?: number;
  /** The worker script (default: the `computeWorker` bundle, prebuilt under $SCIOPE_WORKER_BUNDLE_DIR or built on first use). */
  readonly workerPath?: () => Promise<string>;
}

/**
 * Tasks after which the thread is ended rather than kept: they load
 * TensorFlow.js, whose backend (and WASM heap) would otherwise stay in memory.
 */
const HEAVY_TASKS: ReadonlySet<ComputeTaskName> = new Set(['trainStatistics', 'learnBackend']);

/**
 * Runs compute tasks on worker threads, one task per thread at a time (a
 * second task while one runs gets a thread of its own), so the caller's
 * event loop only posts the input and receives progress and the result.
 * Cancel terminates the task's thread: the work stops at once, whatever
 * the task is doing. Idle threads are unref'd: they never keep a process alive.
 */
export class ComputeThreads implements ComputeRunner {
  readonly kind = 'threads';
  private readonly keepIdle: number;
  private readonly workerPath: () => Promise<string>;
  private readonly idle: Worker[] = [];
  private readonly busy = new Set<Worker>();
  private nextId = 1;

  constructor(options: ComputeThreadsOptions = {}) {
    this.keepIdle = options.keepIdle ?? 1;
    if (!Number.isInteger(this.keepIdle) || this.keepIdle < 0) throw new RangeError(`keepIdle must be an integer >= 0, got ${this.keepIdle}`);
    this.workerPath = options.workerPath ?? (() => workerBundlePath('computeWorker'));
  }

  /** Threads alive (busy and idle). */
  get threadCount(): number {
    return this.busy.size + this.idle.length;
  }

  async run<K extends ComputeTaskName>(task: K, input: TaskInput<K>, options: RunTaskOptions<TaskProgress<K>> = {}): Promise<TaskOutput<K>> {
    const { signal, onProgress } = options;
    signal?.throwIfAborted();
    const worker = this.idle.pop() ?? (await this.spawn());
    this.busy.add(worker);
    worker.ref();
    const id = this.nextId++;
    return new Promise<TaskOutput<K>>((resolve, reject) => {
      const settle = (keep: boolean, outcome: () => void) => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        signal?.removeEventListener('abort', onAbort);
        this.busy.delete(worker);
        if (keep && !HEAVY_TASKS.has(task) && this.idle.length < this.keepIdle) {
          worker.unref();
          this.idle.push(worker);
        } else {
          void worker.terminate();
        }
        outcome();
      };
      const onMessage = (message: ThreadReply) => {
        if (message.id !== id) return;
        if (message.type === 'progress') onProgress?.(message.progress as TaskProgress<K>);
        else if (message.type === 'result') settle(true, () => resolve(message.output as TaskOutput<K>));
        else settle(true, () => reject(reviveError(message.error)));
      };
      const onError = (error: Error) => settle(false, () => reject(new ComputeThreadError(task, error.message)));
      const onExit = (code: number) => settle(false, () => reject(new ComputeThreadError(task, `exit code ${code}`)));
      const onAbort = () => settle(false, () => reject(signal!.reason));
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const message: RunMessage = { type: 'run', id, task, input };
      try {
        worker.postMessage(message, [...(options.transfer ?? [])]);
      } catch (error) {
        settle(true, () => reject(error)); // an input structured clone cannot copy (DataCloneError): the thread never saw it
      }
    });
  }

  private async spawn(): Promise<Worker> {
    const worker = new Worker(await this.workerPath());
    // Always listened to: an idle thread that fails must not become an unhandled 'error' of the engine.
    worker.on('error', () => {});
    worker.on('exit', () => {
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
    });
    return worker;
  }

  /** End every thread; tasks still running reject as their thread stops. */
  async close(): Promise<void> {
    const all = [...this.idle, ...this.busy];
    this.idle.length = 0;
    await Promise.all(all.map((worker) => worker.terminate()));
  }
}
