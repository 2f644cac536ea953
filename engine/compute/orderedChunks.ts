import type { Executor, SimulationJob, Trial, TrialResult } from './executor.js';

export interface OrderedChunksOptions {
  readonly signal?: AbortSignal;
  /** Trials completed so far over all chunks (never decreases). */
  readonly onProgress?: (completed: number) => void;
  /** Chunks mapped at once (default 2): the one being finished and the next. */
  readonly depth?: number;
}

/**
 * Maps a long run chunk by chunk and hands each chunk's results, in chunk
 * order, to `consume`, while the next chunk is already on the executor: its
 * workers simulate chunk k+1 while this thread consumes chunk k (writes a
 * file, say), and the tail of chunk k (its last batches, on fewer workers
 * than there are) overlaps the start of chunk k+1. At most `depth` chunks
 * are in flight, so memory stays bounded however long the run.
 *
 * A failure of any chunk, of `consume` or an abort stops the chunks in
 * flight and rejects once they have stopped.
 */
export async function mapInOrderedChunks(
  executor: Executor,
  job: SimulationJob,
  chunks: Iterable<readonly Trial[]>,
  consume: (results: readonly TrialResult[], trials: readonly Trial[]) => void,
  options: OrderedChunksOptions = {},
): Promise<void> {
  const { signal, onProgress } = options;
  const depth = options.depth ?? 2;
  if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`depth must be an integer >= 1, got ${depth}`);
  signal?.throwIfAborted();
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal!.reason);
  signal?.addEventListener('abort', onAbort, { once: true });

  interface InFlight {
    readonly trials: readonly Trial[];
    results: Promise<TrialResult[]>;
    done: number;
  }
  const inFlight: InFlight[] = [];
  let consumed = 0;
  const report = () => onProgress?.(consumed + inFlight.reduce((sum, chunk) => sum + chunk.done, 0));
  const pending = chunks[Symbol.iterator]();
  const launch = (): boolean => {
    const next = pending.next();
    if (next.done) return false;
    // In the list before map starts: an executor may report progress before map returns.
    const chunk: InFlight = { trials: next.value, done: 0, results: Promise.resolve([]) };
    inFlight.push(chunk);
    const onProgress = (done: number) => {
      chunk.done = done;
      report();
    };
    chunk.results = executor.map(job, chunk.trials, { signal: stop.signal, onProgress });
    // Awaited in order below; until then a failure must not count as unhandled.
    chunk.results.catch(() => undefined);
    return true;
  };

  try {
    while (inFlight.length < depth && launch());
    while (inFlight.length > 0) {
      const head = inFlight[0];
      const results = await head.results;
      inFlight.shift();
      consumed += head.trials.length;
      consume(results, head.trials);
      launch();
    }
  } catch (error) {
    stop.abort(error);
    await Promise.allSettled(inFlight.map((chunk) => chunk.results));
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
