import { deriveStreamState } from './seedDerivation.js';

/**
 * xoshiro128** 1.1 (Blackman & Vigna 2021, "Scrambled linear pseudorandom
 * number generators", doi:10.1145/3460772): 128-bit state, period 2^128 - 1,
 * 32-bit integer arithmetic only, which V8 keeps in registers.
 *
 * The state is public (`getState`/`setState`) so any draw can be replayed.
 * The SSA code generator inlines exactly this recurrence; the two must stay
 * identical (test/unit/sample/random.test.ts checks it).
 */
export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(state: ArrayLike<number>) {
    this.s0 = state[0] | 0;
    this.s1 = state[1] | 0;
    this.s2 = state[2] | 0;
    this.s3 = state[3] | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) throw new RangeError('xoshiro128** state must not be all zero');
  }

  /** The generator for stream `path` under `seed` (see deriveStreamState). */
  static fromSeed(seed: number, ...path: number[]): Xoshiro128 {
    return new Xoshiro128(deriveStreamState(seed, ...path));
  }

  getState(): Uint32Array {
    return new Uint32Array([this.s0, this.s1, this.s2, this.s3]);
  }

  setState(state: ArrayLike<number>): void {
    this.s0 = state[0] | 0;
    this.s1 = state[1] | 0;
    this.s2 = state[2] | 0;
    this.s3 = state[3] | 0;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) * 1.1102230246251565e-16;
  }

  /** Uniform double in (0, 1]: safe under a logarithm. */
  nextOpenDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b + 1) * 1.1102230246251565e-16;
  }

  /** Standard normal deviate (polar Box-Muller without caching, so the stream position is simple). */
  nextNormal(): number {
    for (;;) {
      const u = 2 * this.nextDouble() - 1;
      const v = 2 * this.nextDouble() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
    }
  }
}
