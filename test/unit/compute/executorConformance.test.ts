import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Executor, SimulationJob, Trial, TrialResult } from '../../../engine/compute/executor.js';
import { InProcessExecutor } from '../../../engine/compute/InProcessExecutor.js';
import { WorkerPoolExecutor } from '../../../engine/compute/pool/WorkerPoolExecutor.js';
import { getExample } from '../../../engine/model/index.js';
import { SshNodePool } from '../../../engine/compute/ssh/index.js';
import { sshdAvailable, startSshd, type SshServer } from './ssh/sshServer.js';
import { SlurmExecutor } from '../../../engine/compute/slurm/index.js';
import { slurmAvailable, startSlurmCluster, type SlurmTestCluster } from '../../support/slurmCluster.js';

/**
 * One suite over every executor (pyABC's sampler tests do the same): for the
 * same job and trials each must return exactly the in-process results, bit
 * for bit, whatever its batching; report progress; stop on abort; and fail
 * with the simulator's message when a trial cannot run.
 */
const vilarJob: SimulationJob = {
  model: getExample('vilar')!,
  method: 'ssa',
  time: Array.from({ length: 101 }, (_, i) => i),
  parameterIds: ['alphaA', 'betaA', 'thetaA'],
  runsPerTrial: 2,
  statistics: { kind: 'time-series-features', set: 'minimal' },
  returnTrajectories: false,
  seed: 2024,
};

const trials: Trial[] = Array.from({ length: 40 }, (_, i) => ({
  index: 1000 + i,
  parameters: Float64Array.of(30 + (i % 5) * 10, 40 + (i % 3) * 5, 50),
  stream: [3, i],
}));

const reference = await new InProcessExecutor().map(vilarJob, trials);

/**
 * A model in concentrations (a compartment of size 2): the stochastic methods
 * simulate it converted to molecule counts. The pool converts it on its own
 * thread before sending it (pool/validatedJob.ts); every executor must give
 * the in-process numbers.
 */
const concentrationJob: SimulationJob = {
  model: {
    name: 'concentrations',
    units: { substance: 'item' },
    compartments: [{ id: 'cell', size: 2 }],
    species: [
      { id: 'A', initial: 20, compartment: 'cell', amountOnly: false },
      { id: 'B', initial: 0, compartment: 'cell', amountOnly: false },
    ],
    parameters: [{ id: 'k', value: 0.3 }],
    reactions: [{ id: 'convert', reactants: { A: 1 }, products: { B: 1 }, propensity: 'k * A * cell' }],
  },
  method: 'ssa',
  time: Array.from({ length: 21 }, (_, i) => i / 2),
  parameterIds: ['k'],
  runsPerTrial: 3,
  statistics: { kind: 'time-series-features', set: 'minimal' },
  returnTrajectories: false,
  seed: 77,
};
const concentrationTrials: Trial[] = Array.from({ length: 6 }, (_, i) => ({ index: i, parameters: Float64Array.of(0.1 + 0.1 * i), stream: [i] }));
const concentrationReference = await new InProcessExecutor().map(concentrationJob, concentrationTrials);

function bytes(results: readonly TrialResult[]): string {
  return results
    .map((r) => `${r.index}:${r.events}:${Buffer.from(r.features!.buffer, r.features!.byteOffset, r.features!.byteLength).toString('hex')}`)
    .join('|');
}

// A real sshd on 127.0.0.1 (test/unit/compute/ssh/sshServer.ts); two connections count as two nodes.
const sshd: SshServer | null = sshdAvailable ? await startSshd() : null;
afterAll(() => sshd?.stop());
// A one-node SLURM cluster of this machine (test/support/slurmCluster.ts); two tasks of one CPU are two workers.
const slurm: SlurmTestCluster | null = slurmAvailable().ok ? await startSlurmCluster() : null;
afterAll(() => slurm?.stop());

const executors: Array<[string, () => Executor]> = [
  ['in-process, batch 1', () => new InProcessExecutor({ batchSize: 1 })],
  ['in-process, batch 7', () => new InProcessExecutor({ batchSize: 7 })],
  ['worker pool, adaptive batches', () => new WorkerPoolExecutor({ workers: 2 })],
  ['worker pool, batch 3', () => new WorkerPoolExecutor({ workers: 2, batchSize: 3 })],
  ...(sshd
    ? ([
        ['SSH pool, two nodes', () => new SshNodePool({ nodes: [sshd.node({ workers: 1 }), sshd.node({ workers: 1 })], knownHosts: sshd.knownHosts })],
      ] as Array<[string, () => Executor]>)
    : []),
  ...(slurm
    ? ([
        [
          'SLURM, two tasks',
          () =>
            new SlurmExecutor({
              cluster: {
                host: slurm.host,
                port: slurm.sshPort,
                user: slurm.user,
                privateKey: slurm.privateKeyPath,
                knownHosts: slurm.knownHostsPath,
                time: '10',
                tasks: 2,
                remoteDir: join(slurm.workDir, 'sciope'),
              },
              pollMs: 200,
            }),
        ],
      ] as Array<[string, () => Executor]>)
    : []),
];

describe.each(executors)('executor conformance: %s', (_name, make) => {
  const executor = make();
  afterAll(() => executor.close());

  it('returns exactly the in-process results, keyed by trial index', async () => {
    const progress: number[] = [];
    const results = await executor.map(vilarJob, trials, { onProgress: (done) => progress.push(done) });
    expect(results.map((r) => r.index)).toEqual(trials.map((t) => t.index));
    expect(bytes(results)).toBe(bytes(reference));
    expect(progress.at(-1)).toBe(trials.length);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });

  it('gives each trial the same result alone as in any batch', async () => {
    const single = await executor.map(vilarJob, [trials[17]]);
    expect(bytes(single)).toBe(bytes([reference[17]]));
  });

  it('stops when aborted and rejects with the abort reason', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled by the user');
    const many = Array.from({ length: 400 }, (_, i) => ({ ...trials[i % trials.length], index: i, stream: [9, i] }));
    const started = performance.now();
    const run = executor.map(vilarJob, many, { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 50);
    await expect(run).rejects.toBe(reason);
    // 400 Vilar trials take seconds; stopping must not wait for them.
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('simulates a model in concentrations converted to molecule counts, as in-process', async () => {
    expect(bytes(await executor.map(concentrationJob, concentrationTrials))).toBe(bytes(concentrationReference));
  });

  it('refuses a malformed model with the field named', async () => {
    const species = vilarJob.model.species.map((s, i) => (i === 0 ? { ...s, initial: 'oops' } : s));
    const malformed: SimulationJob = { ...vilarJob, model: { ...vilarJob.model, species } };
    await expect(executor.map(malformed, trials.slice(0, 1))).rejects.toThrow(/job\.model: invalid model.*species\[0\]\.initial: unknown name "oops"/s);
  });

  it('fails with the simulator error message when a trial cannot run', async () => {
    const broken: SimulationJob = {
      ...vilarJob,
      model: {
        name: 'negative',
        species: [{ id: 'X', initial: 0 }],
        parameters: [{ id: 'k', value: 1 }],
        reactions: [{ id: 'leak', products: { X: 1 }, propensity: 'k - 2' }],
      },
      parameterIds: ['k'],
    };
    await expect(executor.map(broken, [{ index: 0, parameters: Float64Array.of(1), stream: [0, 0] }])).rejects.toThrow(/reaction leak: propensity is -1/);
  });
});

describe('worker pool recovery', () => {
  it('replaces a worker that dies mid-run and re-runs its batch, with identical results', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'sciope-crash-')), 'crash-once');
    writeFileSync(marker, '');
    process.env.SCIOPE_TEST_CRASH_FILE = marker;
    const pool = new WorkerPoolExecutor({ workers: 2, maxAttempts: 3 });
    try {
      const results = await pool.map(vilarJob, trials);
      expect(existsSync(marker)).toBe(false);
      expect(bytes(results)).toBe(bytes(reference));
    } finally {
      delete process.env.SCIOPE_TEST_CRASH_FILE;
      await pool.close();
    }
  });

  it('rejects bad options with the option named', () => {
    expect(() => new WorkerPoolExecutor({ workers: 0 })).toThrow('workers must be an integer >= 1, got 0');
    expect(() => new WorkerPoolExecutor({ maxAttempts: 1.5 })).toThrow('maxAttempts must be an integer >= 1, got 1.5');
  });
});
