/**
 * Low-discrepancy sequences: Sobol points against values derived by hand
 * from the Joe-Kuo direction numbers, the (0, m, 2)-net property, skipping,
 * uniformity and integration error against plain Monte Carlo; Halton
 * radical inverses, seeded scrambling, uniformity and determinism.
 *
 * Seeds are fixed; chi-square thresholds are critical values at
 * alpha = 0.001, and every other threshold is stated with the observed
 * value it guards, with a wide margin.
 */
import { describe, expect, it } from 'vitest';
import {
  centredL2Discrepancy,
  createDesign,
  DesignError,
  firstPrimes,
  halton,
  HaltonDesign,
  haltonScrambling,
  JOE_KUO_DIMENSIONS,
  randomDesign,
  SOBOL_MAX_DIMENSION,
  sobol,
  SobolDesign,
  sobolDirections,
  Xoshiro128,
} from '../../../engine/sample';

const rng = (seed: number, ...path: number[]) => Xoshiro128.fromSeed(seed, ...path);
const CHI2_99_CRIT_0_001 = 148.23; // chi-square critical value, 99 df, alpha = 0.001

function column(points: Float64Array, d: number, k: number): Float64Array {
  return Float64Array.from({ length: points.length / d }, (_, i) => points[i * d + k]);
}

function chiSquareUniform(values: ArrayLike<number>, bins: number): number {
  const counts = new Float64Array(bins);
  for (let i = 0; i < values.length; i++) counts[Math.floor(values[i] * bins)]++;
  const expected = values.length / bins;
  let chi2 = 0;
  for (const c of counts) chi2 += ((c - expected) * (c - expected)) / expected;
  return chi2;
}

/** Integrand prod_k 3 x_k^2: smooth, integral exactly 1 over the unit cube, variance (9/5)^d - 1. */
function integrationError(points: Float64Array, d: number): number {
  const n = points.length / d;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let f = 1;
    for (let k = 0; k < d; k++) f *= 3 * points[i * d + k] ** 2;
    sum += f;
  }
  return Math.abs(sum / n - 1);
}

describe('sobol', () => {
  it('reproduces the first 8 points derived by hand from the direction numbers', () => {
    // Direction numbers V_b (binary fractions): dim 1 (van der Corput) .1 .01 .001;
    // dim 2 (s=1, a=0, m=1): m_k = 1 3 5 -> .1 .11 .101;
    // dim 3 (s=2, a=1, m=1 3): V3 = V1 ^ V1>>2 ^ V2 = .1 ^ .001 ^ .11 = .011.
    // Point i xors the V_b of the set bits of gray(i) = 0 1 3 2 6 7 5 4.
    const expected = [
      [0, 0, 0],
      [0.5, 0.5, 0.5],
      [0.75, 0.25, 0.25],
      [0.25, 0.75, 0.75],
      [0.375, 0.375, 0.625],
      [0.875, 0.875, 0.125],
      [0.625, 0.125, 0.875],
      [0.125, 0.625, 0.375],
    ];
    expect(Array.from(sobol(8, 3))).toEqual(expected.flat());
  });

  it('embeds 1,000 dimensions of valid direction numbers (m_k odd and < 2^k)', () => {
    expect(JOE_KUO_DIMENSIONS).toBe(1000);
    expect(SOBOL_MAX_DIMENSION).toBe(1000);
    const v = sobolDirections(1000);
    for (let j = 0; j < 1000; j++) {
      for (let b = 0; b < 32; b++) {
        const m = v[j * 32 + b] / 2 ** (31 - b);
        expect(Number.isInteger(m) && m % 2 === 1 && m < 2 ** (b + 1)).toBe(true);
      }
    }
    // Last embedded row of new-joe-kuo-6.21201: "1000 13 3396 1 1 3 9 3 3 105 201 373 877 919 1263 6649".
    const m1000 = Array.from({ length: 13 }, (_, b) => v[999 * 32 + b] / 2 ** (31 - b));
    expect(m1000).toEqual([1, 1, 3, 9, 3, 3, 105, 201, 373, 877, 919, 1263, 6649]);
  });

  it('is a (0, m, 2)-net in dimensions 1-2: one point per elementary interval of volume 2^-m, m = 1..10', () => {
    const points = sobol(1024, 2);
    for (let m = 1; m <= 10; m++) {
      for (let k1 = 0; k1 <= m; k1++) {
        const k2 = m - k1;
        const counts = new Uint32Array(2 ** m);
        for (let i = 0; i < 2 ** m; i++) {
          const a1 = Math.floor(points[2 * i] * 2 ** k1);
          const a2 = Math.floor(points[2 * i + 1] * 2 ** k2);
          counts[a1 * 2 ** k2 + a2]++;
        }
        expect(counts.every((c) => c === 1)).toBe(true);
      }
    }
  });

  it('stratifies every one of the 1,000 dimensions: the first 1,024 points fill 1,024 cells once', () => {
    const points = sobol(1024, 1000);
    for (let k = 0; k < 1000; k++) {
      const cells = new Uint8Array(1024);
      for (let i = 0; i < 1024; i++) cells[Math.floor(points[i * 1000 + k] * 1024)]++;
      expect(cells.every((c) => c === 1)).toBe(true);
    }
  });

  it('skips by computing the start point directly', () => {
    const all = sobol(5000, 7);
    for (const skip of [1, 2, 3, 255, 256, 1023, 4000]) {
      expect(sobol(1000 - (skip % 1000), 7, { skip })).toEqual(all.slice(skip * 7, (skip + 1000 - (skip % 1000)) * 7));
    }
    expect(Array.from(sobol(1, 1, { skip: 2 ** 32 - 1 }))).toEqual([2 ** -32]);
    expect(() => sobol(2, 1, { skip: 2 ** 32 - 1 })).toThrow('exceed the 2^32 points');
  });

  it('is far more uniform than random points (centred L2 discrepancy)', () => {
    // Observed, n = 256, d = 4: Sobol 0.011, random 0.064 on average over 10 seeds. Asserted ratio < 0.3.
    let random = 0;
    for (let seed = 0; seed < 10; seed++) random += centredL2Discrepancy(randomDesign(256, 4, rng(seed)), 4) / 10;
    expect(centredL2Discrepancy(sobol(256, 4), 4) / random).toBeLessThan(0.3);
  });

  it('integrates a smooth function with error falling about like 1/n', () => {
    // Least-squares slope of log error against log n over n = 2^10..2^16 (observed -1.0);
    // plain Monte Carlo falls like n^-1/2 (standard error 0.0086 at 2^16 here).
    const xs: number[] = [];
    const ys: number[] = [];
    for (let m = 10; m <= 16; m++) {
      xs.push(Math.log(2 ** m));
      ys.push(Math.log(integrationError(sobol(2 ** m, 3), 3)));
    }
    const mx = xs.reduce((a, b) => a + b) / xs.length;
    const my = ys.reduce((a, b) => a + b) / ys.length;
    const slope = xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    expect(slope).toBeLessThan(-0.8);
    expect(slope).toBeGreaterThan(-1.5);
    expect(integrationError(sobol(2 ** 16, 3), 3)).toBeLessThan(5e-4); // observed 6.9e-5
  });

  it('rejects bad arguments', () => {
    expect(() => sobol(4, 1001)).toThrow('sobol(d): expected an integer in [1, 1000], got 1001');
    expect(() => sobol(-1, 2)).toThrow('sobol(n): expected an integer >= 0, got -1');
    expect(() => sobol(4, 2, { skip: 0.5 })).toThrow(DesignError);
  });
});

describe('halton', () => {
  it('gives the radical inverses of the index in the first primes', () => {
    expect(Array.from(firstPrimes(10))).toEqual([2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
    expect(firstPrimes(1000)[999]).toBe(7919);
    const points = halton(6, 3);
    expect(Array.from(column(points, 3, 0))).toEqual([0, 1 / 2, 1 / 4, 3 / 4, 1 / 8, 5 / 8]);
    expect(Array.from(column(points, 3, 1))).toEqual([0, 1 / 3, 2 / 3, 1 / 9, 4 / 9, 7 / 9].map((x) => expect.closeTo(x, 15)));
    expect(Array.from(column(points, 3, 2))).toEqual([0, 1 / 5, 2 / 5, 3 / 5, 4 / 5, 1 / 25].map((x) => expect.closeTo(x, 15)));
    expect(halton(3, 3, { skip: 3 })).toEqual(points.slice(9, 18));
  });

  it('scrambles reproducibly: same seed same points, other seed other points', () => {
    const a = halton(200, 5, { scrambling: haltonScrambling(5, rng(9)) });
    expect(halton(200, 5, { scrambling: haltonScrambling(5, rng(9)) })).toEqual(a);
    expect(a).not.toEqual(halton(200, 5, { scrambling: haltonScrambling(5, rng(10)) }));
    expect(a).not.toEqual(halton(200, 5));
    expect(new HaltonDesign(5, { seed: 9 }).generate(200, rng(0))).toEqual(new HaltonDesign(5, { seed: 9 }).generate(200, rng(1)));
  });

  it('stays uniform when scrambled (chi-square per dimension, 100 bins, alpha = 0.001)', () => {
    const d = 10;
    const points = halton(10_000, d, { scrambling: haltonScrambling(d, rng(2)) });
    for (let k = 0; k < d; k++) expect(chiSquareUniform(column(points, d, k), 100)).toBeLessThan(CHI2_99_CRIT_0_001);
  });

  it('keeps each scrambled coordinate a (0,1)-sequence: the first b^m points fill the b^m cells once', () => {
    const d = 4; // bases 2, 3, 5, 7
    const points = halton(2401, d, { scrambling: haltonScrambling(d, rng(3)) });
    for (const [k, cells] of [
      [0, 2048],
      [1, 2187],
      [2, 625],
      [3, 2401],
    ]) {
      const counts = new Uint8Array(cells);
      for (let i = 0; i < cells; i++) counts[Math.floor(points[i * d + k] * cells)]++;
      expect(counts.every((c) => c === 1)).toBe(true);
    }
  });

  it('breaks the correlation of high bases that plain Halton shows', () => {
    // Dimensions 29-30 (bases 109, 113): the first 100 plain Halton points lie on a line
    // (correlation 1.000); scrambled, |r| was below 0.09 for 5 seeds. Asserted: < 0.3.
    const corr = (points: Float64Array) => {
      const x = column(points, 30, 28);
      const y = column(points, 30, 29);
      const mx = x.reduce((a, b) => a + b) / x.length;
      const my = y.reduce((a, b) => a + b) / y.length;
      let sxy = 0;
      let sxx = 0;
      let syy = 0;
      for (let i = 0; i < x.length; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) ** 2;
        syy += (y[i] - my) ** 2;
      }
      return sxy / Math.sqrt(sxx * syy);
    };
    expect(corr(halton(100, 30))).toBeGreaterThan(0.99);
    expect(Math.abs(corr(halton(100, 30, { scrambling: haltonScrambling(30, rng(4)) })))).toBeLessThan(0.3);
  });

  it('rejects bad arguments and specs', () => {
    expect(() => halton(5, 0)).toThrow('halton(d): expected an integer in [1, 1000], got 0');
    expect(() => halton(5, 3, { scrambling: haltonScrambling(2, rng(1)) })).toThrow('halton(scrambling): permutations cover 2 dimensions, need 3');
    expect(() => new HaltonDesign(2)).toThrow('HaltonDesign(seed): a scrambled Halton design needs a seed');
    expect(createDesign({ kind: 'halton', dimension: 2, scramble: false }).generate(2, rng(1))).toEqual(halton(2, 2));
  });
});

describe('sequence parts', () => {
  it('continue one sequence across batches through context.start', () => {
    const sobolPart = new SobolDesign(4, 1);
    const whole = sobolPart.generate(300, rng(1));
    const batches = [sobolPart.generate(100, rng(1)), sobolPart.generate(200, rng(2), { start: 100 })];
    expect(new Float64Array([...batches[0], ...batches[1]])).toEqual(whole);
    expect(whole.slice(0, 4)).toEqual(sobol(2, 4).slice(4));
    const haltonPart = createDesign({ kind: 'halton', dimension: 3, seed: 5, skip: 10 });
    expect(haltonPart.generate(20, rng(1), { start: 30 })).toEqual(haltonPart.generate(60, rng(1)).slice(30 * 3, 50 * 3));
    expect(haltonPart.toJSON()).toEqual({ kind: 'halton', dimension: 3, scramble: true, seed: 5, skip: 10 });
  });
});
