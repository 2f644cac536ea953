/** Least time between two progress events of one task: ten a second is a smooth bar and cheap over IPC and WebSocket. */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * A progress callback that passes calls on at most every
 * PROGRESS_INTERVAL_MS, and always the last one (completed === total), so
 * a bar ends full however fast the work was.
 */
export function throttledProgress(report: (completed: number, total: number) => void): (completed: number, total: number) => void {
  let last = 0;
  return (completed, total) => {
    const now = performance.now();
    if (completed < total && now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    report(completed, total);
  };
}
