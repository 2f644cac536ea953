import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../../../engine/sample/random/Xoshiro128.js';
import {
  AdaptiveDistance,
  createDistance,
  EuclideanDistance,
  ManhattanDistance,
  WeightedEuclideanDistance,
  type Distance,
} from '../../../engine/stats/index.js';

const rng = Xoshiro128.fromSeed(41);
const vector = (d: number) => Float64Array.from({ length: d }, () => (rng.nextDouble() - 0.5) * 10 ** Math.floor(rng.nextDouble() * 4));
const D = 6;
const observed = vector(D);
const generation = Array.from({ length: 40 }, () => vector(D));

/** Every distance, prepared as an inference run would (initialize on prior-predictive features). */
const cases: Array<[string, () => Distance & { readonly warnings: string[] }]> = [
  ['euclidean', () => new EuclideanDistance()],
  ['manhattan', () => new ManhattanDistance()],
  ['euclidean, max normalisation', () => new EuclideanDistance({ maxNormalisation: true })],
  ['manhattan, max normalisation', () => new ManhattanDistance({ maxNormalisation: true })],
  ['weighted euclidean', () => new WeightedEuclideanDistance([1, 2, 0.5, 3, 1, 0.25])],
  ['adaptive (MAD)', () => new AdaptiveDistance()],
  ['adaptive (SD)', () => new AdaptiveDistance({ scale: 'sd' })],
];

describe.each(cases)('%s', (_label, make) => {
  const distance = make();
  distance.initialize?.({ features: generation, observed });
  const points = Array.from({ length: 12 }, () => vector(D));

  it('is a metric: d(x, x) = 0, d >= 0, symmetric, triangle inequality (slack 1e-9 relative)', () => {
    for (const x of points) {
      expect(distance.distance(x, x)).toBe(0);
      for (const y of points) {
        const dxy = distance.distance(x, y);
        expect(dxy).toBeGreaterThanOrEqual(0);
        expect(dxy).toBe(distance.distance(y, x));
        for (const z of points) expect(distance.distance(x, z)).toBeLessThanOrEqual((dxy + distance.distance(y, z)) * (1 + 1e-9));
      }
    }
  });

  it('NaN: an observed NaN drops the feature (with a warning at initialize); a simulated NaN gives +Infinity', () => {
    const fresh = make();
    const gappy = Float64Array.from(observed);
    gappy[2] = NaN;
    fresh.initialize?.({ features: generation, observed: gappy });
    expect(fresh.warnings.join()).toMatch(/1 observed feature is NaN and ignored \(index 2\)/);
    const x = Float64Array.from(points[0]);
    const dropped = fresh.distance(x, gappy);
    x[2] = 1e9;
    expect(fresh.distance(x, gappy)).toBe(dropped);
    x[4] = NaN;
    expect(fresh.distance(x, gappy)).toBe(Infinity);
  });

  it('rebuilds from its JSON with the same state', () => {
    const rebuilt = createDistance(JSON.parse(JSON.stringify(distance.toJSON())));
    expect(rebuilt.kind).toBe(distance.kind);
    for (const x of points) expect(rebuilt.distance(x, observed)).toBe(distance.distance(x, observed));
  });
});

describe('distance values', () => {
  const origin = Float64Array.from([0, 0]);
  const point = Float64Array.from([3, 4]);

  it('Euclidean 5, Manhattan 7, weighted sqrt(1 * 9 + 4 * 16)', () => {
    expect(new EuclideanDistance().distance(point, origin)).toBe(5);
    expect(new ManhattanDistance().distance(point, origin)).toBe(7);
    expect(new WeightedEuclideanDistance([1, 4]).distance(point, origin)).toBe(Math.sqrt(73));
  });

  it('adaptive: the scales are the MAD of the generation per feature; a zero scale drops the feature; update replaces them', () => {
    const adaptive = new AdaptiveDistance();
    const rows = [
      [1, 0, 5],
      [2, 0, 5],
      [3, 10, 5],
      [4, 10, 6],
      [100, 10, 5],
    ].map((r) => Float64Array.from(r));
    adaptive.initialize({ features: rows, observed: Float64Array.from([0, 0, 0]) });
    // column 0: median 3, |x - 3| = 2 1 0 1 97, MAD 1; column 1: median 10, deviations 10 10 0 0 0, MAD 0; column 2: MAD 0
    expect(Array.from(adaptive.currentScales!)).toEqual([1, 0, 0]);
    expect(adaptive.distance(Float64Array.from([3, 99, 99]), Float64Array.from([0, 0, 0]))).toBe(3);
    adaptive.update({ features: rows.map((r) => Float64Array.from(r, (v) => v * 2)), observed: Float64Array.from([0, 0, 0]) });
    expect(Array.from(adaptive.currentScales!)).toEqual([2, 0, 0]);
    const sd = new AdaptiveDistance({ scale: 'sd' });
    sd.initialize({ features: rows, observed: Float64Array.from([0, 0, 0]) });
    // column 0: np.std([1, 2, 3, 4, 100]) = sqrt(7610 / 5)
    expect(sd.currentScales![0]).toBeCloseTo(39.01281840626232, 12);
  });

  it('running max: each difference divided by the largest |simulated - observed| seen so far, never shrinking', () => {
    const euclidean = new EuclideanDistance({ maxNormalisation: true });
    const y = Float64Array.from([1, 1]);
    expect(euclidean.distance(point, y)).toBeCloseTo(Math.hypot(2, 3), 14); // no maxima yet: unscaled
    euclidean.initialize({ features: [Float64Array.from([3, 1]), Float64Array.from([-1, 5])], observed: y });
    expect(euclidean.toJSON().runningMax).toEqual([2, 4]);
    euclidean.update({ features: [Float64Array.from([1, 1]), Float64Array.from([11, 2])], observed: y });
    expect(euclidean.toJSON().runningMax).toEqual([10, 4]);
    expect(euclidean.distance(point, y)).toBeCloseTo(Math.hypot(2 / 10, 3 / 4), 14);
    const manhattan = new ManhattanDistance({ maxNormalisation: true, runningMax: [10, 4] });
    expect(manhattan.distance(point, y)).toBeCloseTo(2 / 10 + 3 / 4, 14);
  });
});
