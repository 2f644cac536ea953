/**
 * C2ST (engine/stats/c2st) against answers known in closed form.
 *
 * 1. Identical distributions: two independent samples of N(0, I₂), 10,000
 *    each. No classifier can beat chance; the held-out accuracy over all
 *    20,000 rows has sd √(0.25 / 20,000) = 0.0035 around 0.5, and a trained
 *    net that fits noise can only score below that on held-out rows. Tolerance
 *    ±0.02 (about five sd).
 * 2. Two unit Gaussians d apart, N(0, I₂) and N(d·e₁, I₂), equal sizes: the
 *    Bayes classifier splits at d/2 on the first axis, and its accuracy is
 *    Φ(d/2) (0.6915 for d = 1, 0.8413 for d = 2). A trained classifier
 *    reaches it from below: tolerance 0.02 (held-out sd 0.0033 at 20,000 rows,
 *    plus a small shortfall of the learnt boundary).
 * Seeds are fixed, so the results are exactly reproducible.
 */
import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../../../engine/sample/random/Xoshiro128';
import { c2st, ClassifierSettingsError, resampleWeighted, trainMlpClassifier } from '../../../engine/stats/c2st';

const normalRows = (rows: number, d: number, seed: number, shift = 0) => {
  const rng = Xoshiro128.fromSeed(seed);
  return Float64Array.from({ length: rows * d }, (_, i) => rng.nextNormal() + (i % d === 0 ? shift : 0));
};

/** Φ(x) by the Abramowitz-Stegun 7.1.26 erf approximation (error < 1.5e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

describe('c2st', () => {
  it('scores two samples of one distribution about 0.5 (n = 10,000 each)', () => {
    const result = c2st(normalRows(10_000, 2, 1), normalRows(10_000, 2, 2), { dimension: 2, seed: 1 });
    expect(result.foldAccuracies).toHaveLength(5);
    expect(Math.abs(result.accuracy - 0.5)).toBeLessThan(0.02);
  });

  it.each([1, 2])('scores unit Gaussians %d apart about the Bayes accuracy Φ(d/2)', (distance) => {
    const result = c2st(normalRows(10_000, 2, 3, distance), normalRows(10_000, 2, 4), { dimension: 2, seed: 1 });
    expect(Math.abs(result.accuracy - normalCdf(distance / 2))).toBeLessThan(0.02);
  });

  it('is reproducible: same seed, same accuracy', () => {
    const a = normalRows(500, 3, 5, 1);
    const b = normalRows(500, 3, 6);
    expect(c2st(a, b, { dimension: 3, seed: 7, maxEpochs: 20 })).toEqual(c2st(a, b, { dimension: 3, seed: 7, maxEpochs: 20 }));
  });

  it('z-scores by the reference, so a change of units does not change the score', () => {
    const a = normalRows(1000, 2, 8, 1);
    const b = normalRows(1000, 2, 9);
    const scaled = (x: Float64Array) => x.map((v, i) => (i % 2 === 0 ? 1000 * v + 5 : v / 100));
    const plain = c2st(a, b, { dimension: 2, seed: 3, maxEpochs: 30 });
    const inUnits = c2st(scaled(a), scaled(b), { dimension: 2, seed: 3, maxEpochs: 30 });
    expect(Math.abs(inUnits.accuracy - plain.accuracy)).toBeLessThan(1e-9);
  });

  it('evaluates only the folds asked for', () => {
    const result = c2st(normalRows(500, 2, 10, 2), normalRows(500, 2, 11), { dimension: 2, evaluateFolds: 2, maxEpochs: 10 });
    expect(result.foldAccuracies).toHaveLength(2);
    expect(result.epochs.every((e) => e <= 10)).toBe(true);
  });

  it('names the field of bad input', () => {
    const ok = normalRows(10, 2, 1);
    expect(() => c2st(ok, ok, { dimension: 0 })).toThrow(/dimension: expected an integer >= 1/);
    expect(() => c2st(ok.subarray(0, 5), ok, { dimension: 2 })).toThrow(/samples: expected a non-empty whole number of rows of 2 values, got 5/);
    expect(() => c2st(ok, Float64Array.of(1, Number.NaN, 2, 3), { dimension: 2 })).toThrow(/reference: value 1 \(row 0\) is not finite/);
    expect(() => c2st(ok, ok, { dimension: 2, folds: 1 })).toThrow(ClassifierSettingsError);
    expect(() => c2st(ok, ok, { dimension: 2, evaluateFolds: 6 })).toThrow(/evaluateFolds: expected an integer in 1..5/);
  });
});

describe('trainMlpClassifier', () => {
  it('learns a boundary it can represent (XOR of signs) well above chance', () => {
    const rng = Xoshiro128.fromSeed(12);
    const n = 2000;
    const x = Float64Array.from({ length: 2 * n }, () => 2 * rng.nextDouble() - 1);
    const labels = Uint8Array.from({ length: n }, (_, i) => (x[2 * i] * x[2 * i + 1] > 0 ? 1 : 0));
    const net = trainMlpClassifier(x, labels, 2, { hidden: [20, 20], maxEpochs: 300 }, Xoshiro128.fromSeed(13));
    const p = net.predictProbabilities(x);
    const correct = labels.reduce((c, y, i) => c + ((p[i] >= 0.5 ? 1 : 0) === y ? 1 : 0), 0);
    expect(correct / n).toBeGreaterThan(0.95);
    // The loss falls: the last epoch's loss is well below the first's.
    expect(net.lossCurve[net.epochs - 1]).toBeLessThan(0.5 * net.lossCurve[0]);
  });

  it('names the field of bad settings', () => {
    const x = new Float64Array(8);
    const y = new Uint8Array(4);
    expect(() => trainMlpClassifier(x, y, 2, { hidden: [0, 4] }, Xoshiro128.fromSeed(1))).toThrow(/hidden\[0\]: expected an integer >= 1, got 0/);
    expect(() => trainMlpClassifier(x, y, 3, { hidden: [4, 4] }, Xoshiro128.fromSeed(1))).toThrow(/x: expected 4 rows × 3 = 12 values, got 8/);
    expect(() => trainMlpClassifier(x, y, 2, { hidden: [4, 4], learningRate: -1 }, Xoshiro128.fromSeed(1))).toThrow(/learningRate/);
  });
});

describe('resampleWeighted', () => {
  it('draws rows in proportion to their weights (chi-square, 3 degrees of freedom)', () => {
    const particles = Float64Array.of(0, 0, 1, 1, 2, 2, 3, 3);
    const weights = [1, 2, 3, 4];
    const count = 20_000;
    const out = resampleWeighted(particles, weights, 2, count, Xoshiro128.fromSeed(21));
    const seen = [0, 0, 0, 0];
    for (let r = 0; r < count; r++) {
      expect(out[2 * r]).toBe(out[2 * r + 1]);
      seen[out[2 * r]]++;
    }
    const chiSquare = seen.reduce((s, o, i) => s + (o - (count * weights[i]) / 10) ** 2 / ((count * weights[i]) / 10), 0);
    // 99.9% point of chi-square with 3 degrees of freedom: 16.27.
    expect(chiSquare).toBeLessThan(16.27);
  });

  it('refuses weights it cannot draw from', () => {
    const p = Float64Array.of(1, 2);
    expect(() => resampleWeighted(p, [0, 0], 1, 5, Xoshiro128.fromSeed(1))).toThrow(/weights: the weights sum to zero/);
    expect(() => resampleWeighted(p, [1, -1], 1, 5, Xoshiro128.fromSeed(1))).toThrow(/weights: weight 1 is not a finite number >= 0/);
    expect(() => resampleWeighted(p, [1], 1, 5, Xoshiro128.fromSeed(1))).toThrow(/particles: expected 1 rows × 1 = 1 values, got 2/);
  });
});
