import { createHash } from 'node:crypto';
import type { SimulationJob } from '../executor.js';

/**
 * A job as the threads receive it: its JSON in a SharedArrayBuffer (written
 * once, shared by every batch) and a key derived from those bytes. Threads
 * cache what they prepare under the key, so two `map` calls with equal jobs
 * (successive chunks of one simulation, a preview repeated in the app)
 * compile the model once per thread.
 */
export interface EncodedJob {
  readonly key: string;
  readonly bytes: SharedArrayBuffer;
}

const encoded = new WeakMap<SimulationJob, EncodedJob>();

/** Encoded once per job object (jobs are immutable data, see SimulationJob). */
export function encodeJob(job: SimulationJob): EncodedJob {
  let entry = encoded.get(job);
  if (!entry) {
    const utf8 = new TextEncoder().encode(JSON.stringify(job));
    const bytes = new SharedArrayBuffer(utf8.byteLength);
    new Uint8Array(bytes).set(utf8);
    entry = { key: createHash('sha256').update(utf8).digest('base64url'), bytes };
    encoded.set(job, entry);
  }
  return entry;
}

/**
 * Measured milliseconds per trial, by job key: an exponentially weighted
 * mean of batch times (weight 0.3 on the newest), so batch sizes follow a
 * drift in cost (later ABC generations) without jumping on one slow batch.
 * Kept for the last few jobs only.
 */
export class TrialCosts {
  private readonly costs = new Map<string, number>();

  constructor(private readonly capacity = 16) {}

  /** NaN until a batch of the job has been timed. */
  msPerTrial(key: string): number {
    return this.costs.get(key) ?? NaN;
  }

  record(key: string, msPerTrial: number): void {
    const previous = this.costs.get(key);
    this.costs.delete(key);
    this.costs.set(key, previous === undefined ? msPerTrial : 0.7 * previous + 0.3 * msPerTrial);
    if (this.costs.size > this.capacity) this.costs.delete(this.costs.keys().next().value!);
  }
}
