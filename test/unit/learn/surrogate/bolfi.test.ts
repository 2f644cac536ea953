import { describe, expect, it } from 'vitest';
import {
  bolfi,
  GaussianProcess,
  lbfgs,
  lcbExplorationWeight,
  proposeNext,
  SurrogateError,
  SurrogateSpecError,
} from '../../../../engine/learn/surrogate/index.js';
import { Xoshiro128 } from '../../../../engine/sample/random/index.js';

const TRUE_MINIMISER = [0.3, -0.5];
const BOX: [number, number][] = [
  [-2, 2],
  [-2, 2],
];

/** Quadratic discrepancy with minimum 0.1 at (0.3, −0.5), plus |N(0, 0.05²)| noise (the floor keeps log finite). */
function noisyQuadratic(seed: number) {
  const noise = Xoshiro128.fromSeed(seed);
  let calls = 0;
  const discrepancy = async (thetas: Float64Array[]) => {
    calls += thetas.length;
    return thetas.map(([a, b]) => (a - TRUE_MINIMISER[0]) ** 2 + 2 * (b - TRUE_MINIMISER[1]) ** 2 + 0.1 + 0.05 * Math.abs(noise.nextNormal()));
  };
  return { discrepancy, calls: () => calls };
}

describe('BOLFI', () => {
  it.each([
    [1, 1],
    [2, 1],
    [3, 4],
  ])('finds the minimiser of a noisy 2-D quadratic in 40 evaluations (seed %i, batch %i)', async (seed, batchSize) => {
    // The box is 4 wide; within 0.1 of (0.3, −0.5) is 2.5% of a side. With
    // noise sd ≈ 0.03 around a minimum of 0.1, the quadratic's curvature
    // fixes the minimiser to about ±0.05 after 40 evaluations (seen: 0.005-0.05).
    const q = noisyQuadratic(100 + seed);
    const progress: number[] = [];
    const result = await bolfi(q.discrepancy, { bounds: BOX, maxEvaluations: 40, batchSize, seed }, (p) => progress.push(p.evaluations));
    expect(q.calls()).toBe(40);
    expect(result.thetas).toHaveLength(40);
    expect(Math.hypot(result.minimiser[0] - TRUE_MINIMISER[0], result.minimiser[1] - TRUE_MINIMISER[1])).toBeLessThan(0.1);
    expect(result.minimum).toBeGreaterThan(0.05);
    expect(result.minimum).toBeLessThan(0.3);
    expect(progress[progress.length - 1]).toBe(40);
    for (const t of result.thetas) for (let k = 0; k < 2; k++) expect(t[k] >= BOX[k][0] && t[k] <= BOX[k][1]).toBe(true);
  });

  it('is deterministic for a seed', async () => {
    const a = await bolfi(noisyQuadratic(1).discrepancy, { bounds: BOX, maxEvaluations: 20, seed: 9 });
    const b = await bolfi(noisyQuadratic(1).discrepancy, { bounds: BOX, maxEvaluations: 20, seed: 9 });
    expect(a.thetas.map((t) => Array.from(t))).toEqual(b.thetas.map((t) => Array.from(t)));
    expect(Array.from(a.minimiser)).toEqual(Array.from(b.minimiser));
  });

  it('proposeNext returns distinct points inside the box (Kriging believer)', () => {
    const rng = Xoshiro128.fromSeed(4);
    const x = Array.from({ length: 15 }, () => [4 * rng.nextDouble() - 2, 4 * rng.nextDouble() - 2]);
    const y = x.map(([a, b]) => Math.log(a * a + b * b + 0.1));
    const gp = GaussianProcess.fit(x, y, { bounds: BOX });
    const batch = proposeNext(gp, BOX, 5, Xoshiro128.fromSeed(1));
    expect(batch).toHaveLength(5);
    for (const p of batch) for (let k = 0; k < 2; k++) expect(p[k] >= -2 && p[k] <= 2).toBe(true);
    for (let i = 0; i < 5; i++) for (let j = 0; j < i; j++) expect(Math.hypot(batch[i][0] - batch[j][0], batch[i][1] - batch[j][1])).toBeGreaterThan(1e-3);
    expect(() => proposeNext(gp, [[-2, 2]], 1, rng)).toThrow(SurrogateError);
    expect(() => proposeNext(gp, BOX, 1, rng, { epsilon: 2 })).toThrow('propose.epsilon: expected a number in (0, 1)');
  });

  it('uses the exploration schedule of Gutmann & Corander (2016)', () => {
    // η_t² = 2 log(t^(d/2+2) π² / (3 ε)); at t = 1, d = 2, ε = 0.1: 2 log(π²/0.3).
    expect(lcbExplorationWeight(1, 2)).toBeCloseTo(2 * Math.log(Math.PI ** 2 / 0.3), 12);
    expect(lcbExplorationWeight(10, 2)).toBeCloseTo(2 * Math.log((10 ** 3 * Math.PI ** 2) / 0.3), 12);
  });

  it('rejects bad options and discrepancies', async () => {
    await expect(bolfi(noisyQuadratic(1).discrepancy, { bounds: [] })).rejects.toThrow('bolfi.bounds: expected at least one parameter');
    await expect(bolfi(noisyQuadratic(1).discrepancy, { bounds: BOX, batchSize: 0 })).rejects.toThrow(SurrogateSpecError);
    await expect(bolfi(async (t) => t.map(() => 0), { bounds: BOX })).rejects.toThrow('the log transform needs discrepancy + logOffset > 0');
    await expect(bolfi(async () => [1], { bounds: BOX })).rejects.toThrow('bolfi(discrepancy): expected 10 values (one per parameter vector), got 1');
  });
});

describe('lbfgs', () => {
  it('minimises the Rosenbrock function', () => {
    const result = lbfgs(
      (x, g) => {
        g[0] = -2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] * x[0]);
        g[1] = 200 * (x[1] - x[0] * x[0]);
        return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] * x[0]) ** 2;
      },
      [-1.2, 1],
      { maxIterations: 500, gradientTolerance: 1e-8 },
    );
    expect(result.x[0]).toBeCloseTo(1, 5);
    expect(result.x[1]).toBeCloseTo(1, 5);
  });
});
