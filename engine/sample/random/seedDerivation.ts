/**
 * Seed derivation for splittable random streams.
 *
 * The stream of trajectory i in run r is a pure function of (seed, ...path),
 * never of which worker or batch produced it. The path is hashed with the
 * SplitMix64 finaliser (Steele, Lea & Flood 2014, "Fast splittable
 * pseudorandom number generators", doi:10.1145/2714064.2660195) and the
 * result expands into the 128-bit state of xoshiro128**, as its authors
 * recommend (Blackman & Vigna 2021, doi:10.1145/3460772).
 *
 * BigInt is used only here, a handful of operations per trajectory, never
 * per event.
 */
const MASK64 = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;

function mix64(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/** Largest seed accepted: seeds are integers in [0, 2^53), so any JS integer round-trips. */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

export function assertSeed(seed: number, field = 'seed'): void {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`${field} must be an integer in [0, 2^53), got ${seed}`);
  }
}

/**
 * The four 32-bit words of a xoshiro128** state for the stream at `path`
 * under `seed`. Different paths give statistically independent streams.
 */
export function deriveStreamState(seed: number, ...path: number[]): Uint32Array {
  assertSeed(seed);
  let key = mix64((BigInt(seed) + GOLDEN_GAMMA) & MASK64);
  for (let depth = 0; depth < path.length; depth++) {
    const step = path[depth];
    assertSeed(step, `stream path[${depth}]`);
    key = mix64((key ^ mix64((BigInt(step) + GOLDEN_GAMMA * BigInt(depth + 2)) & MASK64)) & MASK64);
  }
  const lo = mix64((key + GOLDEN_GAMMA) & MASK64);
  const hi = mix64((key + 2n * GOLDEN_GAMMA) & MASK64);
  const state = new Uint32Array([Number(lo & 0xffffffffn), Number(lo >> 32n), Number(hi & 0xffffffffn), Number(hi >> 32n)]);
  // The all-zero state is the one fixed point of xoshiro; it has probability 2^-128.
  if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1;
  return state;
}
