/**
 * A model in mol/l converted to molecule counts means the same thing.
 *
 * Deterministic check: the count model's ODE (the legacy OdeSolver, rtol
 * 1e-10), divided by F·V = N_A × 1e-15 l, must follow the original rate
 * equations in concentrations, integrated here independently by classical
 * RK4 (h = 1e-3 s over 20 s: local error O(h^5), global ~1e-12 relative for
 * rates of order 1/s) from the same initial concentrations (the rounded
 * counts scaled back). Tolerance 1e-6 relative: both integrators are far
 * below it, a wrong factor F, V or falling factorial would be off by ≥ 1e-3.
 *
 * Stochastic check: for first-order (linear) networks the SSA mean obeys the
 * rate equations exactly (van Kampen, Stochastic Processes in Physics and
 * Chemistry, ch. 7), so the SSA mean of the converted model must match its
 * ODE within 4 standard errors at every output time (n = 1,000 runs, fixed
 * seed; a wrong conversion of the 1e-15 l volume or of F moves the mean by
 * orders of magnitude).
 */
import { describe, expect, it } from 'vitest';
import { compileNetwork } from '../../../../engine/model/compile';
import { AVOGADRO, describeConversion, propensitiesAtStart, toMoleculeCounts } from '../../../../engine/model/counts';
import { reactionNetworkSchema, type ReactionNetworkInput } from '../../../../engine/model/schema';
import { createSimulator, OdeSolver, simulateEnsemble, uniformTimeGrid } from '../../../../engine/simulate';

const V = 1e-15;
const FV = AVOGADRO * V;
const model = (input: ReactionNetworkInput) => reactionNetworkSchema.parse(input);

/** 2A → B (mass action), B ⇌ C (reversible mass action), ∅ → A (constant influx), C → ∅ (Michaelis-Menten); all in mol/l in a 1e-15 l cell. */
const K = { k1: 2e5, k2: 0.3, k3: 0.1, k0: 2e-7, Vm: 1e-7, Km: 5e-7 };
const network = model({
  name: 'dimerisation in mol/l',
  volume: V,
  units: { substance: 'mole', time: 'second', volume: 'litre' },
  compartments: [{ id: 'cell', size: V }],
  species: [
    { id: 'A', initial: `1e-6 * cell`, compartment: 'cell', amountOnly: false },
    { id: 'B', initial: 0, compartment: 'cell', amountOnly: false },
    { id: 'C', initial: `2.5e-7 * cell`, compartment: 'cell', amountOnly: false },
  ],
  parameters: Object.entries(K).map(([id, value]) => ({ id, value })),
  reactions: [
    { id: 'dimerise', reactants: { A: 2 }, products: { B: 1 }, propensity: 'k1 * A^2 * cell' },
    { id: 'convert', reactants: { B: 1 }, products: { C: 1 }, propensity: 'cell * (k2 * B - k3 * C)' },
    { id: 'influx', reactants: {}, products: { A: 1 }, propensity: 'k0 * cell' },
    { id: 'degrade', reactants: { C: 1 }, products: {}, propensity: 'Vm * C / (Km + C) * cell' },
  ],
  time: { end: 20, points: 21 },
});

/** d[A,B,C]/dt of the original model in concentrations. */
function rates([a, b, c]: number[]): number[] {
  const dimer = K.k1 * a * a;
  const net = K.k2 * b - K.k3 * c;
  const mm = (K.Vm * c) / (K.Km + c);
  return [-2 * dimer + K.k0, dimer - net, net - mm];
}

function rk4(y0: number[], grid: Float64Array, h: number): number[][] {
  const out: number[][] = [y0.slice()];
  let y = y0.slice();
  let t = 0;
  for (let g = 1; g < grid.length; g++) {
    while (t < grid[g] - 1e-12) {
      const step = Math.min(h, grid[g] - t);
      const add = (u: number[], k: number[], s: number) => u.map((x, i) => x + s * k[i]);
      const k1 = rates(y);
      const k2 = rates(add(y, k1, step / 2));
      const k3 = rates(add(y, k2, step / 2));
      const k4 = rates(add(y, k3, step));
      y = y.map((x, i) => x + (step / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
      t += step;
    }
    out.push(y.slice());
  }
  return out;
}

describe('toMoleculeCounts: a mol/l model and its count model agree', () => {
  const { model: counts, report } = toMoleculeCounts(network);

  it('converts initial concentrations in a 1e-15 l cell to small whole counts and reports the rounding', () => {
    expect(counts.compartments).toEqual([]);
    expect(counts.species.map((s) => [s.id, s.initial])).toEqual([
      ['A', 602],
      ['B', 0],
      ['C', 151],
    ]);
    expect(counts.species.every((s) => s.amountOnly === undefined && s.compartment === undefined)).toBe(true);
    expect(report.rounded).toEqual([
      { id: 'A', before: expect.closeTo(602.214076, 6), after: 602 },
      { id: 'C', before: expect.closeTo(150.553519, 6), after: 151 },
    ]);
    expect(report.species.map((s) => s.moleculesPerUnit)).toEqual([AVOGADRO, AVOGADRO, AVOGADRO]);
    expect(report.reactions.map((r) => [r.id, r.form, r.into])).toEqual([
      ['dimerise', 'mass-action', ['dimerise']],
      ['convert', 'split', ['convert_forward', 'convert_backward']],
      ['influx', 'propensity', ['influx']],
      ['degrade', 'propensity', ['degrade']],
    ]);
    const lines = describeConversion(report);
    expect(lines).toContain('initial count of A rounded from 602.214076 to 602 molecules');
    expect(lines[0]).toBe(
      '1 mol of A = 6.022e23 molecules; initial count of A: 602 (from 1e-21 mol) (read as a concentration: its name now means count / (F × compartment size))',
    );
  });

  it('gives the rate equations of the original when its ODE is scaled back by F·V (relative error < 1e-6)', () => {
    const grid = uniformTimeGrid(20, 21);
    const ode = new OdeSolver(compileNetwork(counts), { rtol: 1e-10, atol: 1e-6 });
    const out = new Float64Array(3 * grid.length);
    ode.simulateInto(out, grid, ode.defaultParameters, new Uint32Array(4));
    const reference = rk4(
      counts.species.map((s) => Number(s.initial) / FV),
      grid,
      1e-3,
    );
    for (let g = 0; g < grid.length; g++) {
      for (let s = 0; s < 3; s++) {
        const concentration = out[s * grid.length + g] / FV;
        const expected = reference[g][s];
        expect(Math.abs(concentration - expected), `species ${s} at t=${grid[g]}: ${concentration} vs ${expected}`).toBeLessThanOrEqual(
          1e-6 * Math.abs(expected) + 1e-18,
        );
      }
    }
  });

  it('writes 2A → B as mass action: propensity k1·N(N−1)/(F·V), not k1·N²/(F·V)', () => {
    const a = propensitiesAtStart(counts);
    expect(a[0]).toBeCloseTo((K.k1 * 602 * 601) / FV, 12);
    // The split halves of B ⇌ C: k2·N_B and k3·N_C; influx k0·F·V; Michaelis-Menten F·V·Vm·c/(Km + c).
    expect(a[1]).toBe(0);
    expect(a[2]).toBeCloseTo(K.k3 * 151, 12);
    expect(a[3] / (K.k0 * FV)).toBeCloseTo(1, 12);
    const c = 151 / FV;
    expect(a[4] / ((FV * K.Vm * c) / (K.Km + c))).toBeCloseTo(1, 12);
  });
});

describe('toMoleculeCounts: SSA mean of a converted linear network', () => {
  /** ∅ → A (0.5 nM/s), A ⇌ B, B → ∅, in nmol/l units declared on the model: F = 6.022e14 per nmol. */
  const linear = model({
    name: 'linear in nM',
    volume: V,
    units: { substance: 'nmol' },
    compartments: [{ id: 'cell', size: V }],
    species: [
      { id: 'A', initial: '100 * cell', compartment: 'cell', amountOnly: false },
      { id: 'B', initial: 0, compartment: 'cell', amountOnly: false },
    ],
    parameters: [
      { id: 'kin', value: 0.5 },
      { id: 'kf', value: 0.2 },
      { id: 'kr', value: 0.05 },
      { id: 'kd', value: 0.1 },
    ],
    reactions: [
      { id: 'in', reactants: {}, products: { A: 1 }, propensity: 'kin * cell' },
      { id: 'AB', reactants: { A: 1 }, products: { B: 1 }, propensity: 'kf * A * cell - kr * B * cell' },
      { id: 'out', reactants: { B: 1 }, products: {}, propensity: 'kd * B * cell' },
    ],
    time: { end: 30, points: 16 },
  });

  it('has the ODE solution as its mean (|mean − ODE| < 4 SE at every time, n = 1,000)', () => {
    const { model: counts, report } = toMoleculeCounts(linear);
    // 100 nM in 1e-15 l is 60.22 molecules.
    expect(counts.species[0].initial).toBe(60);
    expect(report.species[0].moleculesPerUnit).toBeCloseTo(AVOGADRO * 1e-9, -3);
    const network = compileNetwork(counts);
    const grid = uniformTimeGrid(30, 16);
    const ode = new OdeSolver(network, { rtol: 1e-10, atol: 1e-9 });
    const mean = new Float64Array(2 * grid.length);
    ode.simulateInto(mean, grid, ode.defaultParameters, new Uint32Array(4));
    const runs = 1000;
    const ensemble = simulateEnsemble(createSimulator(network, 'ssa'), { runs, seed: 7, grid });
    for (let s = 0; s < 2; s++) {
      for (let g = 1; g < grid.length; g++) {
        let sum = 0;
        let squares = 0;
        for (let r = 0; r < runs; r++) {
          const x = ensemble.data[(r * 2 + s) * grid.length + g];
          sum += x;
          squares += x * x;
        }
        const m = sum / runs;
        const se = Math.sqrt((squares / runs - m * m) / runs);
        expect(Math.abs(m - mean[s * grid.length + g]), `species ${s} at t=${grid[g]}`).toBeLessThan(4 * se);
      }
    }
  });
});
