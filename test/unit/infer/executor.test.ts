/**
 * The task protocol and its executors: one suite run over every executor
 * (the in-process one here; the worker-pool and SSH executors join the list
 * when they land). Results must equal runTrial's, keyed by index, whatever
 * the batching; cancellation and progress must work.
 */
import { describe, expect, it } from 'vitest';
import type { Executor, SimulationJob, Trial } from '../../../engine/compute/executor';
import { InProcessExecutor } from '../../../engine/compute/InProcessExecutor';
import { prepareJob, runTrial } from '../../../engine/compute/runTrial';
import { getExample } from '../../../engine/model';
import { deriveStreamState } from '../../../engine/sample';
import { createSimulator } from '../../../engine/simulate';
import { compileNetwork, validateModel } from '../../../engine/model';

const job: SimulationJob = {
  model: getExample('toggle-switch')!,
  method: 'ssa',
  time: [0, 1, 2, 5, 10, 20],
  parameterIds: ['alpha1', 'mu'],
  runsPerTrial: 3,
  statistics: { kind: 'time-series-features', set: 'minimal' },
  returnTrajectories: false,
  seed: 17,
};
const trials: Trial[] = Array.from({ length: 23 }, (_, i) => ({ index: 100 + i, parameters: Float64Array.of(0.5 + i / 20, 1 + i / 40), stream: [3, i] }));

const EXECUTORS: Array<[string, () => Executor]> = [
  ['in-process, batch 1', () => new InProcessExecutor({ batchSize: 1 })],
  ['in-process, batch 7', () => new InProcessExecutor({ batchSize: 7 })],
];

describe.each(EXECUTORS)('executor: %s', (_label, make) => {
  it('returns one result per trial, keyed by index, equal to runTrial', async () => {
    const executor = make();
    const results = await executor.map(job, trials);
    await executor.close();
    expect(results).toHaveLength(trials.length);
    const byIndex = new Map(results.map((r) => [r.index, r]));
    for (const trial of trials) {
      const expected = runTrial(job, trial);
      const got = byIndex.get(trial.index)!;
      expect(Array.from(got.features!)).toEqual(Array.from(expected.features!));
      expect(got.events).toBe(expected.events);
      expect(got.trajectories).toBeNull();
    }
  });

  it('reports progress and stops on abort', async () => {
    const executor = make();
    const seen: number[] = [];
    await executor.map(job, trials, {
      onProgress: (done, total) => {
        seen.push(done);
        expect(total).toBe(trials.length);
      },
    });
    expect(seen.at(-1)).toBe(trials.length);
    const controller = new AbortController();
    const run = executor.map(job, trials, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('runTrial', () => {
  it('simulates run r of a trial from stream (seed, ...stream, r) and averages features over runs', () => {
    const withTrajectories = prepareJob({ ...job, returnTrajectories: true, statistics: null });
    const trial = trials[4];
    const result = withTrajectories.run(trial);
    const simulator = createSimulator(compileNetwork(validateModel(job.model)));
    const parameters = Float64Array.from(simulator.defaultParameters);
    parameters[simulator.parameterIds.indexOf('alpha1')] = trial.parameters[0];
    parameters[simulator.parameterIds.indexOf('mu')] = trial.parameters[1];
    const grid = Float64Array.from(job.time);
    const block = 2 * grid.length;
    for (let r = 0; r < job.runsPerTrial; r++) {
      const out = new Float64Array(block);
      simulator.simulateInto(out, grid, parameters, deriveStreamState(job.seed, 3, 4, r));
      expect(Array.from(result.trajectories!.subarray(r * block, (r + 1) * block))).toEqual(Array.from(out));
    }
    expect(result.features).toBeNull();
  });

  it('names unknown parameters and wrong parameter counts', () => {
    expect(() => prepareJob({ ...job, parameterIds: ['alpha1', 'nope'] })).toThrow(
      /unknown parameter "nope"; the model's parameters are alpha1, alpha2, beta, gamma, mu/,
    );
    const prepared = prepareJob(job);
    expect(() => prepared.run({ index: 0, parameters: Float64Array.of(1), stream: [0, 0] })).toThrow(/expected 2 values \(alpha1, mu\), got 1/);
  });
});
