/**
 * The flow training loop on a small conditional problem (θ | x ~ N(x, 0.3²),
 * 300 pairs, one MADE block): early stopping, step-size reductions on
 * plateaus, determinism and settings validation. Exact numbers are not
 * asserted (they depend on the backend), only relations that hold on any.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createFlow, trainFlow, type FlowArchitecture, type FlowTrainingData } from '../../../../engine/infer/npe';
import { initLearnBackend } from '../../../../engine/learn/backend';
import { Xoshiro128 } from '../../../../engine/sample';

const architecture: FlowArchitecture = { kind: 'maf', dimension: 1, contextDimension: 1, transforms: 1, hidden: 8, hiddenLayers: 2, activation: 'tanh' };

function data(n: number): FlowTrainingData {
  const rng = Xoshiro128.fromSeed(5);
  const x = Float64Array.from({ length: n }, () => 2 * rng.nextNormal());
  const theta = x.map((v) => v + 0.3 * rng.nextNormal());
  return { count: n, theta, x };
}

beforeAll(async () => {
  await initLearnBackend();
});

describe('trainFlow', () => {
  it('stops after `patience` epochs without improvement and keeps the best weights', async () => {
    const pairs = data(300);
    const result = await trainFlow(createFlow(architecture, pairs, 1), pairs, { batchSize: 64, learningRate: 0.02, patience: 3, maxEpochs: 200, seed: 2 });
    const epochs = result.validationLoss.length;
    expect(epochs).toBeLessThan(200);
    expect(epochs - result.bestEpoch).toBe(3);
    expect(Math.min(...result.validationLoss)).toBe(result.validationLoss[result.bestEpoch - 1]);
    // The fit beats the untrained flow (the z-scored θ's standard normal: NLL about 1.42).
    expect(result.validationLoss[result.bestEpoch - 1]).toBeLessThan(result.validationLoss[0]);
  }, 60_000);

  it('goes on at a smaller step size after a plateau when asked, and is deterministic', async () => {
    const pairs = data(300);
    const settings = { batchSize: 64, learningRate: 0.02, patience: 3, maxEpochs: 200, seed: 2 };
    const plain = await trainFlow(createFlow(architecture, pairs, 1), pairs, settings);
    const refined = await trainFlow(createFlow(architecture, pairs, 1), pairs, { ...settings, plateauReductions: 2 });
    const again = await trainFlow(createFlow(architecture, pairs, 1), pairs, { ...settings, plateauReductions: 2 });
    expect(refined.validationLoss.length).toBeGreaterThan(plain.validationLoss.length);
    expect(refined.validationLoss[refined.bestEpoch - 1]).toBeLessThanOrEqual(plain.validationLoss[plain.bestEpoch - 1]);
    expect(again.weights).toEqual(refined.weights);
  }, 60_000);

  it('keeps the starting weights of a warm start when no epoch beats them (bestEpoch 0)', async () => {
    const pairs = data(300);
    const fitted = await trainFlow(createFlow(architecture, pairs, 1), pairs, { batchSize: 64, learningRate: 0.02, patience: 3, maxEpochs: 200, seed: 2 });
    const start = { architecture, standardisation: fitted.standardisation, weights: fitted.weights };
    // A step size of 5 throws a fitted flow far off at the first update: every epoch is worse than where it started.
    const wrecked = await trainFlow(start, pairs, { batchSize: 64, learningRate: 5, patience: 3, maxEpochs: 3, seed: 2 });
    expect(wrecked.bestEpoch).toBe(0);
    expect(wrecked.weights).toEqual(fitted.weights);
  }, 60_000);

  it('names the bad field', async () => {
    const pairs = data(20);
    const start = createFlow(architecture, pairs, 1);
    await expect(trainFlow(start, pairs, { batchSize: 1 })).rejects.toThrow(/batchSize: expected an integer >= 2/);
    await expect(trainFlow(start, pairs, { validationFraction: 1 })).rejects.toThrow(/validationFraction/);
    await expect(trainFlow(start, pairs, { loss: 'atomic' })).rejects.toThrow(/data.logPrior/);
    await expect(trainFlow(start, { ...pairs, fromPrior: new Float64Array(3) })).rejects.toThrow(/data.fromPrior: expected 20 values/);
    await expect(trainFlow(start, { ...pairs, x: new Float64Array(3) })).rejects.toThrow(/data.x: expected 20 × 1 values/);
  });
});
