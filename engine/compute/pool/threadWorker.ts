/**
 * Entry point of a worker thread of the local pool (bundled by
 * workerBundle.ts, loaded by piscina). A job arrives as UTF-8 JSON in a
 * SharedArrayBuffer that every task of the job shares, so it is written once
 * however many batches follow; each thread parses and prepares it on its
 * first task of that job. Trials and results travel packed in one
 * Float64Array each, transferred rather than copied.
 */
import { existsSync, unlinkSync } from 'node:fs';
import { move } from 'piscina';
import type { SimulationJob } from '../executor.js';
import { prepareJobAsync, type PreparedJob } from '../runTrial.js';
import { packResults, unpackTrials } from './batchCodec.js';
import { toThreadFailure } from './threadFailure.js';

export interface ThreadTask {
  readonly jobKey: string;
  readonly jobBytes: SharedArrayBuffer;
  readonly trials: Float64Array;
}

let cachedKey: string | null = null;
let cachedJob: PreparedJob | null = null;

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
    if (cachedKey !== task.jobKey) {
      const job = JSON.parse(new TextDecoder().decode(new Uint8Array(task.jobBytes).slice())) as SimulationJob;
      cachedKey = null;
      cachedJob = await prepareJobAsync(job);
      cachedKey = task.jobKey;
    }
    // Timed after preparation: the pool sizes batches from the cost of trials alone.
    const started = performance.now();
    const results = unpackTrials(task.trials).map((trial) => cachedJob!.run(trial));
    return move(packResults(results, performance.now() - started));
  } catch (error) {
    return toThreadFailure(error);
  }
}
