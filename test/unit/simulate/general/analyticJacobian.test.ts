import { describe, expect, it } from 'vitest';
import { EXAMPLES, reactionNetworkSchema, validateModel, type ReactionNetworkInput } from '../../../../engine/model/index.js';
import { CompiledGeneralModel, simulateGeneral } from '../../../../engine/simulate/general/index.js';
import { GeneralRun } from '../../../../engine/simulate/general/generalRun.js';
import { Xoshiro128 } from '../../../../engine/sample/random/index.js';

/**
 * The generated Jacobian against central finite differences of the
 * simulator's own derivative, at random states. Tolerance: with step
 * h_j = 1e-5·max(|y_j|, 1e-3) a central difference has truncation error
 * ~h²·|f'''| and rounding error ~ε·|f|/h, both below ~1e-9 of the row's
 * scale for these smooth, O(1)-scaled models; 1e-6 of the row's largest
 * entry (plus 1e-6 of the entry) leaves three orders of margin and still
 * catches any missing chain-rule term (those are O(1) of an entry).
 */
const model = (input: ReactionNetworkInput) => reactionNetworkSchema.parse(input);

interface Probe {
  compiled: CompiledGeneralModel;
  run: GeneralRun;
  n: number;
}

/** A run initialised at t = 0 (discrete store, values), so its derivative can be evaluated anywhere. */
function probe(input: ReactionNetworkInput): Probe {
  const compiled = new CompiledGeneralModel(model(input));
  const run = new GeneralRun(compiled, Float64Array.of(0), { method: 'stiff' });
  run.run();
  return { compiled, run, n: compiled.symbols.stateSymbols.length };
}

function analytic(p: Probe, t: number, y: Float64Array): Float64Array {
  const jacobian = p.compiled.jacobianPlan.jacobian;
  expect(jacobian, p.compiled.jacobianPlan.fallback ?? '').not.toBeNull();
  const jac = new Float64Array(p.n * p.n).fill(NaN);
  p.run.evaluate(t, y);
  jacobian!(t, p.run.v, jac);
  return jac;
}

function centralDifferences(p: Probe, t: number, y: Float64Array): Float64Array {
  const { n, run } = p;
  const jac = new Float64Array(n * n);
  const plus = new Float64Array(n);
  const minus = new Float64Array(n);
  const shifted = Float64Array.from(y);
  for (let j = 0; j < n; j++) {
    const h = 1e-5 * Math.max(Math.abs(y[j]), 1e-3);
    shifted[j] = y[j] + h;
    run.derivative(t, shifted, plus);
    shifted[j] = y[j] - h;
    run.derivative(t, shifted, minus);
    shifted[j] = y[j];
    for (let i = 0; i < n; i++) jac[i * n + j] = (plus[i] - minus[i]) / (2 * h);
  }
  return jac;
}

/** Compare at `states` random points with every state in [0.2, 2] (positive: sizes, logs and powers stay defined). */
function expectJacobianAgrees(input: ReactionNetworkInput, states = 5, seed = 1): void {
  const p = probe(input);
  const random = Xoshiro128.fromSeed(seed);
  const rng = () => random.nextDouble();
  for (let k = 0; k < states; k++) {
    const y = Float64Array.from({ length: p.n }, () => 0.2 + 1.8 * rng());
    const t = 3 * rng();
    const want = centralDifferences(p, t, y);
    const got = analytic(p, t, y);
    for (let i = 0; i < p.n; i++) {
      let scale = 0;
      for (let j = 0; j < p.n; j++) scale = Math.max(scale, Math.abs(want[i * p.n + j]));
      for (let j = 0; j < p.n; j++) {
        const a = got[i * p.n + j];
        const b = want[i * p.n + j];
        expect(Math.abs(a - b), `∂f${i}/∂y${j} at state ${k}: analytic ${a}, finite differences ${b}`).toBeLessThanOrEqual(
          1e-6 * (scale + Math.abs(b)) + 1e-12,
        );
      }
    }
  }
}

const CONCENTRATIONS: ReactionNetworkInput = {
  compartments: [
    { id: 'small', size: 0.5 },
    { id: 'grow', size: 1, constant: false },
  ],
  species: [
    { id: 'A', initial: 3, compartment: 'small', amountOnly: false },
    { id: 'B', initial: 1, compartment: 'grow', amountOnly: false },
    { id: 'C', initial: 0.5, compartment: 'grow', amountOnly: false },
    { id: 'D', initial: 2, compartment: 'grow', amountOnly: false, boundary: true },
  ],
  parameters: [
    { id: 'k1', value: 0.7 },
    { id: 'k2', value: 1.3 },
    { id: 'kg', value: 0.2 },
  ],
  reactions: [
    { id: 'transport', reactants: { A: 1 }, products: { B: 1 }, propensity: 'k1 * A * small' },
    { id: 'dimerise', reactants: { B: 2 }, products: { C: 1 }, propensity: 'k2 * B^2 * grow' },
    { id: 'feed', reactants: {}, products: { C: 1 }, propensity: 'D * grow / (1 + C)' },
  ],
  rules: [{ type: 'rate', variable: 'grow', expression: 'kg * grow * (1 + B) / (1 + A)' }],
};

describe('analytic Jacobian of the general simulator', () => {
  it('concentration species in constant and growing compartments (amount / size, the size a state)', () => {
    expectJacobianAgrees(CONCENTRATIONS);
  });

  it('rate rules on parameters and on a concentration species, with nonlinear functions and the time', () => {
    expectJacobianAgrees({
      compartments: [{ id: 'c', size: 2 }],
      species: [{ id: 'S', initial: 1, compartment: 'c', amountOnly: false }],
      parameters: [
        { id: 'x', value: 1, constant: false },
        { id: 'y', value: 0.5, constant: false },
        { id: 'k', value: 0.3 },
      ],
      reactions: [],
      rules: [
        { type: 'rate', variable: 'x', expression: '-k * x * y + sin(S * t) + exp(-x)' },
        { type: 'rate', variable: 'y', expression: 'hill(x, 0.7, 2.5) - y^1.5 + log(1 + S)' },
        { type: 'rate', variable: 'S', expression: 'x / (1 + S^2) - sqrt(y) * S' },
      ],
    });
  });

  it('chains of assignment rules, an assigned compartment size and an assigned kinetic parameter', () => {
    expectJacobianAgrees({
      compartments: [{ id: 'cell', size: 1, constant: false }],
      species: [
        { id: 'S1', initial: 1, compartment: 'cell', amountOnly: false },
        { id: 'S2', initial: 1, compartment: 'cell', amountOnly: false },
        { id: 'S3', initial: 1, compartment: 'cell' },
      ],
      parameters: [
        { id: 'total', value: 0, constant: false },
        { id: 'saturation', value: 0, constant: false },
        { id: 'rate', value: 0, constant: false },
        { id: 'X', value: 1, constant: false },
        { id: 'k', value: 2 },
      ],
      reactions: [
        { id: 'r1', reactants: { S1: 1 }, products: { S2: 1 }, propensity: 'rate * cell' },
        { id: 'r2', reactants: { S2: 1 }, products: { S3: 1 }, propensity: 'k * S2 * S1 * cell - saturation' },
      ],
      rules: [
        { variable: 'total', expression: 'S1 + S2 + S3' },
        { variable: 'saturation', expression: 'total^2 / (1 + total)' },
        { variable: 'rate', expression: 'k * saturation * S1 / (0.5 + S1)' },
        { variable: 'cell', expression: '1 + 0.2 * X + 0.01 * S3^2' },
        { type: 'rate', variable: 'X', expression: '0.1 - 0.05 * X * S3' },
      ],
    });
  });

  it('conversion factors: one per species and the model-wide one, one of them set by a rule', () => {
    expectJacobianAgrees({
      conversionFactor: 'cfModel',
      species: [
        { id: 'A', initial: 2, conversionFactor: 'cfA' },
        { id: 'B', initial: 1 },
        { id: 'C', initial: 1, conversionFactor: 'cfC' },
      ],
      parameters: [
        { id: 'cfA', value: 0, constant: false },
        { id: 'cfModel', value: 3 },
        { id: 'cfC', value: 0.5 },
        { id: 'k', value: 0.8 },
      ],
      reactions: [
        { id: 'r1', reactants: { A: 1 }, products: { B: 2 }, propensity: 'k * A * B' },
        { id: 'r2', reactants: { B: 1 }, products: { C: 1 }, propensity: 'k * B / (1 + C)' },
      ],
      rules: [{ variable: 'cfA', expression: '1 + 0.5 * C' }],
    });
  });

  it('variable stoichiometry: coefficients that rules (and a rate rule) set', () => {
    expectJacobianAgrees({
      species: [
        { id: 'A', initial: 5 },
        { id: 'B', initial: 0 },
        { id: 'C', initial: 1 },
      ],
      parameters: [
        { id: 'n', value: 1, constant: false, stoichiometry: true },
        { id: 'm', value: 2, constant: false, stoichiometry: true },
        { id: 'k', value: 0.4 },
      ],
      reactions: [
        { id: 'r1', reactants: { A: 'n' }, products: { B: 'm' }, propensity: 'k * A' },
        { id: 'r2', reactants: { B: 1 }, products: { A: 1, C: 'n * m' }, propensity: 'k * B * C' },
        { id: 'r3', reactants: { C: 'm' }, products: { C: 1 }, propensity: 'k * C' },
      ],
      rules: [
        { variable: 'n', expression: '1 + B / (1 + B)' },
        { type: 'rate', variable: 'm', expression: '0.1 * (3 - m) * C' },
      ],
    });
  });

  it('piecewise kinetics, abs, min, max and comparisons (away from their kinks)', () => {
    expectJacobianAgrees(
      {
        species: [
          { id: 'A', initial: 1 },
          { id: 'B', initial: 1 },
        ],
        parameters: [{ id: 'k', value: 1.2 }],
        reactions: [
          { id: 'r1', reactants: { A: 1 }, products: { B: 1 }, propensity: 'piecewise(k * A^2, A > 1.05, k * A, A < 0.95, 0.5 * (A + A^2) * k)' },
          { id: 'r2', reactants: { B: 1 }, products: {}, propensity: 'max(B, 2 * A) * abs(B - 3) + min(A, B) / 2 + (B > A ? A * B : B)' },
        ],
      },
      8,
      7,
    );
  });

  it('legacy mass action: rate constants, vol ≠ 1, second order, and an order set by an expression', () => {
    expectJacobianAgrees({
      volume: 3,
      species: [
        { id: 'A', initial: 50 },
        { id: 'B', initial: 0 },
        { id: 'C', initial: 0 },
      ],
      parameters: [
        { id: 'k', value: 0.02 },
        { id: 'h', value: 1.5 },
      ],
      reactions: [
        { id: 'dimerise', reactants: { A: 2 }, products: { B: 1 }, rate: 'k' },
        { id: 'bind', reactants: { A: 1, B: 1 }, products: { C: 1 }, rate: 'k * vol' },
        { id: 'cooperative', reactants: { C: 'h' }, products: { A: 1 }, rate: 0.3 },
      ],
    });
  });

  for (const name of ['vilar', 'toggle-switch', 'michaelis-menten', 'lotka-volterra']) {
    it(`built-in example ${name}`, () => expectJacobianAgrees(validateModel(EXAMPLES[name])));
  }
});

describe('when the general simulator falls back to finite differences', () => {
  const base = (rules: ReactionNetworkInput['rules'], propensity = 'k * A'): ReactionNetworkInput => ({
    species: [{ id: 'A', initial: 1 }],
    parameters: [
      { id: 'k', value: 1 },
      { id: 'B', value: 0, constant: false },
    ],
    reactions: [{ id: 'decay', reactants: { A: 1 }, propensity }],
    rules,
  });
  const plan = (input: ReactionNetworkInput) => new CompiledGeneralModel(model(input)).jacobianPlan;

  it('delay() or rateOf() in what the derivative reads: finite differences, not autonomous', () => {
    const delayed = plan(base([{ variable: 'B', expression: 'delay(A, 1)' }], 'k * A * B'));
    expect(delayed.jacobian).toBeNull();
    expect(delayed.fallback).toMatch(/delay\(\)/);
    expect(delayed.autonomous).toBe(false);
    expect(plan(base([], 'k * A + 0 * rateOf(A)')).fallback).toMatch(/rateOf\(\)/);
  });

  it('an algebraic unknown the derivative reads; one it does not read is no obstacle', () => {
    const read = plan(base([{ type: 'algebraic', expression: 'B - 2 * A' }], 'k * B'));
    expect(read.jacobian).toBeNull();
    expect(read.fallback).toMatch(/algebraic/);
    const unread = plan(base([{ type: 'algebraic', expression: 'B - 2 * A' }]));
    expect(unread.jacobian).not.toBeNull();
  });

  it('a derivative whose code would explode (nested abs doubles at each level): capped, finite differences', () => {
    const nested = Array.from({ length: 60 }).reduce<string>((x) => `abs(${x} - 0.1)`, 'A');
    const p = plan(base([], `k * ${nested}`));
    expect(p.jacobian).toBeNull();
    expect(p.fallback).toMatch(/more than/);
  });

  it('a partial derivative nested deeper than the generated code may be: finite differences', () => {
    // A/B/B/…/B (left-nested, 290 quotients) parses, but ∂/∂B nests two levels per quotient.
    const p = plan({
      species: [
        { id: 'A', initial: 1 },
        { id: 'B', initial: 1 },
      ],
      reactions: [{ id: 'convert', reactants: { A: 1 }, products: { B: 1 }, propensity: `A${'/B'.repeat(290)}` }],
    });
    expect(p.jacobian).toBeNull();
    expect(p.fallback).toMatch(/nests deeper/);
  });

  it('knows when f reads the time: directly, through an assignment rule, or only in an event (autonomous)', () => {
    expect(plan(base([], 'k * A * t')).autonomous).toBe(false);
    expect(plan(base([{ variable: 'B', expression: 'time / 2' }], 'k * A * B')).autonomous).toBe(false);
    expect(plan(base([{ variable: 'B', expression: 'time / 2' }])).autonomous).toBe(true);
    const withEvent = { ...base([]), events: [{ id: 'e', trigger: 't >= 1', assignments: { k: '2' } }] };
    expect(plan(withEvent).autonomous).toBe(true);
  });
});

describe('stiff runs with the analytic and the finite-difference Jacobian', () => {
  it('agree, and the analytic one needs fewer evaluations of f', () => {
    // Robertson as reactions. Both runs at rtol 1e-8 are within ~1e-6 relative of the solution; 1e-5 is a margin of 10.
    const robertson = model({
      species: [
        { id: 'A', initial: 1 },
        { id: 'B', initial: 0 },
        { id: 'C', initial: 0 },
      ],
      parameters: [
        { id: 'k1', value: 0.04 },
        { id: 'k2', value: 3e7 },
        { id: 'k3', value: 1e4 },
      ],
      reactions: [
        { id: 'r1', reactants: { A: 1 }, products: { B: 1 }, propensity: 'k1 * A' },
        { id: 'r2', reactants: { B: 2 }, products: { B: 1, C: 1 }, propensity: 'k2 * B^2' },
        { id: 'r3', reactants: { B: 1, C: 1 }, products: { A: 1, C: 1 }, propensity: 'k3 * B * C' },
      ],
    });
    const grid = Float64Array.of(0, 0.4, 4, 40, 400, 4000);
    const options = { method: 'stiff' as const, rtol: 1e-8, atol: 1e-14 };
    const exact = simulateGeneral(robertson, grid, options);
    const numeric = simulateGeneral(robertson, grid, { ...options, analyticJacobian: false });
    for (const id of ['A', 'B', 'C']) {
      const a = exact.amounts.get(id)!;
      const b = numeric.amounts.get(id)!;
      grid.forEach((t, g) => expect(Math.abs(a[g] - b[g]), `${id} at t=${t}`).toBeLessThanOrEqual(1e-5 * Math.abs(b[g]) + 1e-12));
    }
    expect(exact.stats.jacobianCalls).toBeGreaterThan(0);
    expect(exact.stats.derivativeCalls!).toBeLessThan(numeric.stats.derivativeCalls!);
  });
});
