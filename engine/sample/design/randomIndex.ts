import type { RandomSource } from './types.js';

/**
 * Uniform integer in [0, m) from one double: floor(u * m). For m < 2^32 the
 * bias is below 2^-21 relative per value (53-bit u), far under anything a
 * design can show; one draw per call keeps the stream position simple.
 */
export function randomIndex(rng: RandomSource, m: number): number {
  return Math.floor(rng.nextDouble() * m);
}

/** Fisher-Yates shuffle of `out` in place (Durstenfeld 1964), n - 1 draws, last index first. */
export function shuffleInPlace(out: { length: number; [i: number]: number }, rng: RandomSource): void {
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomIndex(rng, i + 1);
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
}
