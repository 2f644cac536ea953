/**
 * Entry point of a worker thread of the local pool (bundled by
 * workerBundle.ts, loaded by piscina). A job arrives with its model
 * validated, and converted for its method, by the pool (validatedJob.ts), so
 * the thread evaluates no schema library unless a job has summary statistics
 * or a black-box simulator (preparedJob.ts). It arrives as UTF-8 JSON in a
 * SharedArrayBuffer that every task of the job shares, so it is written once
 * however many batches follow; it is keyed by a hash of those bytes, so each
 * thread parses and prepares (compiles) a job once, however many `map` calls
 * send it. Trials and results travel packed in one Float64Array each,
 * transferred rather than copied.
 */
import { existsSync, unlinkSync } from 'node:fs';
import { move } from 'piscina';
import type { SimulationJob } from '../executor.js';
import { prepareValidatedJob, type PreparedJob } from '../preparedJob.js';
import { packResults, unpackTrials } from './batchCodec.js';
import { toThreadFailure } from './threadFailure.js';

export interface ThreadTask {
  /** Hash of jobBytes: tasks of equal jobs share one prepared job. */
  readonly jobKey: string;
  readonly jobBytes: SharedArrayBuffer;
  readonly trials: Float64Array;
}

/**
 * Prepared jobs by key, most recently used last. A few, not one: the app may
 * run two commands on one pool, and alternating jobs must not recompile on
 * every batch. A compiled model is small (its generated code and a few arrays).
 */
const PREPARED_JOBS = 4;
const prepared = new Map<string, Promise<PreparedJob>>();

function preparedJob(task: ThreadTask): Promise<PreparedJob> {
  let entry = prepared.get(task.jobKey);
  if (entry) {
    prepared.delete(task.jobKey);
  } else {
    const job = JSON.parse(new TextDecoder().decode(new Uint8Array(task.jobBytes).slice())) as SimulationJob;
    entry = prepareValidatedJob(job);
    // A failed preparation is not kept: a batch that is retried prepares again.
    entry.catch(() => prepared.get(task.jobKey) === entry && prepared.delete(task.jobKey));
    if (prepared.size >= PREPARED_JOBS) prepared.delete(prepared.keys().next().value!);
  }
  prepared.set(task.jobKey, entry);
  return entry;
}

const nextTurnOfEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Test hook for crash recovery: when SCIOPE_TEST_CRASH_FILE names an existing
 * file, the first worker to see it deletes it and exits abruptly, as a
 * thread that ran out of memory would.
 */
function crashIfAsked(): void {
  const marker = process.env.SCIOPE_TEST_CRASH_FILE;
  if (marker && existsSync(marker)) {
    try {
      unlinkSync(marker);
    } catch {
      return; // another worker took it
    }
    process.exit(70);
  }
}

export default async function runBatch(task: ThreadTask): Promise<unknown> {
  crashIfAsked();
  try {
    const job = await preparedJob(task);
    // The pool keeps a second batch queued on each thread, so the thread never waits for the
    // pool's thread to send one. When both arrive together, piscina starts both handlers at
    // once: yielding here lets the first finish and post its result before the second runs.
    await nextTurnOfEventLoop();
    // Timed after preparation: the pool sizes batches from the cost of trials alone.
    const started = performance.now();
    const results = unpackTrials(task.trials).map((trial) => job.run(trial));
    return move(packResults(results, performance.now() - started));
  } catch (error) {
    return toThreadFailure(error);
  }
}
