import { describe, expect, it } from 'vitest';
import { compileNetwork, validateModel, type ReactionNetworkInput } from '../../../engine/model/index.js';
import { deriveStreamState } from '../../../engine/sample/random/index.js';
import { OdeSolver, type OdeSolverOptions } from '../../../engine/simulate/ode/index.js';

const network = (model: ReactionNetworkInput) => compileNetwork(validateModel(model));

/** Solve on `grid` with the model's parameters; out is species-major. */
function solve(model: ReactionNetworkInput, grid: Float64Array, options: OdeSolverOptions = {}) {
  const solver = new OdeSolver(network(model), options);
  const out = new Float64Array(solver.speciesIds.length * grid.length);
  const steps = solver.simulateInto(out, grid, solver.defaultParameters, deriveStreamState(1, 0));
  return { out, steps };
}

/** Every entry within relative 1e-5 of the closed form (rtol 1e-6 per step; the global error stays below 1e-5 here). */
function expectClose(actual: Float64Array, exact: (index: number) => number) {
  for (let i = 0; i < actual.length; i++) {
    const want = exact(i);
    expect(Math.abs(actual[i] - want), `entry ${i}: ${actual[i]} vs ${want}`).toBeLessThanOrEqual(1e-5 * Math.abs(want) + 1e-9);
  }
}

const grid = Float64Array.from([0, 0.1, 0.37, 1, 2.5, 4.2, 7, 9.99, 10]);

const immigrationDeath: ReactionNetworkInput = {
  volume: 2,
  species: [{ id: 'X', initial: 30 }],
  parameters: [
    { id: 'alpha', value: 100 },
    { id: 'mu', value: 0.3 },
  ],
  reactions: [
    { id: 'immigration', products: { X: 1 }, rate: 'alpha' },
    { id: 'death', reactants: { X: 1 }, rate: 'mu' },
  ],
};

describe('OdeSolver (Dormand-Prince 5(4))', () => {
  it('solves immigration-death: x = (alpha vol / mu)(1 - e^{-mu t}) + x0 e^{-mu t}', () => {
    const { out, steps } = solve(immigrationDeath, grid);
    // Order 0 mass action: the constant is alpha · vol (vol = 2).
    expectClose(out, (g) => ((100 * 2) / 0.3) * (1 - Math.exp(-0.3 * grid[g])) + 30 * Math.exp(-0.3 * grid[g]));
    expect(steps).toBeGreaterThan(0);
  });

  it('solves birth-death growth: x = x0 e^{(lambda - mu) t}', () => {
    const { out } = solve(
      {
        species: [{ id: 'X', initial: 100 }],
        parameters: [
          { id: 'lambda', value: 0.5 },
          { id: 'mu', value: 0.1 },
        ],
        reactions: [
          { id: 'birth', reactants: { X: 1 }, products: { X: 2 }, rate: 'lambda' },
          { id: 'death', reactants: { X: 1 }, rate: 'mu' },
        ],
      },
      grid,
    );
    expectClose(out, (g) => 100 * Math.exp(0.4 * grid[g]));
  });

  it('solves reversible isomerisation A ⇌ B', () => {
    const k1 = 2;
    const k2 = 0.5;
    const { out } = solve(
      {
        species: [
          { id: 'A', initial: 1000 },
          { id: 'B', initial: 200 },
        ],
        parameters: [
          { id: 'k1', value: k1 },
          { id: 'k2', value: k2 },
        ],
        reactions: [
          { id: 'forward', reactants: { A: 1 }, products: { B: 1 }, rate: 'k1' },
          { id: 'backward', reactants: { B: 1 }, products: { A: 1 }, rate: 'k2' },
        ],
      },
      grid,
    );
    // A(t) = A∞ + (A0 - A∞) e^{-(k1+k2) t} with A∞ = k2 T / (k1 + k2), T = A + B conserved.
    const total = 1200;
    const aInf = (k2 * total) / (k1 + k2);
    const a = (t: number) => aInf + (1000 - aInf) * Math.exp(-(k1 + k2) * t);
    const n = grid.length;
    expectClose(out, (i) => (i < n ? a(grid[i]) : total - a(grid[i - n])));
  });

  it('solves second-order dimerisation 2P → P2 with volume scaling', () => {
    const k = 0.01;
    const vol = 2;
    const { out } = solve(
      {
        volume: vol,
        species: [
          { id: 'P', initial: 1000 },
          { id: 'P2', initial: 0 },
        ],
        parameters: [{ id: 'k', value: k }],
        reactions: [{ id: 'dimerise', reactants: { P: 2 }, products: { P2: 1 }, rate: 'k' }],
      },
      grid,
    );
    // dP/dt = -2 (k / vol) P^2, so P = P0 / (1 + 2 k P0 t / vol) and P2 = (P0 - P) / 2.
    const p = (t: number) => 1000 / (1 + (2 * k * 1000 * t) / vol);
    const n = grid.length;
    expectClose(out, (i) => (i < n ? p(grid[i]) : (1000 - p(grid[i - n])) / 2));
  });

  it('hits grid times exactly: output does not depend on which other times are asked for', () => {
    const dense = Float64Array.from({ length: 201 }, (_, i) => i * 0.05);
    const sparse = Float64Array.from([3.7, 10]);
    const a = solve(immigrationDeath, dense).out;
    const b = solve(immigrationDeath, sparse).out;
    const exact = (t: number) => ((100 * 2) / 0.3) * (1 - Math.exp(-0.3 * t)) + 30 * Math.exp(-0.3 * t);
    expect(Math.abs(b[0] / exact(3.7) - 1)).toBeLessThan(1e-5);
    expect(Math.abs(b[1] / a[200] - 1)).toBeLessThan(1e-6);
    expect(Math.abs(a[200] / exact(10) - 1)).toBeLessThan(1e-5);
  });

  it('ignores rng, is deterministic and leaves values unrounded', () => {
    const solver = new OdeSolver(network(immigrationDeath));
    const rng = deriveStreamState(9, 9);
    const before = rng.slice();
    const first = new Float64Array(grid.length);
    const second = new Float64Array(grid.length);
    solver.simulateInto(first, grid, solver.defaultParameters, rng);
    solver.simulateInto(second, grid, solver.defaultParameters, deriveStreamState(1, 2));
    expect(rng).toEqual(before);
    expect(second).toEqual(first);
    expect(Number.isInteger(first[3])).toBe(false);
  });

  it('tighter tolerances take more steps', () => {
    const loose = solve(immigrationDeath, grid, { rtol: 1e-3, atol: 1e-6 }).steps;
    const tight = solve(immigrationDeath, grid, { rtol: 1e-10, atol: 1e-12 }).steps;
    expect(tight).toBeGreaterThan(loose);
  });

  it('stops a stiff model at maxSteps with a clear error', () => {
    const stiff: ReactionNetworkInput = {
      species: [
        { id: 'A', initial: 1000 },
        { id: 'B', initial: 0 },
      ],
      reactions: [
        { id: 'forward', reactants: { A: 1 }, products: { B: 1 }, rate: 1e7 },
        { id: 'backward', reactants: { B: 1 }, products: { A: 1 }, rate: 1e7 },
      ],
    };
    expect(() => solve(stiff, Float64Array.from([0, 10]), { maxSteps: 1000 })).toThrow(/more than 1000 steps before t=10; stopped at t=.*probably stiff/);
    try {
      solve(stiff, Float64Array.from([0, 10]), { maxSteps: 1000 });
    } catch (error) {
      expect((error as { code: string }).code).toBe('SIMULATION_STEP_LIMIT');
    }
  });

  it('rejects bad options with the option named', () => {
    const model = network(immigrationDeath);
    expect(() => new OdeSolver(model, { rtol: 0 })).toThrow('ode option rtol: expected a number in (0, 1), got 0');
    expect(() => new OdeSolver(model, { atol: -1 })).toThrow('ode option atol: expected a finite number > 0, got -1');
    expect(() => new OdeSolver(model, { maxSteps: 1.5 })).toThrow('ode option maxSteps: expected an integer >= 1, got 1.5');
  });
});
