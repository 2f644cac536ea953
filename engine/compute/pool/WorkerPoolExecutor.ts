import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { requireApprovedJob } from '../../trust/approvedInProcess.js';
import type { Executor, MapOptions, SimulationJob, Trial, TrialResult } from '../executor.js';
import { packTrials, unpackResults } from './batchCodec.js';
import { fromThreadFailure, isDeterministicFailure, isThreadFailure, type ThreadFailure } from './threadFailure.js';
import type { ThreadTask } from './threadWorker.js';
import { workerBundlePath } from './workerBundle.js';
import { nextBatchSize } from './batchSizing.js';

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

let jobCounter = 0;

/**
 * Runs trials on worker threads (piscina), one per core by default.
 * Batches are sized adaptively from measured trial times; a batch whose
 * worker exits or runs out of memory is run again on a fresh worker
 * (piscina replaces it), and after `maxAttempts` failures the run fails with
 * the worker's error message. A simulation that fails (a bad rate, the
 * event budget, a simulator's error) fails the run at once with its own
 * error and code: on the same seed it would fail again (see threadFailure). Aborting terminates the threads running the
 * run's batches, so work in flight really stops.
 */
export class WorkerPoolExecutor implements Executor {
  readonly kind = 'localPool';
  readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly fixedBatchSize: number | undefined;
  private pool: Promise<Piscina> | null = null;

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

  private piscina(): Promise<Piscina> {
    this.pool ??= workerBundlePath('threadWorker').then((filename) => {
      const pool = new Piscina({ filename, minThreads: this.concurrency, maxThreads: this.concurrency, idleTimeout: 60_000 });
      // When a run is aborted, piscina terminates the threads running its batches; a result a
      // thread had already posted then arrives for a task piscina no longer knows, and piscina
      // emits it as an 'error' event. Unhandled, that event would crash the process (the app's
      // engine, `sciope serve`); the batch's caller has already been told it was aborted.
      pool.on('error', (error: Error) => {
        if (!/^Unexpected message from Worker/.test(error.message)) process.emitWarning(`worker pool: ${error.message}`);
      });
      return pool;
    });
    return this.pool;
  }

  async map(job: SimulationJob, trials: readonly Trial[], options: MapOptions = {}): Promise<TrialResult[]> {
    const { signal, onProgress } = options;
    signal?.throwIfAborted();
    requireApprovedJob(job);
    const pool = await this.piscina();
    const encoded = new TextEncoder().encode(JSON.stringify(job));
    const jobBytes = new SharedArrayBuffer(encoded.byteLength);
    new Uint8Array(jobBytes).set(encoded);
    const jobKey = `${process.pid}-${++jobCounter}`;

    const results: TrialResult[] = new Array(trials.length);
    const position = new Map<number, number>();
    trials.forEach((trial, i) => position.set(trial.index, i));
    const retry: Array<{ trials: readonly Trial[]; attempts: number }> = [];
    let next = 0;
    let completed = 0;
    let msPerTrial = NaN;
    const inFlightLimit = this.concurrency * 2;
    // One controller for the run: the caller's abort and our own failure both stop every batch in flight.
    const run = new AbortController();
    const onAbort = () => run.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });

    return new Promise<TrialResult[]>((resolve, reject) => {
      let inFlight = 0;
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        run.abort(error);
        signal?.removeEventListener('abort', onAbort);
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
            const perTrial = elapsedMs / Math.max(1, batchResults.length);
            msPerTrial = Number.isNaN(msPerTrial) ? perTrial : 0.7 * msPerTrial + 0.3 * perTrial;
            onProgress?.(completed, trials.length);
            pump();
          })
          .catch((error: unknown) => {
            inFlight--;
            if (settled) return;
            if (run.signal.aborted) return fail(signal?.reason ?? error);
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
          const size = this.fixedBatchSize ?? nextBatchSize({ msPerTrial, remaining: trials.length - next, workers: this.concurrency });
          dispatch(trials.slice(next, next + size), 0);
          next += size;
        }
        if (!settled && inFlight === 0 && next >= trials.length && retry.length === 0) {
          settled = true;
          signal?.removeEventListener('abort', onAbort);
          resolve(results);
        }
      };
      if (signal?.aborted) return fail(signal.reason);
      pump();
    });
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    if (pool) await (await pool).destroy();
  }

  toJSON(): { kind: string; workers: number; maxAttempts: number } {
    return { kind: this.kind, workers: this.concurrency, maxAttempts: this.maxAttempts };
  }
}
