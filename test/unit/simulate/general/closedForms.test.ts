import { describe, expect, it } from 'vitest';
import { reactionNetworkSchema, type ReactionNetworkInput } from '../../../../engine/model/index.js';
import { simulateGeneral, type GeneralSimulationOptions } from '../../../../engine/simulate/general/index.js';

/**
 * The general simulator against closed-form solutions. Tolerances: the runs
 * use rtol 1e-10, atol 1e-12; over these short spans the global error of
 * Dormand-Prince stays within a few hundred local errors, so 1e-7 relative
 * (plus 1e-10 absolute) is a bound with margin that still catches any wrong
 * semantics (those are off by percents).
 */
const TIGHT: GeneralSimulationOptions = { rtol: 1e-10, atol: 1e-12 };
const model = (input: ReactionNetworkInput) => reactionNetworkSchema.parse(input);

function expectSeries(actual: Float64Array | undefined, grid: Float64Array, exact: (t: number) => number, rel = 1e-7, abs = 1e-10) {
  expect(actual).toBeDefined();
  grid.forEach((t, g) => {
    const want = exact(t);
    expect(Math.abs(actual![g] - want), `t=${t}: ${actual![g]} vs ${want}`).toBeLessThanOrEqual(rel * Math.abs(want) + abs);
  });
}

const grid = Float64Array.from([0, 0.25, 0.5, 1, 1.5, 2, 3, 4]);

describe('simulateGeneral: continuous dynamics', () => {
  it('decays concentrations at the same rate in compartments of different sizes (kinetic law k·S·C)', () => {
    // dA/dt = -k [S] C = -k A, so A = A0 e^{-kt} and [S] = A0/C e^{-kt} in each compartment.
    const m = model({
      compartments: [
        { id: 'small', size: 0.5 },
        { id: 'big', size: 4 },
      ],
      species: [
        { id: 'S1', initial: 3, compartment: 'small', amountOnly: false },
        { id: 'S2', initial: 3, compartment: 'big', amountOnly: false },
      ],
      parameters: [{ id: 'k', value: 0.7 }],
      reactions: [
        { id: 'd1', reactants: { S1: 1 }, propensity: 'k * S1 * small' },
        { id: 'd2', reactants: { S2: 1 }, propensity: 'k * S2 * big' },
      ],
    });
    const r = simulateGeneral(m, grid, TIGHT);
    expectSeries(r.amounts.get('S1'), grid, (t) => 3 * Math.exp(-0.7 * t));
    expectSeries(r.amounts.get('S2'), grid, (t) => 3 * Math.exp(-0.7 * t));
    expectSeries(r.concentrations.get('S1'), grid, (t) => 6 * Math.exp(-0.7 * t));
    expectSeries(r.values.get('S2'), grid, (t) => 0.75 * Math.exp(-0.7 * t));
    // A reaction's id reads its rate, as in SBML math: k [S1] small = k A1.
    expectSeries(r.values.get('d1'), grid, (t) => 0.7 * 3 * Math.exp(-0.7 * t));
  });

  it('integrates a rate rule on a parameter and evaluates an assignment rule that reads it', () => {
    // dx/dt = -k x, x(0) = 2; y = x^2 + t.
    const m = model({
      species: [],
      parameters: [
        { id: 'x', value: 2, constant: false },
        { id: 'y', value: 0, constant: false },
        { id: 'k', value: 0.3 },
      ],
      reactions: [],
      rules: [
        { type: 'rate', variable: 'x', expression: '-k * x' },
        { variable: 'y', expression: 'x^2 + t' },
      ],
    });
    const r = simulateGeneral(m, grid, TIGHT);
    expectSeries(r.values.get('x'), grid, (t) => 2 * Math.exp(-0.3 * t));
    expectSeries(r.values.get('y'), grid, (t) => 4 * Math.exp(-0.6 * t) + t);
  });

  it('solves an algebraic rule x + y = 10 for the variable nothing else determines', () => {
    // A decays; B is fixed by 0 = A + B - 10, so B = 10 - 5 e^{-kt}.
    const m = model({
      species: [{ id: 'A', initial: 5 }],
      parameters: [
        { id: 'B', value: 0, constant: false },
        { id: 'k', value: 0.4 },
      ],
      reactions: [{ id: 'decay', reactants: { A: 1 }, propensity: 'k * A' }],
      rules: [{ type: 'algebraic', expression: 'A + B - 10' }],
    });
    const r = simulateGeneral(m, grid, TIGHT);
    expectSeries(r.values.get('B'), grid, (t) => 10 - 5 * Math.exp(-0.4 * t));
  });

  it('keeps amounts when a compartment grows (rate rule on its size); the concentration dilutes', () => {
    // C = 1 + 0.5 t; S neither reacts nor has a rule: amount 2, concentration 2 / (1 + 0.5 t).
    // P is made at rate k·C (amount/time): amount = k (t + t²/4).
    const m = model({
      compartments: [{ id: 'C', size: 1, constant: false }],
      species: [
        { id: 'S', initial: 2, compartment: 'C', amountOnly: false },
        { id: 'P', initial: 0, compartment: 'C', amountOnly: false },
      ],
      parameters: [{ id: 'k', value: 3 }],
      reactions: [{ id: 'make', products: { P: 1 }, propensity: 'k * C' }],
      rules: [{ type: 'rate', variable: 'C', expression: '0.5' }],
    });
    const r = simulateGeneral(m, grid, TIGHT);
    expectSeries(r.amounts.get('S'), grid, () => 2);
    expectSeries(r.values.get('S'), grid, (t) => 2 / (1 + 0.5 * t));
    expectSeries(r.amounts.get('P'), grid, (t) => 3 * (t + (t * t) / 4));
    expectSeries(r.concentrations.get('P'), grid, (t) => (3 * (t + (t * t) / 4)) / (1 + 0.5 * t));
  });

  it('reads delay(x, tau) from the history, and the initial value before t0', () => {
    // S = e^{-t}; dZ/dt = delay(S, 1): 1 for t < 1 (S before t0 is S(0)), e^{-(t-1)} after.
    // Z = t for t <= 1, then 1 + 1 - e^{-(t-1)}.
    const m = model({
      species: [
        { id: 'S', initial: 1 },
        { id: 'Z', initial: 0 },
      ],
      reactions: [{ id: 'decay', reactants: { S: 1 }, propensity: 'S' }],
      rules: [{ type: 'rate', variable: 'Z', expression: 'delay(S, 1)' }],
    });
    const r = simulateGeneral(m, grid, TIGHT);
    // The history is cubic Hermite on quarter steps: within the integrator's own error, so the usual bound holds.
    expectSeries(r.values.get('Z'), grid, (t) => (t <= 1 ? t : 2 - Math.exp(-(t - 1))));
  });

  it('gives rateOf() of a reaction species and of an assignment-rule variable', () => {
    // S = 4 e^{-kt}; r1 = rateOf(S) = -k S; Y = S² so rateOf(Y) = 2 S S' = -2k S².
    const m = model({
      species: [{ id: 'S', initial: 4 }],
      parameters: [
        { id: 'k', value: 0.5 },
        { id: 'r1', value: 0, constant: false },
        { id: 'Y', value: 0, constant: false },
        { id: 'r2', value: 0, constant: false },
      ],
      reactions: [{ id: 'decay', reactants: { S: 1 }, propensity: 'k * S' }],
      rules: [
        { variable: 'r1', expression: 'rateOf(S)' },
        { variable: 'Y', expression: 'S^2' },
        { variable: 'r2', expression: 'rateOf(Y)' },
      ],
    });
    const r = simulateGeneral(m, grid, TIGHT);
    expectSeries(r.values.get('r1'), grid, (t) => -0.5 * 4 * Math.exp(-0.5 * t));
    // Central difference with h = 1e-6: error ~ h² · third derivative, far below 1e-7 relative.
    expectSeries(r.values.get('r2'), grid, (t) => -2 * 0.5 * 16 * Math.exp(-t), 1e-7, 1e-8);
  });

  it('evaluates initial assignments and initial expressions in dependency order', () => {
    // a = 2 b (initial assignment), b = 3 (written); S initial amount "a * C" with C = 2; T concentration = a + 1 (initial assignment).
    const m = model({
      compartments: [{ id: 'C', size: 2 }],
      species: [
        { id: 'S', initial: 'a * C', compartment: 'C' },
        { id: 'T', initial: 0, compartment: 'C', amountOnly: false },
      ],
      parameters: [
        { id: 'a', value: 0 },
        { id: 'b', value: 3 },
      ],
      reactions: [],
      rules: [],
      initialAssignments: [
        { variable: 'a', expression: '2 * b' },
        { variable: 'T', expression: 'a + 1' },
      ],
    });
    const r = simulateGeneral(m, Float64Array.from([0, 1]), TIGHT);
    expect(r.values.get('a')![0]).toBe(6);
    expect(r.amounts.get('S')![1]).toBe(12);
    expect(r.concentrations.get('T')![0]).toBe(7);
    expect(r.amounts.get('T')![0]).toBe(14);
  });

  it('applies overrides over written values and initial assignments', () => {
    const m = model({
      species: [{ id: 'S', initial: 4 }],
      parameters: [
        { id: 'k', value: 0.5 },
        { id: 'k2', value: 0 },
      ],
      reactions: [{ id: 'decay', reactants: { S: 1 }, propensity: 'k2 * S' }],
      initialAssignments: [{ variable: 'k2', expression: 'k' }],
    });
    const r = simulateGeneral(m, grid, {
      ...TIGHT,
      overrides: new Map([
        ['S', 2],
        ['k2', 1],
      ]),
    });
    expectSeries(r.amounts.get('S'), grid, (t) => 2 * Math.exp(-t));
  });

  it('solves the stiff Robertson system with the default auto method (switches to Rosenbrock)', () => {
    // Reference values at t = 40 from Hairer & Wanner, Solving ODEs II (2nd ed. 1996), §IV.10 (ROBER), computed with
    // RADAU5 at tight tolerances: y1 = 0.7158270687, y2 = 9.185534765e-6, y3 = 0.2841637457. rtol 1e-8 leaves
    // errors near 1e-8 relative; 1e-6 is the bound.
    const m = model({
      species: [
        { id: 'A', initial: 1 },
        { id: 'B', initial: 0 },
        { id: 'C', initial: 0 },
      ],
      reactions: [
        { id: 'r1', reactants: { A: 1 }, products: { B: 1 }, propensity: '0.04 * A' },
        { id: 'r2', reactants: { B: 2 }, products: { B: 1, C: 1 }, propensity: '3e7 * B^2' },
        { id: 'r3', reactants: { B: 1, C: 1 }, products: { A: 1, C: 1 }, propensity: '1e4 * B * C' },
      ],
    });
    const r = simulateGeneral(m, Float64Array.from([0, 40]), { rtol: 1e-8, atol: 1e-14 });
    expect(r.stats.stiff).toBe(true);
    expect(Math.abs(r.amounts.get('A')![1] - 0.7158270687)).toBeLessThanOrEqual(1e-6 * 0.716);
    expect(Math.abs(r.amounts.get('B')![1] - 9.185534765e-6)).toBeLessThanOrEqual(1e-6 * 9.19e-6);
    expect(Math.abs(r.amounts.get('C')![1] - 0.2841637457)).toBeLessThanOrEqual(1e-6 * 0.284);
  });
});
