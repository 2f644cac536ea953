import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessExecutor } from '../../../../engine/compute/InProcessExecutor.js';
import { ComputeThreadError, ComputeThreads, inThreadCompute, type ComputeRunner } from '../../../../engine/compute/thread/index.js';
import type { EpochProgress } from '../../../../engine/learn/nn/index.js';
import { simulateTrainingSet, type TrainingSet } from '../../../../engine/learn/nn/trainingSet.js';
import type { DenseMatrix } from '../../../../engine/learn/reduce/featureMatrix.js';
import { LearnInputError } from '../../../../engine/learn/reduce/errors.js';
import { GaussianProcess } from '../../../../engine/learn/surrogate/GaussianProcess.js';
import { immigrationDeath } from '../../../../engine/model/examples/smallNetworks.js';
import { createIndependentPrior } from '../../../../engine/sample/priors/registry.js';
import { Xoshiro128 } from '../../../../engine/sample/random/index.js';
import { createFlow, type FlowEpoch, type FlowTrainingData } from '../../../../engine/infer/npe/trainFlow.js';

/**
 * The compute thread runs the very functions the caller's thread would
 * (engine/compute/thread/computeTasks.ts), so on the same input and seed the
 * results must be bit-identical (toEqual on every number, no tolerance).
 * The first task builds the worker bundle (esbuild): hence the long timeouts.
 */
const threads = new ComputeThreads();
afterAll(() => threads.close());

/** Two Gaussian blobs in 5-D, 300 points, seeded. */
function blobs(n = 300, columns = 5): { features: DenseMatrix; labels: Int32Array } {
  const rng = Xoshiro128.fromSeed(7, 0);
  const data = new Float64Array(n * columns);
  for (let i = 0; i < n; i++) for (let k = 0; k < columns; k++) data[i * columns + k] = rng.nextNormal() + (i % 2 === 0 ? 0 : 4);
  const labels = new Int32Array(n).fill(-1);
  labels[0] = 0;
  labels[1] = 1;
  return { features: { rows: n, columns, data }, labels };
}

/** The input as sent: a fresh copy, since a transfer to the thread would detach it. */
const copyOf = ({ features, labels }: ReturnType<typeof blobs>) => ({ features: { ...features, data: features.data.slice() }, labels: labels.slice() });

describe('ComputeThreads: same results as in-thread', () => {
  it('propagateLabels', async () => {
    const input = blobs();
    const options = { gamma: 'tune' as const };
    const here = await inThreadCompute.run('propagateLabels', { ...copyOf(input), options });
    const sent = copyOf(input);
    const there = await threads.run('propagateLabels', { ...sent, options }, { transfer: [sent.features.data.buffer, sent.labels.buffer] });
    expect(sent.features.data.length).toBe(0); // transferred, not copied
    expect(Array.from(there.distributions)).toEqual(Array.from(here.distributions));
    expect(there.gamma).toBe(here.gamma);
    expect(Array.from(there.hard)).toEqual(Array.from(here.hard));
  }, 60_000);

  it.each(['pca', 'umap', 'tsne'] as const)(
    'reduceDimension %s, with progress',
    async (method) => {
      const { features } = blobs(120);
      const options = { method, seed: 3, iterations: 60 };
      const here = await inThreadCompute.run('reduceDimension', { features, options });
      const progress: number[] = [];
      const there = await threads.run('reduceDimension', { features, options }, { onProgress: ({ done }) => progress.push(done) });
      expect(Array.from(there.embedding)).toEqual(Array.from(here.embedding));
      expect(progress.length).toBeGreaterThan(0);
    },
    60_000,
  );

  it('proposePoints', async () => {
    const { features } = blobs(200, 2);
    const points = features.data.map((v) => (v + 2) / 8);
    const distributions = Float64Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? points[i] : 1 - points[i - 1]));
    const input = { points, distributions, dimension: 2, classes: 2, options: { n: 5, strategy: 'entropy' as const, seed: 4, round: 1 } };
    const here = await inThreadCompute.run('proposePoints', input);
    const there = await threads.run('proposePoints', input);
    expect(Array.from(there.unit)).toEqual(Array.from(here.unit));
    expect(Array.from(there.scores)).toEqual(Array.from(here.scores));
  }, 60_000);

  it('fitGaussianProcess: the rebuilt GP predicts exactly as one fitted here', async () => {
    const rng = Xoshiro128.fromSeed(11, 0);
    const x = Array.from({ length: 25 }, () => [rng.nextDouble(), rng.nextDouble()]);
    const y = x.map(([a, b]) => Math.sin(4 * a) + b * b);
    const options = { kernel: 'matern52' as const, seed: 2 };
    const here = GaussianProcess.fit(x, y, options);
    const there = GaussianProcess.fromJSON(await threads.run('fitGaussianProcess', { x, y, options }));
    expect(there.hyperparameters).toEqual(here.hyperparameters);
    const at = [
      [0.3, 0.7],
      [0.9, 0.1],
    ];
    expect(Array.from(there.predict(at).mean)).toEqual(Array.from(here.predict(at).mean));
  }, 60_000);
});

describe('ComputeThreads: training', () => {
  let set: TrainingSet;
  beforeAll(async () => {
    const prior = createIndependentPrior({ alpha: [0.5, 5], mu: [0.05, 0.5] }, 'priors');
    set = await simulateTrainingSet({
      model: immigrationDeath,
      method: 'ode',
      time: Array.from({ length: 21 }, (_, i) => i * 2),
      prior,
      n: 200,
      seed: 1,
      executor: new InProcessExecutor(),
    });
  });
  const options = { architecture: { architecture: 'pen' as const, inner: [8, 4], outer: [8] }, epochs: 2, batchSize: 32, seed: 9 };

  it('trains the same weights as in-thread (same backend) and reports every epoch', async () => {
    const here = await inThreadCompute.run('trainStatistics', { set, options });
    const epochs: EpochProgress[] = [];
    const there = await threads.run('trainStatistics', { set, options }, { onProgress: (p) => epochs.push(p) });
    expect(there.backend).toBe(here.backend);
    expect(there.spec.weights).toBe(here.spec.weights);
    expect(there.history.trainLoss).toEqual(here.history.trainLoss);
    expect(epochs.map((p) => p.epoch)).toEqual([1, 2]);
  }, 120_000);

  it('trains an NPE flow to the same weights and losses as in-thread, and reports every epoch', async () => {
    // theta ~ U(-1, 1)^2, x = theta + N(0, 0.1^2) noise in 3-D (the third coordinate pure noise): 400 pairs.
    const rng = Xoshiro128.fromSeed(5, 0);
    const count = 400;
    const theta = Float64Array.from({ length: count * 2 }, () => 2 * rng.nextDouble() - 1);
    const x = Float64Array.from({ length: count * 3 }, (_, i) => (i % 3 < 2 ? theta[Math.floor(i / 3) * 2 + (i % 3)] : 0) + 0.1 * rng.nextNormal());
    const data: FlowTrainingData = { count, theta, x };
    const start = createFlow(
      { kind: 'maf', dimension: 2, contextDimension: 3, transforms: 2, hidden: 8, hiddenLayers: 1, activation: 'tanh', linear: true },
      data,
      3,
    );
    const flowOptions = { maxEpochs: 3, batchSize: 64, seed: 4 };
    const here = await inThreadCompute.run('trainFlow', { start, data, options: flowOptions });
    const epochs: FlowEpoch[] = [];
    const there = await threads.run('trainFlow', { start, data, options: flowOptions }, { onProgress: (p) => epochs.push(p) });
    expect(there.trainLoss).toEqual(here.trainLoss);
    expect(there.validationLoss).toEqual(here.validationLoss);
    expect(there.weights).toEqual(here.weights);
    expect(epochs.map((p) => p.epoch)).toEqual(here.trainLoss.map((_, i) => i + 1));
    expect(here.trainLoss.every(Number.isFinite)).toBe(true);
  }, 120_000);

  it('cancel ends the thread at once, mid-epoch', async () => {
    const controller = new AbortController();
    const long = { ...options, epochs: 500 };
    const started = performance.now();
    const run = threads.run('trainStatistics', { set, options: long }, { signal: controller.signal, onProgress: (p) => p.epoch === 1 && controller.abort() });
    await expect(run).rejects.toThrow(/abort/i);
    expect(performance.now() - started).toBeLessThan(60_000);
    expect(threads.threadCount).toBe(0);
  }, 120_000);
});

describe('ComputeThreads: errors and threads', () => {
  it('an error keeps its class, code and details', async () => {
    const { features } = blobs(10);
    const run = threads.run('propagateLabels', { features, labels: new Int32Array(10).fill(-1), options: {} });
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LearnInputError);
    expect(error).toMatchObject({ name: 'LearnInputError', code: 'LEARN_INPUT', details: { field: 'labels' } });
  }, 60_000);

  it('keeps one idle thread warm and starts another only for concurrent tasks', async () => {
    const { features } = blobs(50);
    const options = { method: 'pca' as const };
    await threads.run('reduceDimension', { features, options });
    expect(threads.threadCount).toBe(1);
    await Promise.all([threads.run('reduceDimension', { features, options }), threads.run('reduceDimension', { features, options })]);
    expect(threads.threadCount).toBe(1);
  }, 60_000);

  it('an input structured clone cannot copy fails the call and leaves the thread usable', async () => {
    const { features, labels } = blobs(10);
    const bad = threads.run('propagateLabels', { features, labels, options: { gamma: (() => 1) as unknown as number } });
    await expect(bad).rejects.toMatchObject({ name: 'DataCloneError' });
    expect((await threads.run('reduceDimension', { features, options: { method: 'pca' } })).embedding).toHaveLength(20);
  }, 60_000);

  it('a signal already aborted never starts the task', async () => {
    await expect(threads.run('learnBackend', {}, { signal: AbortSignal.abort() })).rejects.toThrow(/abort/i);
  });

  it('a thread that dies fails its task with COMPUTE_THREAD', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sciope-compute-'));
    try {
      const script = join(dir, 'dies.mjs');
      writeFileSync(script, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(3));\n");
      const dying: ComputeRunner = new ComputeThreads({ workerPath: async () => script });
      const error = await dying.run('learnBackend', {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ComputeThreadError);
      expect(error).toMatchObject({ code: 'COMPUTE_THREAD', message: expect.stringContaining('exit code 3') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
