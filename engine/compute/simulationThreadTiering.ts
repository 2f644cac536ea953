import { setFlagsFromString } from 'node:v8';

let applied = false;

/**
 * Makes every V8 isolate created from now on (worker threads) compile its
 * optimised code on its own thread, when the code gets hot, instead of
 * queueing the compile for a background thread and running slower code
 * meanwhile. Call before starting simulation threads.
 *
 * Why: a worker thread's generated simulator (ssa/directMethodSource.ts) is
 * hot from its first batch. With concurrent compilation the TurboFan job
 * waits for a free core, and on a machine whose every core runs a simulation
 * thread there is none: a thread's first 20 Vilar trajectories took 28–32 ms
 * each against 17 ms once optimised (two threads on this 2-core machine),
 * and a process alone sometimes settled on code 25% slower, depending on
 * when the background compile landed. Compiling inline, the first 20 took
 * 19.2–19.7 ms, in every run, and the steady state was unchanged (probe of
 * 2026-12-06; see README "Benchmarks").
 *
 * The calling thread's own isolate keeps concurrent compilation (V8 reads the
 * flag when an isolate starts), so the app's engine thread and `sciope
 * serve`'s event loop never block on a compile. The flag is process-wide
 * for new isolates: compute threads started later compile inline too, which
 * is as good for them (they have no event loop to keep free).
 */
export function compileInlineInNewThreads(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString('--no-concurrent-recompilation');
}
