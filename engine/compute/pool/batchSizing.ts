/**
 * Adaptive batch size for a pool of workers.
 *
 * A batch should run long enough that the fixed cost of a task stays under
 * 1% of it, hence at least TARGET_MS of simulation: between two batches a
 * thread was measured idle about 0.8 ms (message round trip, the pool's
 * bookkeeping, a turn of each event loop), 3% of the 25 ms batches this
 * used to aim at; at 100 ms `simulate vilar --runs 400 -w 2` took 4.15 s
 * instead of 4.25 s (median of 4, 2026-12-06); and the run should still end in many small
 * pieces so the slowest batch does not leave cores idle at the end, hence at
 * most remaining / (TAIL_PIECES × workers) trials. Until a trial time has been
 * measured, batches of one trial probe it.
 */
const TARGET_MS = 100;
const TAIL_PIECES = 4;

export function nextBatchSize(state: { msPerTrial: number; remaining: number; workers: number }): number {
  const { msPerTrial, remaining, workers } = state;
  if (remaining <= 0) return 0;
  if (!(msPerTrial > 0)) return 1;
  const forOverhead = Math.ceil(TARGET_MS / msPerTrial);
  const forTail = Math.max(1, Math.floor(remaining / (TAIL_PIECES * workers)));
  return Math.max(1, Math.min(forOverhead, forTail, remaining));
}
