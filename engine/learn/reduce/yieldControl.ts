/**
 * Cooperative multitasking for long reductions: hand the event loop a turn
 * (so progress events flush and an AbortSignal can fire) and check the
 * signal. A macrotask via setTimeout, which exists in Node, workers and
 * browsers alike, so this module needs no Node built-in.
 */
export async function yieldControl(signal?: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  signal?.throwIfAborted();
}
