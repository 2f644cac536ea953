/**
 * Reproducibility and guard rails of the direct method: bit-for-bit
 * determinism per seed, batch independence (trajectory i depends only on
 * stream (seed, firstRun + i)), scan order changing draws but not the law,
 * the output-grid semantics, and the errors for runaway or broken models.
 *
 * Statistical checks use |Z| < 4 (two-sided 6e-5 per comparison), so that a
 * correct simulator passes the ~400 comparisons of a test at a fixed seed
 * with probability > 97% while a bias of a few percent of σ still fails.
 */
import { describe, expect, it } from 'vitest';
import { SimulationBudgetError, SimulationFailedError, SimulationSettingsError } from '../../../engine/errors';
import { compileNetwork, getExample, validateModel, type ReactionNetworkInput } from '../../../engine/model';
import { simulateEnsemble } from '../../../engine/simulate/ensemble';
import { DirectMethod, type DirectMethodOptions } from '../../../engine/simulate/ssa/DirectMethod';
import { uniformTimeGrid } from '../../../engine/simulate/timeGrid';

function simulator(model: ReactionNetworkInput, options: DirectMethodOptions = {}): DirectMethod {
  return new DirectMethod(compileNetwork(validateModel(model)), options);
}

const bytes = (x: Float64Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);

const pureDeath = (x0: number): ReactionNetworkInput => ({
  name: 'pure-death',
  species: [{ id: 'X', initial: x0 }],
  parameters: [{ id: 'mu', value: 1 }],
  reactions: [{ id: 'death', reactants: { X: 1 }, rate: 'mu' }],
});

describe('direct method: determinism', () => {
  const grid = uniformTimeGrid(50, 101);

  it.each(['michaelis-menten', 'toggle-switch', 'vilar'])('%s: the same seed gives identical trajectories bit for bit, from fresh simulators', (name) => {
    const model = getExample(name)!;
    const grid = uniformTimeGrid(model.time!.end, model.time!.points);
    const first = simulateEnsemble(simulator(model), { runs: 20, seed: 2718, grid });
    const second = simulateEnsemble(simulator(getExample(name)!), { runs: 20, seed: 2718, grid });
    expect(Buffer.compare(bytes(first.data), bytes(second.data))).toBe(0);
    expect(second.events).toBe(first.events);
  });

  it('different seeds give different trajectories', () => {
    const model = getExample('michaelis-menten')!;
    const sim = simulator(model);
    const a = simulateEnsemble(sim, { runs: 5, seed: 1, grid });
    const b = simulateEnsemble(sim, { runs: 5, seed: 2, grid });
    expect(Buffer.compare(bytes(a.data), bytes(b.data))).not.toBe(0);
    // ...and so do different runs of one ensemble.
    const block = model.species.length * grid.length;
    expect(Buffer.compare(bytes(a.data.subarray(0, block)), bytes(a.data.subarray(block, 2 * block)))).not.toBe(0);
  });

  it('trajectory i of an ensemble equals the trajectory simulated alone with firstRun = i (batch independence)', () => {
    const sim = simulator(getExample('toggle-switch')!);
    const whole = simulateEnsemble(sim, { runs: 10, seed: 99, grid });
    const block = sim.speciesIds.length * grid.length;
    for (let i = 0; i < 10; i++) {
      const alone = simulateEnsemble(sim, { runs: 1, seed: 99, grid, firstRun: i });
      expect(Buffer.compare(bytes(alone.data), bytes(whole.data.subarray(i * block, (i + 1) * block))), `trajectory ${i}`).toBe(0);
    }
    // Any split into batches reproduces the whole.
    const head = simulateEnsemble(sim, { runs: 4, seed: 99, grid });
    const tail = simulateEnsemble(sim, { runs: 6, seed: 99, grid, firstRun: 4 });
    expect(Buffer.compare(Buffer.concat([bytes(head.data), bytes(tail.data)]), bytes(whole.data))).toBe(0);
    expect(head.events + tail.events).toBe(whole.events);
  });

  it("the 'frequency' scan order is itself reproducible (its pilot run uses a fixed stream)", () => {
    const a = simulator(getExample('vilar')!);
    const b = simulator(getExample('vilar')!);
    expect(a.scanOrder).toEqual(b.scanOrder);
    expect([...a.scanOrder].sort((x, y) => x - y)).toEqual(Array.from(a.scanOrder.keys()));
  });

  it("scanOrder 'natural' and 'frequency' draw differently but give statistically equal means (two-sample |Z| < 4)", () => {
    const model = getExample('michaelis-menten')!;
    const natural = simulator(model, { scanOrder: 'natural' });
    const frequency = simulator(model, { scanOrder: 'frequency' });
    expect(natural.scanOrder).toEqual([0, 1, 2]);
    expect(frequency.scanOrder).not.toEqual(natural.scanOrder);

    const runs = 10_000;
    const a = simulateEnsemble(natural, { runs, seed: 7, grid });
    const b = simulateEnsemble(frequency, { runs, seed: 7, grid });
    expect(Buffer.compare(bytes(a.data), bytes(b.data))).not.toBe(0);

    const nS = model.species.length;
    const nT = grid.length;
    const moments = (data: Float64Array, s: number, g: number) => {
      let sum = 0;
      let sq = 0;
      for (let r = 0; r < runs; r++) {
        const x = data[(r * nS + s) * nT + g];
        sum += x;
        sq += x * x;
      }
      const mean = sum / runs;
      return { mean, variance: (sq - runs * mean * mean) / (runs - 1) };
    };
    const failures: string[] = [];
    for (let s = 0; s < nS; s++) {
      for (let g = 0; g < nT; g++) {
        const x = moments(a.data, s, g);
        const y = moments(b.data, s, g);
        const se = Math.sqrt((x.variance + y.variance) / runs);
        if (se === 0) {
          if (x.mean !== y.mean) failures.push(`${model.species[s].id} at t=${grid[g]}: constant ${x.mean} vs ${y.mean}`);
          continue;
        }
        const z = (x.mean - y.mean) / se;
        if (!(Math.abs(z) < 4)) failures.push(`${model.species[s].id} at t=${grid[g]}: ${x.mean} vs ${y.mean}, Z = ${z.toFixed(2)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('direct method: output grid semantics', () => {
  it('the output at t = 0 is the initial state, in every run', () => {
    const model = getExample('michaelis-menten')!;
    const grid = uniformTimeGrid(10, 11);
    const ensemble = simulateEnsemble(simulator(model), { runs: 100, seed: 3, grid });
    const nT = grid.length;
    model.species.forEach((species, s) => {
      for (let r = 0; r < ensemble.runs; r++) expect(ensemble.data[(r * model.species.length + s) * nT]).toBe(species.initial);
    });
  });

  it('with only X → ∅, counts never increase along any trajectory', () => {
    const grid = uniformTimeGrid(5, 201);
    const ensemble = simulateEnsemble(simulator(pureDeath(50)), { runs: 500, seed: 4, grid });
    const nT = grid.length;
    let increases = 0;
    for (let r = 0; r < ensemble.runs; r++) {
      expect(ensemble.data[r * nT]).toBe(50);
      for (let g = 1; g < nT; g++) if (ensemble.data[r * nT + g] > ensemble.data[r * nT + g - 1]) increases++;
    }
    expect(increases).toBe(0);
  });

  it('an event is never recorded before its time: from X0 = 1, P(X(t) = 1) = e^{-μt} at every output time (binomial |Z| < 4)', () => {
    // Recording an event at the output time before it (or after it) would
    // shift the survival curve by one grid step, a bias of ~8σ here.
    const runs = 10_000;
    const grid = Float64Array.from({ length: 30 }, (_, i) => 0.1 + i * 0.1);
    const ensemble = simulateEnsemble(simulator(pureDeath(1)), { runs, seed: 5, grid });
    const failures: string[] = [];
    grid.forEach((t, g) => {
      let alive = 0;
      for (let r = 0; r < runs; r++) alive += ensemble.data[r * grid.length + g];
      const p = Math.exp(-t);
      const z = (alive - runs * p) / Math.sqrt(runs * p * (1 - p));
      if (!(Math.abs(z) < 4)) failures.push(`t=${t}: ${alive} alive vs ${(runs * p).toFixed(1)}, Z = ${z.toFixed(2)}`);
    });
    expect(failures).toEqual([]);
  });
});

describe('direct method: guards and errors', () => {
  const birthOnly: ReactionNetworkInput = {
    name: 'runaway',
    species: [{ id: 'X', initial: 100 }],
    parameters: [{ id: 'k', value: 1 }],
    reactions: [{ id: 'birth', reactants: { X: 1 }, products: { X: 2 }, rate: 'k' }],
  };

  it('maxEvents stops a runaway trajectory with a SimulationBudgetError saying what happened and what to change', () => {
    const sim = simulator(birthOnly, { maxEvents: 100 });
    const run = () => simulateEnsemble(sim, { runs: 1, seed: 1, grid: uniformTimeGrid(10, 11) });
    expect(run).toThrow(SimulationBudgetError);
    expect(run).toThrow(/more than 100 events before t=10/);
    expect(run).toThrow(/raise maxEvents/);
  });

  it('a negative rate constant (from parameters) names the reaction', () => {
    const sim = simulator(birthOnly);
    const run = () => simulateEnsemble(sim, { runs: 1, seed: 1, grid: uniformTimeGrid(1, 2), parameters: new Float64Array([-1]) });
    expect(run).toThrow(SimulationFailedError);
    expect(run).toThrow(/reaction birth: rate constant is -1/);
  });

  it('a custom propensity that is negative at an output time names the reaction', () => {
    const sim = simulator({
      name: 'leaky',
      species: [
        { id: 'X', initial: 0 },
        { id: 'Y', initial: 0 },
      ],
      reactions: [
        { id: 'make', products: { X: 1 }, rate: 5 },
        { id: 'leak', products: { Y: 1 }, propensity: '2 - X' },
      ],
    });
    const run = () => simulateEnsemble(sim, { runs: 1, seed: 1, grid: uniformTimeGrid(10, 101) });
    expect(run).toThrow(SimulationFailedError);
    expect(run).toThrow(/reaction leak: propensity is -\d+ at t=/);
  });

  it.each([
    ['jumps below zero between output times', { species: [{ id: 'X', initial: 0 }], reactions: [{ id: 'burst', products: { X: 2 }, propensity: '3 - X' }] }],
    ['is negative from the start', { species: [{ id: 'X', initial: 5 }], reactions: [{ id: 'burst', reactants: { X: 1 }, propensity: '-X' }] }],
  ])('a custom propensity that %s, leaving no positive total, names the reaction', (_, model) => {
    const sim = simulator({ name: 'negative', ...model } as ReactionNetworkInput);
    const run = () => simulateEnsemble(sim, { runs: 1, seed: 1, grid: uniformTimeGrid(10, 11) });
    expect(run).toThrow(SimulationFailedError);
    expect(run).toThrow(/burst/);
  });

  it('an absorbing state reached through inexact rate constants ends the trajectory quietly (no round-off "negative total")', () => {
    // λ = 0.1, μ = 0.3 are not binary fractions: the incrementally updated
    // total propensity can land at ±1e-17 instead of 0 at extinction.
    const sim = simulator({
      name: 'extinction',
      species: [{ id: 'X', initial: 5 }],
      parameters: [
        { id: 'lambda', value: 0.1 },
        { id: 'mu', value: 0.3 },
      ],
      reactions: [
        { id: 'birth', reactants: { X: 1 }, products: { X: 2 }, rate: 'lambda' },
        { id: 'death', reactants: { X: 1 }, rate: 'mu' },
      ],
    });
    const grid = uniformTimeGrid(100, 11);
    const ensemble = simulateEnsemble(sim, { runs: 2000, seed: 12, grid });
    for (let r = 0; r < ensemble.runs; r++) expect(ensemble.data[r * grid.length + grid.length - 1]).toBe(0);
  });

  it('ensemble settings are checked and errors name the field', () => {
    const sim = simulator(birthOnly);
    const grid = uniformTimeGrid(1, 2);
    const cases: [string, () => unknown, RegExp][] = [
      ['runs', () => simulateEnsemble(sim, { runs: 0, seed: 1, grid }), /^runs: /],
      ['seed', () => simulateEnsemble(sim, { runs: 1, seed: -1, grid }), /^seed: /],
      ['grid', () => simulateEnsemble(sim, { runs: 1, seed: 1, grid: new Float64Array([0, 2, 1]) }), /time\[2\] = 1 is not after/],
      ['parameters', () => simulateEnsemble(sim, { runs: 1, seed: 1, grid, parameters: new Float64Array(2) }), /expected 1 values \(k\)/],
    ];
    for (const [field, run, message] of cases) {
      expect(run, field).toThrow(SimulationSettingsError);
      expect(run, field).toThrow(message);
    }
  });
});
