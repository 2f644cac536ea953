import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessExecutor } from '../../../../engine/compute/InProcessExecutor.js';
import { WorkerPoolExecutor } from '../../../../engine/compute/pool/WorkerPoolExecutor.js';
import { abcRejection } from '../../../../engine/infer/abcRejection.js';
import { parseStudy, runStudy } from '../../../../engine/infer/study.js';
import { learnSummaryStatistics, type LearnedStatistics } from '../../../../engine/learn/nn/learnStatistics.js';
import { loadNetwork, storeNetwork } from '../../../../engine/learn/nn/networkStore.js';
import { resolveStudySummaries } from '../../../../engine/learn/nn/studySummaries.js';
import { simulateTrainingSet, type TrainingSet } from '../../../../engine/learn/nn/trainingSet.js';
import { immigrationDeath } from '../../../../engine/model/examples/smallNetworks.js';
import { createIndependentPrior } from '../../../../engine/sample/priors/registry.js';
import { float32ToBase64 } from '../../../../engine/stats/index.js';
import { ProjectStore } from '../../../../engine/store/ProjectStore.js';

/**
 * The toy problem: immigration-death by its rate equation (ODE),
 * x(t) = (alpha/mu)(1 − e^(−mu t)) on t = 0..50: deterministic, so both
 * parameters are recoverable from one series (the level gives alpha/mu, the
 * relaxation mu). Small networks and sets keep this file to seconds.
 */
const TIME = Array.from({ length: 51 }, (_, i) => i);
const prior = createIndependentPrior({ alpha: [0.5, 5], mu: [0.05, 0.5] }, 'priors');
const simulation = { model: immigrationDeath, method: 'ode' as const, time: TIME, prior };
const smallCnn = { architecture: 'cnn' as const, filters: [8, 16], dense: [32, 32] };

let set: TrainingSet;
let learned: LearnedStatistics;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sciope-learn-'));
  set = await simulateTrainingSet({ ...simulation, n: 1000, seed: 1, executor: new InProcessExecutor() });
  learned = await learnSummaryStatistics(set, {
    architecture: smallCnn,
    epochs: 15,
    batchSize: 64,
    learningRate: 3e-3,
    patience: 6,
    plateauPatience: 3,
    seed: 3,
  });
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('simulateTrainingSet', () => {
  it('draws from the prior, scales targets to [0, 1] by the prior box and keeps series time-major', async () => {
    expect(set.inputs.length).toBe(1000 * 51);
    expect(Array.from(set.lower)).toEqual([0.5, 0.05]);
    expect(Math.min(...set.targets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...set.targets)).toBeLessThanOrEqual(1);
    // Series 0 at t = 50 must be the ODE's value for its parameters.
    const alpha = 0.5 + 4.5 * set.targets[0];
    const mu = 0.05 + 0.45 * set.targets[1];
    expect(set.inputs[50]).toBeCloseTo((alpha / mu) * (1 - Math.exp(-mu * 50)), 2);
  });

  it('gives the same set on a worker pool as in process (same seed)', async () => {
    const pool = new WorkerPoolExecutor({ workers: 2 });
    try {
      const again = await simulateTrainingSet({ ...simulation, n: 40, seed: 1, executor: pool, chunk: 16 });
      expect(Array.from(again.inputs)).toEqual(Array.from(set.inputs.subarray(0, 40 * 51)));
    } finally {
      await pool.close();
    }
  });
});

describe('learnSummaryStatistics', () => {
  it('the CNN recovers the parameters: validation RMSE < 0.1 in [0, 1] units (prior alone: 1/sqrt(12) ≈ 0.289)', () => {
    const { history } = learned;
    const rmse = Math.sqrt(history.valLoss[history.bestEpoch - 1]);
    expect(rmse).toBeLessThan(0.1);
    expect(learned.spec.parameters).toEqual(['alpha', 'mu']);
    expect(['wasm', 'tensorflow', 'cpu']).toContain(learned.backend);
  });

  it('is reproducible with a seed (same backend) and differs with another seed', async () => {
    const small = { ...set, size: 200, inputs: set.inputs.subarray(0, 200 * 51), targets: set.targets.subarray(0, 400) };
    const options = { architecture: { architecture: 'pen' as const, inner: [8, 4], outer: [8] }, epochs: 2, batchSize: 32 };
    const a = await learnSummaryStatistics(small, { ...options, seed: 9 });
    const b = await learnSummaryStatistics(small, { ...options, seed: 9 });
    const c = await learnSummaryStatistics(small, { ...options, seed: 10 });
    expect(b.spec.weights).toBe(a.spec.weights);
    expect(b.history.trainLoss).toEqual(a.history.trainLoss);
    expect(c.spec.weights).not.toBe(a.spec.weights);
  });

  it('trains the DNN with its dropout reproducibly: a fresh mask per step from the seed, none outside training', async () => {
    const small = { ...set, size: 200, inputs: set.inputs.subarray(0, 200 * 51), targets: set.targets.subarray(0, 400) };
    const options = { architecture: { architecture: 'dnn' as const, hidden: [16, 16] }, epochs: 3, batchSize: 32, seed: 5 };
    const a = await learnSummaryStatistics(small, options);
    const b = await learnSummaryStatistics(small, options);
    const plain = await learnSummaryStatistics(small, { ...options, dropout: 0 });
    expect(b.spec.weights).toBe(a.spec.weights);
    expect(b.history.trainLoss).toEqual(a.history.trainLoss);
    expect(plain.spec.weights).not.toBe(a.spec.weights);
    // Validation runs in inference mode: the report's RMSE is the history's best validation loss, unperturbed by dropout.
    expect(a.validation!.overallRmse).toBeCloseTo(Math.sqrt(a.history.valLoss[a.history.bestEpoch - 1]), 5);
  });

  it('cancels between batches with the AbortSignal', async () => {
    const controller = new AbortController();
    const small = { ...set, size: 300, inputs: set.inputs.subarray(0, 300 * 51), targets: set.targets.subarray(0, 600) };
    const run = learnSummaryStatistics(small, {
      architecture: { architecture: 'dnn', hidden: [8] },
      epochs: 50,
      signal: controller.signal,
      onEpoch: (p) => p.epoch === 1 && controller.abort(),
    });
    await expect(run).rejects.toThrow(/abort/i);
    const simulating = simulateTrainingSet({ ...simulation, n: 10, seed: 1, executor: new InProcessExecutor(), signal: AbortSignal.abort() });
    await expect(simulating).rejects.toThrow(/abort/i);
  });
});

describe('learned statistics in inference', () => {
  it('ABC rejection with nn:alpha, nn:mu narrows the posterior to < 0.5 × the prior sd', async () => {
    const truth = { alpha: 2, mu: 0.2 };
    const observed = {
      speciesIds: ['X'],
      time: Float64Array.from(TIME),
      runs: 1,
      events: 0,
      data: Float64Array.from(TIME, (t) => (truth.alpha / truth.mu) * (1 - Math.exp(-truth.mu * t))),
    };
    const posterior = await abcRejection({
      prior,
      simulation: { model: immigrationDeath, method: 'ode', time: TIME },
      summaries: learned.spec,
      observed,
      budget: 1000,
      quantile: 0.03,
      seed: 5,
    });
    const priorSd = [4.5 / Math.sqrt(12), 0.45 / Math.sqrt(12)];
    const sd = posterior.sd();
    const mean = posterior.mean();
    expect(sd[0]).toBeLessThan(0.5 * priorSd[0]);
    expect(sd[1]).toBeLessThan(0.5 * priorSd[1]);
    // The posterior mean sits near the truth (within the prior sd's reach, a loose sanity bound).
    expect(Math.abs(mean[1] - truth.mu)).toBeLessThan(0.5 * priorSd[1]);
  });

  it('runs unchanged in worker threads: the same features as in process', async () => {
    const job = {
      model: immigrationDeath,
      method: 'ode' as const,
      time: TIME,
      parameterIds: ['alpha', 'mu'],
      runsPerTrial: 1,
      statistics: learned.spec,
      returnTrajectories: false,
      seed: 1,
    };
    const trials = Array.from({ length: 6 }, (_, i) => ({ index: i, parameters: Float64Array.of(0.5 + 0.7 * i, 0.05 + 0.07 * i), stream: [i] }));
    const pool = new WorkerPoolExecutor({ workers: 2 });
    try {
      const remote = (await pool.map(job, trials)).sort((a, b) => a.index - b.index);
      const local = await new InProcessExecutor().map(job, trials);
      expect(remote.map((r) => Array.from(r.features!))).toEqual(local.map((r) => Array.from(r.features!)));
    } finally {
      await pool.close();
    }
  });

  it('stores a network in a project and loads it back as the same spec', () => {
    const store = ProjectStore.open(join(dir, 'p.sciope'), { create: true });
    try {
      const id = storeNetwork(store, 'imd cnn', learned);
      expect(loadNetwork(store, id)).toEqual(learned.spec);
      const record = store.getNetwork(id)!;
      expect(record.topology).not.toHaveProperty('weights');
      expect(record.meta).toMatchObject({ backend: learned.backend, trainingSize: 1000, prior: { lower: [0.5, 0.05], upper: [5, 0.5] } });
      expect(() => loadNetwork(store, id + 1)).toThrow(`network ${id + 1}: no network with this id in the project`);
    } finally {
      store.close();
    }
  });

  it('a study names a network by file or project id; the reference resolves to the inline spec', () => {
    const base = { model: 'immigration-death', observed: 'observed.csv', priors: { alpha: [0.5, 5], mu: [0.05, 0.5] } };
    const byFile = parseStudy({ ...base, summaries: { kind: 'neural-network', file: 'net.json' } }, '/studies/s.json');
    const resolved = resolveStudySummaries(byFile, { baseDir: '/studies', readJson: (path) => (path === '/studies/net.json' ? learned.spec : undefined) });
    expect(resolved.summaries).toEqual(learned.spec);
    const broken = resolveStudySummaries.bind(null, byFile, {
      baseDir: '/studies',
      readJson: () => ({ ...learned.spec, weights: float32ToBase64(new Float32Array(10)) }),
    });
    expect(broken).toThrow(/summaries\.file: \/studies\/net\.json: weights: expected \d+ float32 values for this network, got 10/);
    expect(() => parseStudy({ ...base, summaries: { kind: 'neural-network', file: 'a.json', network: 2 } }, 's.json')).toThrow(
      /summaries: give either "file" .* or "network"/,
    );
    expect(() => parseStudy({ ...base, summaries: { kind: 'neural-network', network: 0 } }, 's.json')).toThrow(
      /summaries\.network: expected the id of a network stored in the project/,
    );
    const byId = parseStudy({ ...base, summaries: { kind: 'neural-network', network: 1 } }, 's.json');
    expect(() => resolveStudySummaries(byId, { baseDir: '', readJson: () => null })).toThrow(/summaries\.network: network 1 lives in a project/);
  });

  it('refuses to run a study whose network reference was not resolved', async () => {
    const study = parseStudy(
      { model: 'immigration-death', observed: 'o.csv', priors: { alpha: [0.5, 5] }, summaries: { kind: 'neural-network', file: 'net.json' } },
      's.json',
    );
    const observed = { speciesIds: ['X'], time: Float64Array.from(TIME), runs: 1, events: 0, data: new Float64Array(51), labels: ['0'] };
    await expect(runStudy(study, immigrationDeath, observed)).rejects.toThrow(/summaries: the network reference \(file "net.json"\) must be resolved/);
  });
});
