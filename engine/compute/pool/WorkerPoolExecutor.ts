import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { requireApprovedJob } from '../../trust/approvedInProcess.js';
import type { Executor, MapOptions, SimulationJob, Trial, TrialResult } from '../executor.js';
import { packTrials, unpackResults } from './batchCodec.js';
import { encodeJob, TrialCosts } from './encodedJob.js';
import { fromThreadFailure, isDeterministicFailure, isThreadFailure, type ThreadFailure } from './threadFailure.js';
import type { ThreadTask } from './threadWorker.js';
import { workerBundlePath } from './workerBundle.js';
import { nextBatchSize } from './batchSizing.js';
import { compileInlineInNewThreads } from '../simulationThreadTiering.js';
import { withValidatedModel } from './validatedJob.js';

export interface WorkerPoolOptions {
  /** Worker threads; one per core by default. */
  readonly workers?: number;
  /** Attempts per batch before the run fails with the simulator's error (default 3). */
  readonly maxAttempts?: number;
  /** Fixed trials per batch; adaptive by default (see batchSizing). */
  readonly batchSize?: number;
}

export class TaskFailedError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'TaskFailedError';
  }
}

/**
 * Batches sent to each thread at once: the one it runs and the next, so a
 * thread that finishes a batch starts the next at once instead of waiting
 * for this thread (busy writing results, say) to answer.
 */
const TASKS_PER_THREAD = 2;

type LoadBalancer = NonNullable<NonNullable<ConstructorParameters<typeof Piscina>[0]>['loadBalancer']>;

/**
 * The least busy thread holding fewer than TASKS_PER_THREAD batches.
 * piscina's own balancer gives a thread at most one task that has an abort
 * signal (all of ours have one), and reports such a thread's usage as
 * Infinity; this one queues the next batch there anyway.
 */
const twoBatchesPerThread: LoadBalancer = (_task, workers) => {
  let best = null;
  let bestUsage = TASKS_PER_THREAD;
  for (const worker of workers) {
    const usage = worker.currentUsage === Infinity ? 1 : worker.currentUsage;
    if (usage < bestUsage) {
      best = worker;
      bestUsage = usage;
    }
  }
  return best;
};

/**
 * piscina's error for the other batches of a thread it terminates: when a run
 * is aborted, a batch of another run queued on the same thread dies with it.
 */
const THREAD_TERMINATED = 'Terminating worker thread';

/**
 * Runs trials on worker threads (piscina), one per core by default.
 * Batches are sized adaptively from measured trial times (remembered per
 * job, so the next `map` of a job starts at the right size); each thread
 * holds the batch it runs and the next. A batch whose
 * worker exits or runs out of memory is run again on a fresh worker
 * (piscina replaces it), and after `maxAttempts` failures the run fails with
 * the worker's error message. A simulation that fails (a bad rate, the
 * event budget, a simulator's error) fails the run at once with its own
 * error and code: on the same seed it would fail again (see threadFailure). Aborting terminates the threads running the
 * run's batches, so work in flight really stops; batches of other runs that
 * were on those threads are run again, without counting an attempt.
 * Concurrent `map` calls share the threads (piscina queues their batches
 * in order of dispatch).
 */
export class WorkerPoolExecutor implements Executor {
  readonly kind = 'localPool';
  readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly fixedBatchSize: number | undefined;
  private pool: Promise<Piscina> | null = null;
  private readonly trialCosts = new TrialCosts();
  /** Fails the runs in progress; close() calls each. */
  private readonly active = new Set<(error: Error) => void>();

  constructor(options: WorkerPoolOptions = {}) {
    const workers = options.workers ?? availableParallelism();
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be an integer >= 1, got ${workers}`);
    const maxAttempts = options.maxAttempts ?? 3;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be an integer >= 1, got ${maxAttempts}`);
    if (options.batchSize !== undefined && (!Number.isInteger(options.batchSize) || options.batchSize < 1)) {
      throw new RangeError(`batchSize must be an integer >= 1, got ${options.batchSize}`);
    }
    this.concurrency = workers;
    this.maxAttempts = maxAttempts;
    this.fixedBatchSize = options.batchSize;
  }

  /**
   * Start the threads now (they load the worker module in parallel with the
   * caller's own work), rather than at the first `map`. Optional: `map`
   * starts them when needed.
   */
  start(): void {
    this.piscina().catch(() => {
      // map reports the error
    });
  }

  private piscina(): Promise<Piscina> {
    this.pool ??= workerBundlePath('threadWorker').then((filename) => {
      compileInlineInNewThreads();
      const pool = new Piscina({
        filename,
        minThreads: this.concurrency,
        maxThreads: this.concurrency,
        concurrentTasksPerWorker: TASKS_PER_THREAD,
        loadBalancer: twoBatchesPerThread,
        idleTimeout: 60_000,
      });
      // When a run is aborted, piscina terminates the threads running its batches; a result a
      // thread had already posted then arrives for a task piscina no longer knows, and piscina
      // emits it as an 'error' event. Unhandled, that event would crash the process (the app's
      // engine, `sciope serve`); the batch's caller has already been told it was aborted.
      pool.on('error', (error: Error) => {
        if (!/^Unexpected message from Worker/.test(error.message)) process.emitWarning(`worker pool: ${error.message}`);
      });
      return pool;
    });
    // A pool that could not start (no worker bundle) is tried again by the next map.
    const pending = this.pool;
    pending.catch(() => {
      if (this.pool === pending) this.pool = null;
    });
    return pending;
  }

  async map(given: SimulationJob, trials: readonly Trial[], options: MapOptions = {}): Promise<TrialResult[]> {
    const { signal, onProgress } = options;
    signal?.throwIfAborted();
    requireApprovedJob(given);
    const starting = this.piscina();
    // While the threads start (at the pool's first map), not after them. Validated (and converted for its
    // method) here, so the threads need no schema library; see validatedJob.
    const job = withValidatedModel(given);
    const pool = await starting;
    signal?.throwIfAborted();
    const { key: jobKey, bytes: jobBytes } = encodeJob(job);

    const results: TrialResult[] = new Array(trials.length);
    const position = new Map<number, number>();
    trials.forEach((trial, i) => position.set(trial.index, i));
    const retry: Array<{ trials: readonly Trial[]; attempts: number }> = [];
    let next = 0;
    let completed = 0;
    const inFlightLimit = this.concurrency * TASKS_PER_THREAD;
    // One controller for the run: the caller's abort and our own failure both stop every batch in flight.
    const run = new AbortController();
    const onAbort = () => run.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });

    return new Promise<TrialResult[]>((resolve, reject) => {
      let inFlight = 0;
      let settled = false;
      const finish = () => {
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        this.active.delete(fail);
      };
      const fail = (error: unknown) => {
        if (settled) return;
        finish();
        run.abort(error);
        reject(error);
      };
      const dispatch = (batch: readonly Trial[], attempts: number) => {
        inFlight++;
        const packed = packTrials(batch);
        const task: ThreadTask = { jobKey, jobBytes, trials: packed };
        pool
          .run(task, { signal: run.signal, transferList: [packed.buffer as ArrayBuffer] })
          .then((reply: Float64Array | ThreadFailure) => {
            inFlight--;
            if (settled) return;
            if (isThreadFailure(reply)) {
              // A model that fails on this seed fails again: stop now. Other failures (a black-box
              // process that crashed or answered out of turn) are retried like a dead thread.
              if (isDeterministicFailure(reply) || attempts + 1 >= this.maxAttempts) return fail(fromThreadFailure(reply));
              retry.push({ trials: batch, attempts: attempts + 1 });
              return pump();
            }
            const { results: batchResults, elapsedMs } = unpackResults(reply);
            for (const r of batchResults) results[position.get(r.index)!] = r;
            completed += batchResults.length;
            this.trialCosts.record(jobKey, elapsedMs / Math.max(1, batchResults.length));
            onProgress?.(completed, trials.length);
            pump();
          })
          .catch((error: unknown) => {
            inFlight--;
            if (settled) return;
            if (run.signal.aborted) return fail(signal?.reason ?? error);
            // Terminated because another run on the same thread was aborted: not this batch's doing.
            if (error instanceof Error && error.message === THREAD_TERMINATED) {
              retry.push({ trials: batch, attempts });
              return pump();
            }
            if (attempts + 1 >= this.maxAttempts) {
              const message = error instanceof Error ? error.message : String(error);
              return fail(new TaskFailedError(`a batch of ${batch.length} trial(s) failed ${attempts + 1} times; last error: ${message}`, attempts + 1));
            }
            retry.push({ trials: batch, attempts: attempts + 1 });
            pump();
          });
      };
      const pump = () => {
        while (!settled && inFlight < inFlightLimit && (retry.length > 0 || next < trials.length)) {
          const again = retry.shift();
          if (again) {
            dispatch(again.trials, again.attempts);
            continue;
          }
          const msPerTrial = this.trialCosts.msPerTrial(jobKey);
          const size = this.fixedBatchSize ?? nextBatchSize({ msPerTrial, remaining: trials.length - next, workers: this.concurrency });
          dispatch(trials.slice(next, next + size), 0);
          next += size;
        }
        if (!settled && inFlight === 0 && next >= trials.length && retry.length === 0) {
          finish();
          resolve(results);
        }
      };
      if (signal?.aborted) return fail(signal.reason);
      this.active.add(fail);
      pump();
    });
  }

  /** Stops the threads; a run still in progress fails with an AbortError. */
  async close(): Promise<void> {
    for (const fail of [...this.active]) fail(new DOMException('the worker pool was closed', 'AbortError'));
    const pool = this.pool;
    this.pool = null;
    await (await pool?.catch(() => null))?.destroy();
  }

  toJSON(): { kind: string; workers: number; maxAttempts: number } {
    return { kind: this.kind, workers: this.concurrency, maxAttempts: this.maxAttempts };
  }
}
