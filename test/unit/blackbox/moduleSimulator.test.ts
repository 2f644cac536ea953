import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulationJob, Trial, TrialResult } from '../../../engine/compute/executor.js';
import { approveInProcess } from '../trustForTests.js';
import { InProcessExecutor } from '../../../engine/compute/InProcessExecutor.js';
import { WorkerPoolExecutor } from '../../../engine/compute/pool/WorkerPoolExecutor.js';
import { prepareJob } from '../../../engine/compute/runTrial.js';
import { deriveStreamState } from '../../../engine/sample/random/seedDerivation.js';
import {
  BlackBoxOutputError,
  BlackBoxSpecError,
  blackBoxModel,
  blackBoxSeed,
  createBlackBoxSimulator,
  ModuleSimulator,
  parseBlackBoxSpec,
  type BlackBoxSimulatorSpec,
} from '../../../engine/simulate/blackbox/index.js';
import { Xoshiro128 } from '../../../engine/sample/random/Xoshiro128.js';

const fixtures = fileURLToPath(new URL('../../fixtures/blackbox/', import.meta.url));
const moduleSpec: BlackBoxSimulatorSpec = {
  kind: 'module',
  path: join(fixtures, 'decay-module.mjs'),
  parameters: [
    { id: 'k', value: 0.5 },
    { id: 'a0', value: 100 },
  ],
  species: ['A', 'B'],
};
const commandSpec: BlackBoxSimulatorSpec = {
  kind: 'command',
  command: ['python3', join(fixtures, '../../../resources/simulators/birth_death.py')],
  parameters: [
    { id: 'lambda', value: 0.3 },
    { id: 'mu', value: 0.6 },
    { id: 'x0', value: 50 },
  ],
  species: ['X'],
};

function job(simulator: BlackBoxSimulatorSpec, parameterIds: string[], returnTrajectories = false): SimulationJob {
  return {
    model: blackBoxModel(simulator),
    simulator,
    method: 'ssa',
    time: Array.from({ length: 11 }, (_, i) => i * 0.4),
    parameterIds,
    runsPerTrial: 2,
    statistics: { kind: 'identity' },
    returnTrajectories,
    seed: 99,
  };
}

const trials = (values: (i: number) => number): Trial[] =>
  Array.from({ length: 24 }, (_, i) => ({ index: 500 + i, parameters: Float64Array.of(values(i)), stream: [1, i] }));

const bytes = (results: readonly TrialResult[]) =>
  [...results]
    .sort((a, b) => a.index - b.index)
    .map((r) => `${r.index}:${Buffer.from(r.features!.buffer, r.features!.byteOffset, r.features!.byteLength).toString('hex')}`);

const pool = new WorkerPoolExecutor({ workers: 2, batchSize: 5 });
afterAll(() => pool.close());
// These tests are about what the simulators compute; the person's approval is given here (engine/trust).
beforeAll(() => {
  approveInProcess(moduleSpec);
  approveInProcess(commandSpec);
});

describe('black-box simulators through the executors', () => {
  it('refuses, in every executor, a simulator nobody approved in this process (nothing is started)', async () => {
    // Same program, one more environment variable: other content, so another fingerprint.
    const other: BlackBoxSimulatorSpec = { ...commandSpec, env: { EXTRA: '1' } };
    for (const executor of [new InProcessExecutor(), pool]) {
      await expect(
        executor.map(
          job(other, ['mu']),
          trials(() => 0.5),
        ),
      ).rejects.toMatchObject({ code: 'SIMULATOR_NOT_APPROVED' });
    }
  });

  it.each([
    ['JS module', moduleSpec, ['k'], (i: number) => 0.1 + 0.05 * i],
    ['Python command', commandSpec, ['mu'], (i: number) => 0.2 + 0.05 * i],
  ] as const)('%s: identical results in-process and on the worker pool', async (_name, spec, ids, values) => {
    const theJob = job(spec, [...ids]);
    const reference = await new InProcessExecutor().map(theJob, trials(values));
    const pooled = await pool.map(theJob, trials(values));
    expect(bytes(pooled)).toEqual(bytes(reference));
    // Different seeds per trial: the features differ between trials.
    expect(new Set(bytes(reference).map((b) => b.split(':')[1])).size).toBe(24);
  });

  it('passes every declared parameter by name, the derived seed and the grid', async () => {
    const seen: unknown[] = [];
    const simulator = new ModuleSimulator((input) => {
      seen.push({ ...input, time: Array.from(input.time) });
      return { species: ['A', 'B'], data: new Float64Array(2 * input.time.length) };
    }, moduleSpec);
    const rng = deriveStreamState(99, 1, 0, 0);
    const expectedSeed = new Xoshiro128(rng).nextUint32();
    simulator.simulateInto(new Float64Array(6), Float64Array.of(0, 1, 2), Float64Array.of(0.7, 100), rng);
    expect(seen).toEqual([{ parameters: { k: 0.7, a0: 100 }, seed: expectedSeed, time: [0, 1, 2] }]);
    expect(blackBoxSeed(deriveStreamState(99, 1, 0, 0))).toBe(expectedSeed);
  });

  it('validates what the module returns', async () => {
    const grid = Float64Array.of(0, 1);
    const run = (data: unknown, species: unknown = ['A', 'B']) =>
      new ModuleSimulator(() => ({ species, data }) as never, moduleSpec).simulateInto(new Float64Array(4), grid, Float64Array.of(1, 1), deriveStreamState(1));
    expect(() =>
      run([
        [1, 2],
        [3, 4],
      ]),
    ).not.toThrow();
    expect(() => run([1, 2, 3, 4])).not.toThrow();
    expect(() => run([[1, 2]])).toThrow(/"data" has 1 rows, declared 2 species/);
    expect(() => run([1, 2, 3])).toThrow(/3 values; expected 2 species x 2 time points = 4/);
    expect(() =>
      run([
        [1, NaN],
        [3, 4],
      ]),
    ).toThrow(/"data"\[0\]\[1\] \(species A, time point 1\) is NaN/);
    expect(() =>
      run(
        [
          [1, 2],
          [3, 4],
        ],
        ['A', 'C'],
      ),
    ).toThrow(/species 2 is "C", declared "B"/);
    expect(() =>
      run(
        [
          [1, 2],
          [3, 4],
        ],
        ['A'],
      ),
    ).toThrow(BlackBoxOutputError);
    const wrong = await createBlackBoxSimulator({ ...moduleSpec, export: 'wrongSpecies' });
    expect(() => wrong.simulateInto(new Float64Array(4), grid, Float64Array.of(1, 1), deriveStreamState(1))).toThrow(
      /returned 1 species \(A\), declared 2 \(A, B\)/,
    );
    await expect(createBlackBoxSimulator({ ...moduleSpec, export: 'nothing' })).rejects.toThrow(
      /exports no function "nothing" \(it exports simulate, wrongSpecies\)/,
    );
    await expect(createBlackBoxSimulator({ ...moduleSpec, path: join(fixtures, 'missing.mjs') })).rejects.toThrow(BlackBoxSpecError);
  });

  it('validates the declaration and keeps model jobs on the synchronous path', () => {
    expect(() =>
      parseBlackBoxSpec({
        kind: 'module',
        path: 'x.mjs',
        parameters: [
          { id: 'a', value: 1 },
          { id: 'a', value: 2 },
        ],
        species: ['X'],
      }),
    ).toThrow(/parameter "a" is declared twice/);
    expect(() => parseBlackBoxSpec({ kind: 'command', command: [], parameters: [], species: ['X'] })).toThrow(/simulator.command/);
    expect(() => prepareJob(job(moduleSpec, ['k']))).toThrow(/prepareJobAsync/);
  });
});
