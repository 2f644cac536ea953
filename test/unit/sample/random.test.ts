/**
 * Random streams: xoshiro128** against an independent BigInt transcription
 * of the published C code, the inlined copies the SSA generator emits,
 * stream derivation, and goodness of fit of the exponential (ziggurat) and
 * Poisson samplers.
 *
 * Seeds are fixed, so every statistical check is deterministic; each
 * threshold is the critical value at alpha = 0.001 (or |Z| < 4, two-sided
 * 6e-5), chosen so that a correct generator fails one check of this file by
 * chance well under 1% of the times a seed is changed.
 */
import { describe, expect, it } from 'vitest';
import { compileNetwork, validateModel } from '../../../engine/model';
import { deriveStreamState, MAX_SEED, poisson, Xoshiro128 } from '../../../engine/sample/random';
import { exponentialZiggurat, ZIGGURAT_F, ZIGGURAT_R, ZIGGURAT_X } from '../../../engine/sample/random/exponentialZiggurat';
import {
  EXPONENTIAL_LOCALS_JS,
  exponentialJs,
  openUniformJs,
  uniformJs,
  XOSHIRO_LOCALS_JS,
  XOSHIRO_STORE_JS,
  xoshiroStepJs,
} from '../../../engine/simulate/codegen/xoshiroJs';
import { DirectMethod } from '../../../engine/simulate/ssa/DirectMethod';

const FIXED_STATE = [0x12345678, 0x9abcdef0, 0x0fedcba9, 0x87654321];

/**
 * xoshiro128** 1.1 transcribed from Blackman & Vigna's reference C code
 * (prng.di.unimi.it/xoshiro128starstar.c) with BigInt words masked to 32 bits:
 *   result = rotl(s[1] * 5, 7) * 9; t = s[1] << 9;
 *   s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t;
 *   s[3] = rotl(s[3], 11);
 */
function referenceXoshiro(seedState: readonly number[]): () => bigint {
  const M = 0xffffffffn;
  const s = seedState.map((w) => BigInt(w >>> 0));
  const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & M;
  return () => {
    const result = (rotl((s[1] * 5n) & M, 7n) * 9n) & M;
    const t = (s[1] << 9n) & M;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11n);
    return result;
  };
}

/** Compiles a loop around one of the generator's inline JS snippets, as the SSA generator does. */
function inlineSampler(snippet: string): (rng: Uint32Array, out: Float64Array) => void {
  const body = `"use strict";return function(rng,out){${XOSHIRO_LOCALS_JS}${EXPONENTIAL_LOCALS_JS}let v=0;
for(let i=0;i<out.length;i++){${snippet}out[i]=v;}${XOSHIRO_STORE_JS}};`;
  return new Function('ZX', 'ZF', body)(ZIGGURAT_X, ZIGGURAT_F);
}

// ---- small statistics helpers (independent of the engine) ----

/** ln Γ(x), Lanczos (g = 7, 9 terms), relative error ~1e-15 for x > 0. */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Upper regularised incomplete gamma Q(a, x) (Numerical Recipes §6.2: series or Lentz continued fraction). */
function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const front = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000 && Math.abs(term) > Math.abs(sum) * 1e-16; n++) sum += term *= x / (a + n);
    return 1 - sum * front;
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h * front;
}

/** Upper tail probability of the chi-square distribution. */
const chiSquarePValue = (statistic: number, df: number) => gammaQ(df / 2, statistic / 2);

function chiSquare(observed: ArrayLike<number>, expected: ArrayLike<number>): number {
  let stat = 0;
  for (let i = 0; i < observed.length; i++) stat += (observed[i] - expected[i]) ** 2 / expected[i];
  return stat;
}

function meanAndVariance(x: ArrayLike<number>): { mean: number; variance: number } {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i];
  const mean = sum / x.length;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i] - mean) ** 2;
  return { mean, variance: ss / (x.length - 1) };
}

function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const mx = meanAndVariance(x).mean;
  const my = meanAndVariance(y).mean;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function draws(n: number, next: () => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = next();
  return out;
}

/** A generator whose 32-bit words are scripted, to probe the double mappings at their extremes. */
class ScriptedWords extends Xoshiro128 {
  constructor(private readonly word: number) {
    super([1, 0, 0, 0]);
  }
  override nextUint32(): number {
    return this.word;
  }
}

// χ²(99) at alpha = 0.001 is 148.230; χ²(255) is 330.520 (scipy.stats.chi2.ppf(0.999, df)).
const CHI2_99_CRITICAL = 148.23;
const CHI2_255_CRITICAL = 330.52;

describe('Xoshiro128 (xoshiro128** 1.1)', () => {
  it('matches the reference C recurrence for 1,000 outputs from a fixed state', () => {
    const reference = referenceXoshiro(FIXED_STATE);
    const rng = new Xoshiro128(FIXED_STATE);
    for (let i = 0; i < 1000; i++) expect(rng.nextUint32(), `output ${i}`).toBe(Number(reference()));
  });

  it('matches the reference from a state with high bits set in every word', () => {
    const state = [0xffffffff, 0x80000001, 0xdeadbeef, 0xc0ffee00];
    const reference = referenceXoshiro(state);
    const rng = new Xoshiro128(state);
    for (let i = 0; i < 1000; i++) expect(rng.nextUint32()).toBe(Number(reference()));
  });

  it('exposes its state so a draw can be replayed', () => {
    const rng = new Xoshiro128(FIXED_STATE);
    for (let i = 0; i < 17; i++) rng.nextUint32();
    const saved = rng.getState();
    const ahead = draws(10, () => rng.nextDouble());
    rng.setState(saved);
    expect(draws(10, () => rng.nextDouble())).toEqual(ahead);
  });

  it('rejects the all-zero state, the fixed point of the recurrence', () => {
    expect(() => new Xoshiro128([0, 0, 0, 0])).toThrow(RangeError);
  });

  it('maps words to nextDouble in [0, 1) and nextOpenDouble in (0, 1], with 53-bit resolution', () => {
    expect(1.1102230246251565e-16).toBe(2 ** -53);
    expect(new ScriptedWords(0).nextDouble()).toBe(0);
    expect(new ScriptedWords(0xffffffff).nextDouble()).toBe(1 - 2 ** -53);
    expect(new ScriptedWords(0).nextOpenDouble()).toBe(2 ** -53);
    expect(new ScriptedWords(0xffffffff).nextOpenDouble()).toBe(1);

    const rng = new Xoshiro128(FIXED_STATE);
    let min = Infinity;
    let max = -Infinity;
    let openMin = Infinity;
    let openMax = -Infinity;
    for (let i = 0; i < 200_000; i++) {
      const u = rng.nextDouble();
      const v = rng.nextOpenDouble();
      min = Math.min(min, u);
      max = Math.max(max, u);
      openMin = Math.min(openMin, v);
      openMax = Math.max(openMax, v);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(openMin).toBeGreaterThan(0);
    expect(openMax).toBeLessThanOrEqual(1);
  });

  it('nextDouble is uniform: chi-square on 100 equal bins, n = 1e6, below the alpha = 0.001 critical value 148.23 (df 99)', () => {
    const n = 1_000_000;
    const counts = new Float64Array(100);
    const rng = Xoshiro128.fromSeed(2024, 1);
    for (let i = 0; i < n; i++) counts[Math.floor(rng.nextDouble() * 100)]++;
    expect(chiSquare(counts, new Float64Array(100).fill(n / 100))).toBeLessThan(CHI2_99_CRITICAL);
  });

  it('the low 8 bits (the ziggurat layer index) are uniform: chi-square on 256 values below 330.52 (df 255, alpha = 0.001)', () => {
    const n = 1_000_000;
    const counts = new Float64Array(256);
    const rng = Xoshiro128.fromSeed(2024, 2);
    for (let i = 0; i < n; i++) counts[rng.nextUint32() & 255]++;
    expect(chiSquare(counts, new Float64Array(256).fill(n / 256))).toBeLessThan(CHI2_255_CRITICAL);
  });

  it('nextNormal has mean 0 and variance 1 (|Z| < 4, n = 200,000)', () => {
    const n = 200_000;
    const rng = Xoshiro128.fromSeed(5, 5);
    const { mean, variance } = meanAndVariance(draws(n, () => rng.nextNormal()));
    expect(Math.abs(mean * Math.sqrt(n))).toBeLessThan(4);
    // Var(s²) ≈ (μ4 − σ⁴)/n = 2/n for a normal.
    expect(Math.abs((variance - 1) / Math.sqrt(2 / n))).toBeLessThan(4);
  });
});

describe('inline generator snippets used by the generated SSA', () => {
  const n = 100_000;
  const cases = [
    ['xoshiroStepJs', xoshiroStepJs('v') + 'v=v>>>0;', (r: Xoshiro128) => r.nextUint32()],
    ['uniformJs', uniformJs('v'), (r: Xoshiro128) => r.nextDouble()],
    ['openUniformJs', openUniformJs('v'), (r: Xoshiro128) => r.nextOpenDouble()],
    ['exponentialJs', exponentialJs('v'), (r: Xoshiro128) => exponentialZiggurat(r)],
  ] as const;

  it.each(cases)('%s draws exactly what the Xoshiro128 class draws, and leaves the same state', (_, snippet, draw) => {
    const state = deriveStreamState(99, 3);
    const fromSnippet = new Float64Array(n);
    const rngWords = Uint32Array.from(state);
    inlineSampler(snippet)(rngWords, fromSnippet);
    const rng = new Xoshiro128(state);
    const fromClass = draws(n, () => draw(rng));
    expect(Buffer.compare(Buffer.from(fromSnippet.buffer), Buffer.from(fromClass.buffer))).toBe(0);
    expect(Array.from(rngWords)).toEqual(Array.from(rng.getState()));
  });

  it('the compiled direct method consumes its stream as: Exp(1) waiting time, then one 53-bit uniform per event', () => {
    // ∅ → X at rate 1 has total propensity 1 throughout, so the event times
    // are the running sums of the ziggurat draws; X at grid time t counts the
    // events at times <= t.
    const network = compileNetwork(validateModel({ species: [{ id: 'X', initial: 0 }], reactions: [{ id: 'arrive', products: { X: 1 }, rate: 1 }] }));
    const simulator = new DirectMethod(network);
    const grid = Float64Array.from({ length: 201 }, (_, i) => i * 0.25);
    const out = new Float64Array(grid.length);
    const state = deriveStreamState(31, 4);
    const rngWords = Uint32Array.from(state);
    const events = simulator.simulateInto(out, grid, new Float64Array(0), rngWords);

    const replay = new Xoshiro128(state);
    const expected = new Float64Array(grid.length);
    let t = 0;
    let count = 0;
    let g = 0;
    for (;;) {
      const next = t + exponentialZiggurat(replay);
      while (g < grid.length && grid[g] < next) expected[g++] = count;
      if (g === grid.length) break;
      replay.nextDouble();
      t = next;
      count++;
    }
    expect(events).toBe(count);
    expect(Array.from(out)).toEqual(Array.from(expected));
    expect(Array.from(rngWords)).toEqual(Array.from(replay.getState()));
  });
});

describe('deriveStreamState', () => {
  it('is a pure function of (seed, ...path)', () => {
    expect(Array.from(deriveStreamState(42, 3, 7))).toEqual(Array.from(deriveStreamState(42, 3, 7)));
    expect(Array.from(deriveStreamState(MAX_SEED))).toEqual(Array.from(deriveStreamState(MAX_SEED)));
  });

  it('gives different states to different paths, including permutations, prefixes and neighbours', () => {
    const seen = new Map<string, string>();
    const add = (label: string, state: Uint32Array) => {
      const key = Array.from(state).join(',');
      expect(seen.get(key), `${label} collides`).toBeUndefined();
      seen.set(key, label);
    };
    for (let i = 0; i < 10_000; i++) {
      add(`(${i})`, deriveStreamState(i));
      add(`(7, ${i})`, deriveStreamState(7, i));
      add(`(7, 0, ${i})`, deriveStreamState(7, 0, i));
      if (i > 0) add(`(7, ${i}, 0)`, deriveStreamState(7, i, 0));
    }
    add('(1, 2)', deriveStreamState(1, 2));
    add('(2, 1)', deriveStreamState(2, 1));
    add('(7, 1, 2)', deriveStreamState(7, 1, 2));
    add('(7, 2, 1)', deriveStreamState(7, 2, 1));
  });

  it('rejects seeds and path steps outside the integers [0, 2^53)', () => {
    for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 53]) {
      expect(() => deriveStreamState(bad)).toThrow(RangeError);
      expect(() => deriveStreamState(1, bad)).toThrow(/path\[0\]/);
    }
  });

  it('neighbouring streams are uncorrelated (|r| < 4/sqrt(n) for streams i and i + 1, n = 10,000 draws)', () => {
    const n = 10_000;
    const bound = 4 / Math.sqrt(n);
    const stream = (i: number) => {
      const rng = Xoshiro128.fromSeed(123, i);
      return draws(n, () => rng.nextDouble());
    };
    let previous = stream(0);
    for (let i = 1; i <= 20; i++) {
      const current = stream(i);
      expect(Math.abs(correlation(previous, current)), `streams ${i - 1} and ${i}`).toBeLessThan(bound);
      previous = current;
    }
  });

  it('the first draws of streams 0..99,999 are uniform and serially uncorrelated across streams', () => {
    // Trajectory i of an ensemble starts from stream (seed, i): a flaw in the
    // derivation would show as structure across i in the first draws.
    const n = 100_000;
    const first = draws(
      n,
      (() => {
        let i = 0;
        return () => Xoshiro128.fromSeed(77, i++).nextDouble();
      })(),
    );
    const counts = new Float64Array(100);
    for (const u of first) counts[Math.floor(u * 100)]++;
    expect(chiSquare(counts, new Float64Array(100).fill(n / 100))).toBeLessThan(CHI2_99_CRITICAL);
    expect(Math.abs(correlation(first.subarray(0, n - 1), first.subarray(1)))).toBeLessThan(4 / Math.sqrt(n));
  });
});

describe('exponentialZiggurat', () => {
  it('has 256 layers of equal area that close at the top (r = 7.697117... is the 256-layer constant)', () => {
    const v = (ZIGGURAT_R + 1) * Math.exp(-ZIGGURAT_R);
    expect(ZIGGURAT_X[1]).toBe(ZIGGURAT_R);
    expect(ZIGGURAT_X[0] * ZIGGURAT_F[0]).toBeCloseTo(v, 15);
    for (let i = 1; i < 255; i++) expect(ZIGGURAT_X[i] * (ZIGGURAT_F[i + 1] - ZIGGURAT_F[i]), `layer ${i}`).toBeCloseTo(v, 14);
    // The top layer [0, X255] × [F255, 1] has area v too when r is right.
    expect(ZIGGURAT_X[255] * (1 - ZIGGURAT_F[255])).toBeCloseTo(v, 9);
    expect(ZIGGURAT_X[256]).toBe(0);
  });

  const n = 200_000;
  const sample = (() => {
    const rng = Xoshiro128.fromSeed(2008, 1);
    return draws(n, () => exponentialZiggurat(rng));
  })();

  it('passes Kolmogorov-Smirnov against 1 - e^-x (n = 200,000; D < 1.9495/sqrt(n) = 0.00436, alpha = 0.001)', () => {
    const sorted = Float64Array.from(sample).sort();
    let d = 0;
    for (let i = 0; i < n; i++) {
      const f = -Math.expm1(-sorted[i]);
      d = Math.max(d, f - i / n, (i + 1) / n - f);
    }
    // 1.9495 is the 0.999 quantile of the Kolmogorov distribution (scipy kstwobign.ppf(0.999)).
    expect(d).toBeLessThan(1.9495 / Math.sqrt(n));
    expect(sorted[0]).toBeGreaterThanOrEqual(0);
  });

  it('has mean 1 and variance 1 (|Z| < 4)', () => {
    const { mean, variance } = meanAndVariance(sample);
    expect(Math.abs((mean - 1) * Math.sqrt(n))).toBeLessThan(4);
    // Var(s²) ≈ (μ4 − σ⁴)/n = (9 − 1)/n for Exp(1).
    expect(Math.abs((variance - 1) / Math.sqrt(8 / n))).toBeLessThan(4);
  });

  it('has the right tail: P(X > 8) = e^-8, and beyond r and 12 (binomial |Z| < 4, n = 2e6)', () => {
    const m = 2_000_000;
    const rng = Xoshiro128.fromSeed(2008, 2);
    const cuts = [ZIGGURAT_R - 0.5, ZIGGURAT_R, 8, 12];
    const above = new Float64Array(cuts.length);
    for (let i = 0; i < m; i++) {
      const x = exponentialZiggurat(rng);
      for (let c = 0; c < cuts.length; c++) if (x > cuts[c]) above[c]++;
    }
    cuts.forEach((cut, c) => {
      const p = Math.exp(-cut);
      expect(Math.abs((above[c] - m * p) / Math.sqrt(m * p * (1 - p))), `P(X > ${cut})`).toBeLessThan(4);
    });
  });
});

describe('poisson', () => {
  /** Probabilities of k = lo..lo+p.length-1 by the ratio recurrence from the mode (no lgamma), normalised. */
  function poissonPmf(mean: number): { lo: number; p: Float64Array } {
    const mode = Math.floor(mean);
    const up: number[] = [1];
    for (let k = mode; up[up.length - 1] > 1e-18; k++) up.push((up[up.length - 1] * mean) / (k + 1));
    const down: number[] = [];
    for (let k = mode, q = 1; k > 0 && q > 1e-18; k--) down.push((q *= k / mean));
    const p = Float64Array.from([...down.reverse(), ...up]);
    const total = p.reduce((a, b) => a + b, 0);
    return { lo: mode - down.length, p: p.map((x) => x / total) };
  }

  const MEANS = [0.5, 3, 9.9, 10, 37, 250, 1e5];
  const n = 200_000;

  it.each(MEANS)('mean %d: mean and variance Z-tests (|Z| < 4) and chi-square goodness of fit (p > 0.001)', (mean) => {
    const rng = Xoshiro128.fromSeed(1993, Math.round(mean * 10));
    const x = draws(n, () => poisson(mean, rng));
    expect(x.every((k) => Number.isInteger(k) && k >= 0)).toBe(true);

    const { mean: m, variance: v } = meanAndVariance(x);
    expect(Math.abs((m - mean) / Math.sqrt(mean / n)), 'mean Z').toBeLessThan(4);
    // Var(s²) ≈ (μ4 − σ⁴)/n = (λ + 2λ²)/n for a Poisson(λ).
    expect(Math.abs((v - mean) / Math.sqrt((mean + 2 * mean * mean) / n)), 'variance Z').toBeLessThan(4);

    // Bins of consecutive k, each with expected count >= 20; the (tiny) mass
    // beyond the tabulated range goes to the edge bins.
    const { lo, p } = poissonPmf(mean);
    const binOf = new Int32Array(p.length);
    const expected: number[] = [0];
    p.forEach((pk, i) => {
      if (expected[expected.length - 1] >= 20) expected.push(0);
      expected[expected.length - 1] += n * pk;
      binOf[i] = expected.length - 1;
    });
    if (expected.length > 1 && expected[expected.length - 1] < 20) {
      expected[expected.length - 2] += expected.pop()!;
      binOf.forEach((b, i) => (binOf[i] = Math.min(b, expected.length - 1)));
    }
    const observed = new Float64Array(expected.length);
    for (const k of x) observed[binOf[Math.min(Math.max(k - lo, 0), p.length - 1)]]++;
    const stat = chiSquare(observed, expected);
    expect(expected.length).toBeGreaterThan(1);
    expect(chiSquarePValue(stat, expected.length - 1), `chi2 = ${stat.toFixed(1)} on ${expected.length - 1} df`).toBeGreaterThan(0.001);
  });

  it('returns 0 for mean 0 and rejects negative or non-finite means', () => {
    const rng = new Xoshiro128(FIXED_STATE);
    expect(poisson(0, rng)).toBe(0);
    for (const bad of [-1, NaN, Infinity]) expect(() => poisson(bad, rng)).toThrow(RangeError);
  });

  it('the chi-square p-value helper is calibrated (χ²(99) = 148.23 has p = 0.001)', () => {
    expect(chiSquarePValue(CHI2_99_CRITICAL, 99)).toBeCloseTo(0.001, 5);
    expect(chiSquarePValue(CHI2_255_CRITICAL, 255)).toBeCloseTo(0.001, 5);
    expect(chiSquarePValue(2, 2)).toBeCloseTo(Math.exp(-1), 12);
  });
});
