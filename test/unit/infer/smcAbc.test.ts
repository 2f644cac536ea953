/**
 * SMC-ABC, ABC rejection and replenishment SMC-ABC as machinery: weights,
 * ESS, determinism across executors and batch sizes, stopping rules, the
 * max-trials guard, cancellation, progress events and JSON configuration.
 */
import { describe, expect, it } from 'vitest';
import { InProcessExecutor } from '../../../engine/compute/InProcessExecutor';
import {
  abcRejection,
  InferenceError,
  ListEpsilon,
  Posterior,
  replenishmentSmcAbc,
  smcAbc,
  type Generation,
  type InferenceProgress,
} from '../../../engine/infer';
import { getExample } from '../../../engine/model';
import { IndependentPrior, NormalPrior, UniformPrior } from '../../../engine/sample';
import { FunctionExecutor, PLACEHOLDER_SIMULATION } from './fixtures';

const twoParameters = {
  prior: new IndependentPrior({ a: new UniformPrior(-3, 3), b: new NormalPrior(0, 1) }),
  simulation: PLACEHOLDER_SIMULATION,
  summaries: { kind: 'identity' },
  observed: Float64Array.of(0.5, -0.2),
};
const noisy = (batchSize = 7) => new FunctionExecutor((p, rng) => [p[0] + 0.3 * rng.nextNormal(), p[1] + 0.3 * rng.nextNormal()], batchSize);

function snapshot(posterior: Posterior) {
  return posterior.generations.map((g) => ({
    epsilon: g.epsilon,
    particles: Array.from(g.particles),
    weights: Array.from(g.weights),
    distances: Array.from(g.distances),
    simulations: g.simulations,
  }));
}

describe('SMC-ABC weights and effective sample size', () => {
  it('normalises weights in every generation and reports the Kish ESS', async () => {
    const posterior = await smcAbc({ ...twoParameters, executor: noisy(), populationSize: 300, maxGenerations: 5, seed: 1 });
    expect(posterior.generations).toHaveLength(5);
    for (const g of posterior.generations) {
      const sum = g.weights.reduce((s, w) => s + w, 0);
      expect(sum).toBeCloseTo(1, 12);
      const ess = 1 / g.weights.reduce((s, w) => s + w * w, 0);
      expect(g.ess).toBeCloseTo(ess, 8);
      expect(g.ess).toBeGreaterThan(1);
      expect(g.ess).toBeLessThanOrEqual(g.count + 1e-9);
      expect(g.distances.every((d) => d <= g.epsilon)).toBe(true);
    }
    expect(posterior.generations[0].ess).toBeCloseTo(300, 8);
    expect(posterior.stopReason).toBe('maxGenerations');
  });
});

describe('determinism: the seed decides, not the executor or the batching', () => {
  it('function executor: batch size 1 vs 7 and automatic vs fixed trial batches give identical particles', async () => {
    const run = (executorBatch: number, batchSize?: number) =>
      smcAbc({ ...twoParameters, executor: noisy(executorBatch), populationSize: 100, maxGenerations: 4, seed: 99, batchSize });
    const reference = snapshot(await run(1));
    expect(snapshot(await run(7))).toEqual(reference);
    expect(snapshot(await run(7, 13))).toEqual(reference);
    expect(snapshot(await run(1, 1))).toEqual(reference);
    expect(snapshot(await smcAbc({ ...twoParameters, executor: noisy(), populationSize: 100, maxGenerations: 4, seed: 100 }))).not.toEqual(reference);
  });

  it('in-process executor on the toggle switch: batch size 1 vs 7 give identical runs', async () => {
    const model = getExample('toggle-switch')!;
    const options = {
      prior: new IndependentPrior({ alpha1: new UniformPrior(0.5, 2), mu: new UniformPrior(0.5, 2) }),
      simulation: { model, runsPerTrial: 2, time: [0, 5, 10, 15, 20] },
      summaries: { kind: 'time-series-features', set: 'minimal', species: ['U'] },
      distance: { kind: 'adaptive' },
      observed: Float64Array.of(10, 1, 2, 3, 9, 10, 0),
      populationSize: 40,
      maxGenerations: 3,
      seed: 5,
    };
    const a = snapshot(await smcAbc({ ...options, executor: new InProcessExecutor({ batchSize: 1 }) }));
    const b = snapshot(await smcAbc({ ...options, executor: new InProcessExecutor({ batchSize: 7 }), batchSize: 11 }));
    expect(b).toEqual(a);
    const r1 = snapshot(await replenishmentSmcAbc({ ...options, maxGenerations: 3, executor: new InProcessExecutor({ batchSize: 1 }) }));
    const r7 = snapshot(await replenishmentSmcAbc({ ...options, maxGenerations: 3, executor: new InProcessExecutor({ batchSize: 7 }) }));
    expect(r7).toEqual(r1);
  });

  it('ABC rejection: same particles whatever the batching', async () => {
    const run = (executorBatch: number, batchSize?: number) =>
      abcRejection({ ...twoParameters, executor: noisy(executorBatch), epsilon: 0.5, populationSize: 200, seed: 3, batchSize });
    const reference = snapshot(await run(1));
    expect(snapshot(await run(7, 50))).toEqual(reference);
  });
});

describe('stopping rules and guards', () => {
  it('ABC rejection stops at maxTrials and returns what it accepted', async () => {
    const posterior = await abcRejection({ ...twoParameters, executor: noisy(), epsilon: 0.2, populationSize: 1000, maxTrials: 500, seed: 2 });
    expect(posterior.stopReason).toBe('maxTrials');
    expect(posterior.simulations).toBe(500);
    expect(posterior.last.count).toBeGreaterThan(0);
    expect(posterior.last.count).toBeLessThan(1000);
  });

  it('ABC rejection with nothing accepted within maxTrials throws a clear error', async () => {
    const run = abcRejection({ ...twoParameters, executor: noisy(), epsilon: 0, populationSize: 10, maxTrials: 200, seed: 2 });
    await expect(run).rejects.toBeInstanceOf(InferenceError);
    await expect(abcRejection({ ...twoParameters, executor: noisy(), epsilon: 0, populationSize: 10, maxTrials: 200, seed: 2 })).rejects.toThrow(
      /no trial came within epsilon = 0 .* in 200 trials/,
    );
  });

  it('SMC-ABC stops on the simulation budget, having used exactly all of it', async () => {
    const posterior = await smcAbc({ ...twoParameters, executor: noisy(), populationSize: 100, maxGenerations: 50, maxSimulations: 1500, seed: 4 });
    expect(posterior.stopReason).toBe('maxSimulations');
    expect(posterior.simulations).toBe(1500);
  });

  it('SMC-ABC stops when the acceptance rate falls below the floor', async () => {
    const posterior = await smcAbc({ ...twoParameters, executor: noisy(), populationSize: 100, maxGenerations: 60, minAcceptanceRate: 0.2, seed: 4 });
    expect(posterior.stopReason).toBe('minAcceptanceRate');
    expect(posterior.generations.slice(1, -1).every((g) => g.acceptanceRate >= 0.2)).toBe(true);
  });

  it('SMC-ABC follows a fixed epsilon list and stops when it runs out', async () => {
    const posterior = await smcAbc({ ...twoParameters, executor: noisy(), populationSize: 100, epsilon: new ListEpsilon([2, 1, 0.6]), seed: 4 });
    expect(posterior.generations.map((g) => g.epsilon).slice(1)).toEqual([2, 1, 0.6]);
    expect(posterior.stopReason).toBe('epsilonSchedule');
  });

  it('rejects settings that could run forever or make no sense', async () => {
    await expect(smcAbc({ ...twoParameters, executor: noisy(), minAcceptanceRate: 0 })).rejects.toThrow(/needs a finite maxSimulations/);
    await expect(smcAbc({ ...twoParameters, executor: noisy(), populationSize: 1 })).rejects.toThrow('populationSize: expected an integer >= 2, got 1');
    await expect(replenishmentSmcAbc({ ...twoParameters, executor: noisy(), alpha: 1.5 })).rejects.toThrow(/^alpha: expected a fraction/);
  });
});

describe('progress, cancellation and configuration', () => {
  it('reports generation, epsilon, acceptance rate and simulations so far', async () => {
    const events: InferenceProgress[] = [];
    const stored: Generation[] = [];
    const posterior = await smcAbc({
      ...twoParameters,
      executor: noisy(),
      populationSize: 100,
      maxGenerations: 3,
      seed: 1,
      onProgress: (e) => events.push(e),
      onGeneration: (g) => void stored.push(g),
    });
    const done = events.filter((e) => e.phase === 'generation');
    expect(done.map((e) => e.generation)).toEqual([0, 1, 2]);
    expect(done.map((e) => e.epsilon)).toEqual(posterior.generations.map((g) => g.epsilon));
    expect(events.some((e) => e.phase === 'sampling' && e.accepted < e.populationSize)).toBe(true);
    for (let i = 1; i < events.length; i++) expect(events[i].simulations).toBeGreaterThanOrEqual(events[i - 1].simulations);
    expect(events.every((e) => e.algorithm === 'smcAbc' && e.acceptanceRate > 0 && e.acceptanceRate <= 1)).toBe(true);
    expect(stored).toEqual(posterior.generations);
  });

  it('cancels through an AbortSignal, before or during a run', async () => {
    const before = new AbortController();
    before.abort();
    await expect(smcAbc({ ...twoParameters, executor: noisy(), signal: before.signal })).rejects.toMatchObject({ name: 'AbortError' });
    const during = new AbortController();
    const run = smcAbc({
      ...twoParameters,
      executor: new InProcessExecutor({ batchSize: 4 }),
      simulation: { model: getExample('toggle-switch')! },
      summaries: { kind: 'time-series-features', set: 'minimal' },
      prior: new IndependentPrior({ mu: new UniformPrior(0.5, 2) }),
      observed: new Float64Array(14),
      populationSize: 100_000,
      signal: during.signal,
      onProgress: () => during.abort(),
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('the configuration and every generation survive JSON', async () => {
    const posterior = await smcAbc({ ...twoParameters, executor: noisy(), populationSize: 50, maxGenerations: 3, seed: 12, distance: { kind: 'adaptive' } });
    const json = JSON.parse(JSON.stringify(posterior));
    expect(json.config).toMatchObject({
      algorithm: 'smcAbc',
      seed: 12,
      populationSize: 50,
      prior: { kind: 'independent', parameters: { a: { kind: 'uniform', lower: -3, upper: 3 }, b: { kind: 'normal', mean: 0, sd: 1 } } },
      epsilon: { kind: 'quantile', alpha: 0.5 },
      kernel: { kind: 'multivariateNormal', scale: 2 },
      summaries: { kind: 'identity' },
      executor: { kind: 'test-function' },
      maxSimulations: null,
    });
    expect(json.generations[2].distance.kind).toBe('adaptive');
    expect(json.generations[2].distance.scales).toHaveLength(2);
    const back = Posterior.fromJSON(json);
    expect(snapshot(back)).toEqual(snapshot(posterior));
    expect(Array.from(back.mean())).toEqual(Array.from(posterior.mean()));
  });
});
