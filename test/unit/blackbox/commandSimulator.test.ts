import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BlackBoxOutputError,
  CommandSimulator,
  CommandSimulatorError,
  createBlackBoxSimulator,
  type CommandSimulatorSpec,
} from '../../../engine/simulate/blackbox/index.js';
import { deriveStreamState } from '../../../engine/sample/random/seedDerivation.js';

const fixtures = fileURLToPath(new URL('../../fixtures/blackbox/', import.meta.url));
const resources = fileURLToPath(new URL('../../../resources/simulators/', import.meta.url));
const grid = Float64Array.of(0, 1, 2);
const open: CommandSimulator[] = [];
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
});

function faulty(mode: string, extra: Partial<CommandSimulatorSpec> = {}, ...args: string[]): CommandSimulator {
  const simulator = new CommandSimulator({
    kind: 'command',
    command: ['python3', join(fixtures, 'faulty.py'), mode, ...args],
    parameters: [{ id: 'k', value: 1 }],
    species: ['X'],
    ...extra,
  });
  open.push(simulator);
  return simulator;
}

function failure(run: () => unknown): CommandSimulatorError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CommandSimulatorError);
    return error as CommandSimulatorError;
  }
  throw new Error('expected a CommandSimulatorError');
}

const simulate = (simulator: CommandSimulator, k = 1, stream = 0) => {
  const out = new Float64Array(simulator.speciesIds.length * grid.length);
  simulator.simulateInto(out, grid, Float64Array.of(k), deriveStreamState(7, stream));
  return out;
};

describe('CommandSimulator', () => {
  it('serves many simulations from one process, deterministic in the seed', () => {
    const simulator = faulty('ok');
    const first = simulate(simulator, 1, 0);
    for (let i = 1; i < 50; i++) simulate(simulator, 1, i);
    expect(simulate(simulator, 1, 0)).toEqual(first);
    expect(first[1] - first[0]).toBe(1);
    expect(simulator.starts).toBe(1);
  });

  it('reports a missing command clearly', async () => {
    const error = await createBlackBoxSimulator({ kind: 'command', command: ['no-such-simulator-xyz'], parameters: [], species: ['X'] }).catch(
      (e: unknown) => e as CommandSimulatorError,
    );
    expect(error).toBeInstanceOf(CommandSimulatorError);
    expect((error as CommandSimulatorError).kind).toBe('missing');
    expect((error as Error).message).toMatch(/command not found: "no-such-simulator-xyz"/);
  });

  it('rejects a bad handshake and an exit before it, with the stderr tail', () => {
    expect(failure(() => faulty('handshake').start()).message).toMatch(/bad handshake: expected \{"v":1,"hello":"sciope-simulator"\}.*got "ready"/);
    const early = failure(() => faulty('exit-early').start());
    expect(early.kind).toBe('protocol');
    expect(early.message).toMatch(/exited with code 2 before the handshake/);
    expect(early.message).toMatch(/missing licence file/);
  });

  it('rejects garbage output and restarts the process for the next simulation', () => {
    const simulator = faulty('garbage');
    const error = failure(() => simulate(simulator));
    expect(error.kind).toBe('protocol');
    expect(error.message).toMatch(/garbage output \(not a JSON line\): "Simulation done! X = 42"/);
    failure(() => simulate(simulator));
    expect(simulator.starts).toBe(2);
  });

  it('times out a hung simulation, kills the process and carries on', () => {
    const simulator = faulty('sleep', { timeoutMs: 300 });
    const started = performance.now();
    const error = failure(() => simulate(simulator));
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/timed out after 300 ms/);
    // The 300 ms budget plus process start; far below the simulator's 30 s sleep.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('checks the species against the declaration', () => {
    expect(() => simulate(faulty('species'))).toThrow(BlackBoxOutputError);
    expect(() => simulate(faulty('species'))).toThrow(/returned 2 species \(X, Y\), declared 1 \(X\)/);
  });

  it('passes a structured error through and keeps the process', () => {
    const simulator = faulty('error');
    const error = failure(() => simulate(simulator, -1));
    expect(error.kind).toBe('error');
    expect(error.message).toMatch(/simulation failed: k must be >= 0/);
    expect(simulate(simulator, 1)[0]).toBeGreaterThanOrEqual(0);
    expect(simulator.starts).toBe(1);
  });

  it('restarts a process that crashed mid-run and retries the simulation', () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'sciope-bb-')), 'crash');
    const reference = simulate(faulty('ok'), 1, 3);
    const simulator = faulty('crash-once', {}, marker);
    simulate(simulator, 1, 1);
    writeFileSync(marker, '');
    expect(simulate(simulator, 1, 3)).toEqual(reference);
    expect(existsSync(marker)).toBe(false);
    expect(simulator.starts).toBe(2);
  });

  it('gives up on a simulation that crashes the process twice, with its stderr', () => {
    const error = failure(() => simulate(faulty('crash-always')));
    expect(error.kind).toBe('crash');
    expect(error.message).toMatch(/exited with code 4 during a simulation/);
    expect(error.message).toMatch(/out of cheese/);
  });

  it('accepts the binary payload data_f64 (base64 float64, species-major)', () => {
    const simulator = new CommandSimulator({
      kind: 'command',
      command: [process.execPath, join(resources, 'echo-binary.mjs')],
      parameters: [],
      species: ['A', 'B', 'C'],
    });
    open.push(simulator);
    const times = Float64Array.of(0, 0.1, 1 / 3);
    const out = new Float64Array(9);
    simulator.simulateInto(out, times, new Float64Array(0), deriveStreamState(7, 0));
    // Binary: the values come back bit for bit.
    expect(Array.from(out)).toEqual([...times, ...times, ...times]);
  });

  it('runs the sh/awk example', () => {
    const simulator = new CommandSimulator({
      kind: 'command',
      command: ['sh', join(resources, 'decay.sh')],
      parameters: [
        { id: 'k', value: 0.5 },
        { id: 'x0', value: 10 },
      ],
      species: ['X'],
    });
    open.push(simulator);
    const out = new Float64Array(3);
    simulator.simulateInto(out, grid, simulator.defaultParameters, deriveStreamState(7, 0));
    // Printed with 17 significant digits: exact to the last bit or one ulp.
    expect(Array.from(out)).toEqual([10, 10 * Math.exp(-0.5), 10 * Math.exp(-1)].map((v) => expect.closeTo(v, 12)));
  });
});
