import { requireApprovedJob } from '../trust/approvedInProcess.js';
import type { Executor, MapOptions, SimulationJob, Trial, TrialResult } from './executor.js';
import { prepareJobAsync, type PreparedJob, type StatisticsFactory } from './runTrial.js';

export interface InProcessExecutorOptions {
  /**
   * Trials run between two yields to the event loop (default 8): small
   * enough that an AbortSignal or a UI event is served within milliseconds.
   * Results do not depend on it.
   */
  readonly batchSize?: number;
  /** Rebuilds summary statistics from their JSON; the stats registry by default. */
  readonly statistics?: StatisticsFactory;
}

const yieldToEventLoop: () => Promise<void> =
  typeof setImmediate === 'function' ? () => new Promise((resolve) => setImmediate(resolve)) : () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Runs trials in this thread, in order, yielding to the event loop between
 * small batches. The reference executor: worker-pool and SSH executors must
 * return exactly the same results for the same job and trials.
 */
export class InProcessExecutor implements Executor {
  readonly kind = 'inProcess';
  readonly concurrency = 1;
  readonly batchSize: number;
  private readonly factory: StatisticsFactory | undefined;
  private lastJob: SimulationJob | null = null;
  /** A promise, so that concurrent maps of one job (chunks in flight together) share one compiled model. */
  private lastPrepared: Promise<PreparedJob> | null = null;

  constructor(options: InProcessExecutorOptions = {}) {
    const batchSize = options.batchSize ?? 8;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be an integer >= 1, got ${batchSize}`);
    this.batchSize = batchSize;
    this.factory = options.statistics;
  }

  async map(job: SimulationJob, trials: readonly Trial[], options: MapOptions = {}): Promise<TrialResult[]> {
    const { signal, onProgress } = options;
    signal?.throwIfAborted();
    // Prepared once per job: compiling a model costs far more than a trial, and a compiled model
    // gets faster as V8 optimises it over the first trials.
    if (this.lastJob !== job || !this.lastPrepared) {
      requireApprovedJob(job);
      const preparing = prepareJobAsync(job, this.factory);
      this.lastJob = job;
      this.lastPrepared = preparing;
      preparing.catch(() => {
        if (this.lastPrepared === preparing) [this.lastJob, this.lastPrepared] = [null, null];
      });
    }
    const prepared = await this.lastPrepared;
    const results: TrialResult[] = new Array(trials.length);
    for (let start = 0; start < trials.length; start += this.batchSize) {
      const end = Math.min(trials.length, start + this.batchSize);
      for (let i = start; i < end; i++) results[i] = prepared.run(trials[i]);
      onProgress?.(end, trials.length);
      if (end < trials.length) {
        await yieldToEventLoop();
        signal?.throwIfAborted();
      }
    }
    return results;
  }

  async close(): Promise<void> {
    this.lastJob = null;
    this.lastPrepared = null;
  }

  toJSON(): { kind: string; batchSize: number } {
    return { kind: this.kind, batchSize: this.batchSize };
  }
}
