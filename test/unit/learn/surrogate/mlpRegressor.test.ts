import { describe, expect, it } from 'vitest';
import { MlpRegressor, SurrogateSpecError } from '../../../../engine/learn/surrogate/index.js';
import { Xoshiro128 } from '../../../../engine/sample/random/index.js';

const f = (a: number, b: number) => Math.sin(Math.PI * a) * Math.cos(Math.PI * b);

function data(n: number, seed: number): { x: number[][]; y: number[] } {
  const rng = Xoshiro128.fromSeed(seed);
  const x = Array.from({ length: n }, () => [2 * rng.nextDouble() - 1, 2 * rng.nextDouble() - 1]);
  return { x, y: x.map(([a, b]) => f(a, b)) };
}

const grid: number[][] = [];
for (let i = 0; i <= 20; i++) for (let j = 0; j <= 20; j++) grid.push([-1 + i / 10, -1 + j / 10]);

function rmse(model: MlpRegressor): number {
  const p = model.predict(grid);
  let se = 0;
  grid.forEach(([a, b], i) => (se += (p[i] - f(a, b)) ** 2));
  return Math.sqrt(se / grid.length);
}

describe('MlpRegressor', () => {
  it('fits sin(πa)·cos(πb) on [-1, 1]² (tanh)', () => {
    // 600 noise-free points, 2 × 24 tanh units. The target has range [-1, 1]
    // (sd ≈ 0.5); RMSE < 0.05 on a 21 × 21 grid is under 10% of its sd (seen: 0.029).
    const { x, y } = data(600, 7);
    const model = MlpRegressor.fit(x, y, { hiddenLayers: [24, 24], learningRate: 0.01, maxEpochs: 250, seed: 1 });
    expect(rmse(model)).toBeLessThan(0.05);
    expect(model.validationLoss).not.toBeNull();
  });

  it('fits with ReLU units and several outputs', () => {
    const { x } = data(600, 8);
    const y = x.map(([a, b]) => [f(a, b), 3 * a + b * b]);
    const model = MlpRegressor.fit(x, y, { hiddenLayers: [24, 24], activation: 'relu', learningRate: 0.01, maxEpochs: 250, seed: 2 });
    expect(model.outputCount).toBe(2);
    const p = model.predict(grid);
    let se0 = 0;
    let se1 = 0;
    grid.forEach(([a, b], i) => {
      se0 += (p[2 * i] - f(a, b)) ** 2;
      se1 += (p[2 * i + 1] - (3 * a + b * b)) ** 2;
    });
    // ReLU fits are piecewise linear: looser bounds than tanh.
    expect(Math.sqrt(se0 / grid.length)).toBeLessThan(0.08);
    expect(Math.sqrt(se1 / grid.length)).toBeLessThan(0.15);
  });

  it('is deterministic for a seed and round-trips through JSON', () => {
    const { x, y } = data(200, 9);
    const a = MlpRegressor.fit(x, y, { hiddenLayers: [8], maxEpochs: 30, seed: 5 });
    const b = MlpRegressor.fit(x, y, { hiddenLayers: [8], maxEpochs: 30, seed: 5 });
    expect(Array.from(b.predict(grid))).toEqual(Array.from(a.predict(grid)));
    const c = MlpRegressor.fit(x, y, { hiddenLayers: [8], maxEpochs: 30, seed: 6 });
    expect(Array.from(c.predict(grid))).not.toEqual(Array.from(a.predict(grid)));
    const copy = MlpRegressor.fromJSON(JSON.parse(JSON.stringify(a)));
    expect(Array.from(copy.predict(grid))).toEqual(Array.from(a.predict(grid)));
  });

  it('stops early when the validation loss stops improving', () => {
    const { x, y } = data(100, 10);
    const model = MlpRegressor.fit(x, y, { hiddenLayers: [8], maxEpochs: 5000, patience: 5, learningRate: 0.05, seed: 1 });
    expect(model.epochs).toBeLessThan(5000);
  });

  it('rejects bad options with precise messages', () => {
    const { x, y } = data(20, 1);
    expect(() => MlpRegressor.fit(x, y, { hiddenLayers: [0] })).toThrow(SurrogateSpecError);
    expect(() => MlpRegressor.fit(x, y, { hiddenLayers: [0] })).toThrow('mlp.hiddenLayers[0]: expected an integer in [1, 4096]');
    expect(() => MlpRegressor.fit(x, y, { activation: 'sigmoid' as never })).toThrow('mlp.activation: expected one of "tanh", "relu"');
    expect(() => MlpRegressor.fit(x, y, { validationFraction: 1 })).toThrow('mlp.validationFraction: expected a number in [0, 0.9]');
    expect(() => MlpRegressor.fit(x, y.slice(1))).toThrow('MlpRegressor.fit(y): expected 20 rows (one per row of x), got 19');
    expect(() => MlpRegressor.fromJSON({ ...JSON.parse(JSON.stringify(MlpRegressor.fit(x, y, { maxEpochs: 1 }))), parameters: [1] })).toThrow(
      'MlpRegressor.fromJSON(parameters)',
    );
  });
});
