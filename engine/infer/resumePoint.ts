import type { Distance, PartSpec } from '../stats/types.js';
import { InferenceError } from './errors.js';
import type { AbcOptions, DistanceFunction, Generation } from './types.js';

/**
 * Where a run continues: its stored generations 0 .. k, as onGeneration gave
 * them. Everything the next generation depends on is in them: the
 * particles, weights, distances and statistics of generation k, and the
 * distance's learnt state after it (`Generation.distance`). The epsilon
 * schedule and the kernels adapt from the last generation only, and trial i
 * of generation g draws from stream (seed, g, i), so continuing from k gives
 * the same generations k + 1, k + 2, ... as the uninterrupted run.
 *
 * Its own module (no algorithm imported here), so the algorithms and
 * runStudy can all depend on it without an import circle.
 */
export interface ResumePoint {
  readonly generations: readonly Generation[];
}

/** Algorithms that can continue from a stored generation. */
export const RESUMABLE_ALGORITHMS = ['smcAbc', 'replenishmentSmcAbc'] as const;

export function isResumable(kind: string): kind is (typeof RESUMABLE_ALGORITHMS)[number] {
  return (RESUMABLE_ALGORITHMS as readonly string[]).includes(kind);
}

function isPlainSpec(distance: Distance | PartSpec | DistanceFunction | undefined): boolean {
  return distance === undefined || (typeof distance === 'object' && !('distance' in distance && typeof (distance as Distance).distance === 'function'));
}

/**
 * The options a resumed algorithm starts from: the distance is rebuilt from
 * the last stored generation's learnt state (a plain function or a live
 * distance object keeps what it is; it must then carry its own state).
 */
export function resumeOptions<T extends AbcOptions & { resumeFrom?: ResumePoint }>(options: T): T {
  const generations = options.resumeFrom?.generations ?? [];
  if (generations.length === 0) return options;
  generations.forEach((g, i) => {
    if (g.index !== i) throw new InferenceError(`resume: stored generations must be 0, 1, 2, ... in order; found generation ${g.index} at position ${i}`);
  });
  const last = generations[generations.length - 1];
  if (!isPlainSpec(options.distance) || last.distance.kind === 'function') return options;
  return { ...options, distance: last.distance };
}
