import { describe, expect, it } from 'vitest';
import { fitCurveParameters, fuzzySimplicialSet, layoutSchedule, optimizeLayout, smoothDistances } from '../../../../engine/learn/reduce/umap/index.js';
import { PowerTable } from '../../../../engine/learn/reduce/umap/powerTable.js';
import { nearestNeighbours } from '../../../../engine/learn/semiSupervised/nearestNeighbours.js';
import { Xoshiro128 } from '../../../../engine/sample/random/Xoshiro128.js';

/** n points of a noisy helix in 5-D (seed fixed). */
function helix(n: number): { rows: number; columns: number; data: Float64Array } {
  const rng = Xoshiro128.fromSeed(11);
  const data = new Float64Array(n * 5);
  for (let i = 0; i < n; i++) {
    const t = 6 * rng.nextDouble();
    data.set([Math.cos(t), Math.sin(t), t / 3, 0.1 * rng.nextNormal(), 0.1 * rng.nextNormal()], i * 5);
  }
  return { rows: n, columns: 5, data };
}

/** Sum of squared residuals of 1 / (1 + a·x^(2b)) against UMAP's target curve, as fitCurveParameters defines it. */
function curveResidual(a: number, b: number, spread: number, minDist: number): number {
  let sum = 0;
  for (let s = 0; s < 300; s++) {
    const x = (3 * spread * s) / 299;
    const y = x < minDist ? 1 : Math.exp(-(x - minDist) / spread);
    sum += (1 / (1 + a * x ** (2 * b)) - y) ** 2;
  }
  return sum;
}

describe('UMAP curve parameters', () => {
  it("match umap-learn's for minDist 0.1, spread 1 (a = 1.57694, b = 0.89506) to 1e-6 relative", () => {
    // umap-learn's values (also umap-js's defaults) come from scipy's curve_fit, which stops at about 1e-7 relative.
    const { a, b } = fitCurveParameters(1, 0.1);
    expect(Math.abs(a / 1.5769434603113077 - 1)).toBeLessThan(1e-6);
    expect(Math.abs(b / 0.8950608779109733 - 1)).toBeLessThan(1e-6);
  });

  it.each([
    [1, 0],
    [1, 0.5],
    [2, 0.3],
  ])('are a least-squares minimum for spread %d, minDist %d (any 1e-4 relative step raises the residual)', (spread, minDist) => {
    const { a, b } = fitCurveParameters(spread, minDist);
    const best = curveResidual(a, b, spread, minDist);
    for (const [da, db] of [
      [1, 0],
      [-1, 0],
      [0, 1],
      [0, -1],
      [1, 1],
      [-1, -1],
      [1, -1],
      [-1, 1],
    ]) {
      expect(curveResidual(a * (1 + 1e-4 * da), b * (1 + 1e-4 * db), spread, minDist)).toBeGreaterThan(best);
    }
  });
});

describe('PowerTable', () => {
  it.each([0.5, 0.7915, 0.8950608779109733, 1.3, 2])('agrees with Math.pow to 2^-25·|b(b−1)| relative wherever x^b is a normal double (b = %d)', (b) => {
    const table = new PowerTable(b);
    const rng = Xoshiro128.fromSeed(4);
    // The interpolation bound of the class comment, plus a few ulps of the table entries' own rounding.
    const bound = 2 ** -25 * Math.abs(b * (b - 1)) + 1e-15;
    let worst = 0;
    for (let s = 0; s < 100_000; s++) {
      const x = Math.exp(Math.min(700, 650 / b) * (2 * rng.nextDouble() - 1)); // x and x^b within e^±700
      worst = Math.max(worst, Math.abs(table.pow(x) / Math.pow(x, b) - 1));
    }
    for (const x of [1, 2, 0.5, 1 - 2 ** -52, 3]) worst = Math.max(worst, Math.abs(table.pow(x) / Math.pow(x, b) - 1));
    expect(worst).toBeLessThanOrEqual(bound);
    expect(Math.abs(table.pow(0))).toBe(0); // ±0
  });
});

describe('UMAP fuzzy simplicial set', () => {
  const matrix = helix(300);
  const lists = nearestNeighbours(matrix, 14);

  it('calibrates each point: Σ exp(−(d − rho)/sigma) over its 14 neighbours = log2(15) within 1e-5, rho = nearest distance', () => {
    const { rhos, sigmas } = smoothDistances(lists, 15);
    for (let i = 0; i < 300; i++) {
      expect(rhos[i]).toBe(lists.distances[i * 14]);
      let sum = 0;
      for (let t = 0; t < 14; t++) sum += Math.exp(-Math.max(0, lists.distances[i * 14 + t] - rhos[i]) / sigmas[i]);
      expect(Math.abs(sum - Math.log2(15))).toBeLessThan(1e-5);
    }
  });

  it('is the symmetric fuzzy union w_ij + w_ji − w_ij·w_ji of the directed memberships, rows sorted, weights in (0, 1]', () => {
    const { rhos, sigmas } = smoothDistances(lists, 15);
    const directed = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      for (let t = 0; t < 14; t++) directed.set(`${i},${lists.indices[i * 14 + t]}`, Math.exp(-Math.max(0, lists.distances[i * 14 + t] - rhos[i]) / sigmas[i]));
    }
    const graph = fuzzySimplicialSet(lists, 15);
    const seen = new Map<string, number>();
    for (let e = 0; e < graph.weight.length; e++) {
      const [i, j] = [graph.head[e], graph.tail[e]];
      if (e > 0) expect(graph.head[e - 1] < i || (graph.head[e - 1] === i && graph.tail[e - 1] < j)).toBe(true);
      const w = directed.get(`${i},${j}`) ?? 0;
      const v = directed.get(`${j},${i}`) ?? 0;
      expect(graph.weight[e]).toBeCloseTo(w + v - w * v, 14);
      expect(graph.weight[e]).toBeGreaterThan(0);
      expect(graph.weight[e]).toBeLessThanOrEqual(1);
      seen.set(`${i},${j}`, graph.weight[e]);
    }
    for (const [key, weight] of seen) expect(seen.get(key.split(',').reverse().join(','))).toBe(weight);
    // Every directed kNN pair is an edge, and no other pair is.
    for (const key of directed.keys()) expect(seen.has(key)).toBe(true);
    expect(seen.size).toBe(new Set([...directed.keys(), ...[...directed.keys()].map((k) => k.split(',').reverse().join(','))]).size);
  });
});

describe('UMAP layout schedule', () => {
  it('samples each edge ⌊epochs·w/w_max⌋ times and drops edges below w_max/epochs', () => {
    const graph = { points: 4, head: Int32Array.of(0, 1, 2, 3), tail: Int32Array.of(1, 0, 3, 2), weight: Float64Array.of(1, 1, 0.3, 0.3) };
    const settings = { curve: fitCurveParameters(1, 0.1), epochs: 20, negativeSampleRate: 5, learningRate: 1, repulsionStrength: 1 };
    const schedule = layoutSchedule(graph, settings);
    const embedding = Float64Array.of(0, 0, 1, 0, 5, 5, 6, 5);
    optimizeLayout(embedding, schedule, settings, 0, 20, Xoshiro128.fromSeed(1));
    // nextSample = (samples + 1) · epochsPerSample: 20 samples of the strongest edges, ⌊20 · 0.3⌋ = 6 of the weak ones.
    expect(Array.from(schedule.nextSample, (next, e) => Math.round(next / schedule.epochsPerSample[e]) - 1)).toEqual([20, 20, 6, 6]);
    const sparse = layoutSchedule({ ...graph, weight: Float64Array.of(1, 1, 0.04, 0.04) }, settings);
    expect(Array.from(sparse.head)).toEqual([0, 1]);
  });

  it('an edge pulls its two points together and negative samples push unrelated points apart', () => {
    const graph = { points: 4, head: Int32Array.of(0, 1, 2, 3), tail: Int32Array.of(1, 0, 3, 2), weight: Float64Array.of(1, 1, 1, 1) };
    const settings = { curve: fitCurveParameters(1, 0.1), epochs: 50, negativeSampleRate: 5, learningRate: 1, repulsionStrength: 1 };
    const embedding = Float64Array.of(0, 0, 3, 0, 0.5, 0.5, 3.5, 0.5);
    optimizeLayout(embedding, layoutSchedule(graph, settings), settings, 0, 50, Xoshiro128.fromSeed(2));
    const distance = (i: number, j: number) => Math.hypot(embedding[2 * i] - embedding[2 * j], embedding[2 * i + 1] - embedding[2 * j + 1]);
    // Pairs (0, 1) and (2, 3) end closer than they started (3), and each pair ends farther from the other than it started (0.7).
    expect(distance(0, 1)).toBeLessThan(1);
    expect(distance(2, 3)).toBeLessThan(1);
    expect(Math.min(distance(0, 2), distance(0, 3), distance(1, 2), distance(1, 3))).toBeGreaterThan(1);
  });
});
