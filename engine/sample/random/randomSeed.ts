/**
 * The seed of a run the user gave none: uniform in [0, 2^31), the range
 * every front door accepts back. Callers store or print it, so the run can
 * be repeated bit for bit.
 */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
