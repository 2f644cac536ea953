/**
 * Adaptive batch size for a pool of workers.
 *
 * A batch should run long enough that the fixed cost of a task (message
 * round trip, about 0.1-0.3 ms for a thread) stays under 2% of it, hence at
 * least TARGET_MS of simulation; and the run should still end in many small
 * pieces so the slowest batch does not leave cores idle at the end, hence at
 * most remaining / (TAIL_PIECES × workers) trials. Until a trial time has been
 * measured, batches of one trial probe it.
 */
const TARGET_MS = 25;
const TAIL_PIECES = 4;

export function nextBatchSize(state: { msPerTrial: number; remaining: number; workers: number }): number {
  const { msPerTrial, remaining, workers } = state;
  if (remaining <= 0) return 0;
  if (!(msPerTrial > 0)) return 1;
  const forOverhead = Math.ceil(TARGET_MS / msPerTrial);
  const forTail = Math.max(1, Math.floor(remaining / (TAIL_PIECES * workers)));
  return Math.max(1, Math.min(forOverhead, forTail, remaining));
}
