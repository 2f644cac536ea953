import { describe, expect, it } from 'vitest';
import { compileNetwork, EXAMPLES, validateModel, type ReactionNetworkInput } from '../../../../engine/model/index.js';
import { deriveStreamState } from '../../../../engine/sample/random/index.js';
import { GeneralOdeSimulator, simulateGeneral } from '../../../../engine/simulate/general/index.js';
import { OdeSolver } from '../../../../engine/simulate/ode/index.js';

/**
 * Legacy count models (mass action with `vol`, custom propensities, rules,
 * events, initial expressions) mean the same to the general simulator as to
 * the legacy OdeSolver. Both run at rtol 1e-10 / atol 1e-10, so each is
 * within ~1e-8 relative of the exact solution over these spans; agreement to
 * 1e-6 relative (plus 1e-6 molecules) leaves a margin of 100 while any
 * difference of meaning (a volume factor, an event a step late) is far larger.
 */
const OPTIONS = { rtol: 1e-10, atol: 1e-10 };

function legacy(model: ReactionNetworkInput, grid: Float64Array): Float64Array {
  const solver = new OdeSolver(compileNetwork(validateModel(model)), OPTIONS);
  const out = new Float64Array(solver.speciesIds.length * grid.length);
  solver.simulateInto(out, grid, solver.defaultParameters, deriveStreamState(1, 0));
  return out;
}

function expectAgreement(model: ReactionNetworkInput, end: number) {
  const grid = Float64Array.from({ length: 41 }, (_, g) => (end * g) / 40);
  const want = legacy(model, grid);
  const validated = validateModel(model);
  const got = simulateGeneral(validated, grid, { ...OPTIONS, method: 'nonstiff' });
  validated.species.forEach((s, i) => {
    const series = got.amounts.get(s.id)!;
    grid.forEach((t, g) => {
      const w = want[i * grid.length + g];
      expect(Math.abs(series[g] - w), `${s.id} at t=${t}: ${series[g]} vs ${w}`).toBeLessThanOrEqual(1e-6 * Math.abs(w) + 1e-6);
    });
  });
}

describe('simulateGeneral agrees with the legacy OdeSolver on count models', () => {
  // Vilar oscillates: over 200 time units phase errors grow, so it is compared over its first cycle.
  const spans: Record<string, number> = { vilar: 20, 'vilar-sciope': 20 };
  for (const [name, model] of Object.entries(EXAMPLES)) {
    it(`built-in example ${name}`, () => expectAgreement(model, spans[name] ?? model.time?.end ?? 10));
  }

  it('a model with vol != 1, second-order mass action, rules, events and an initial expression', () => {
    expectAgreement(
      {
        volume: 3,
        species: [
          { id: 'A', initial: 'n0 * 2' },
          { id: 'B', initial: 0 },
          { id: 'C', initial: 0 },
        ],
        parameters: [
          { id: 'n0', value: 50 },
          { id: 'k', value: 0.02 },
          { id: 'kc', value: 0 },
        ],
        reactions: [
          { id: 'dimerise', reactants: { A: 2 }, products: { B: 1 }, rate: 'k' },
          { id: 'make', products: { A: 1 }, propensity: 'kc * vol' },
          { id: 'split', reactants: { B: 1 }, products: { A: 1, C: 1 }, propensity: '0.1 * B / (1 + C / vol)' },
        ],
        rules: [{ variable: 'kc', expression: '0.5 * B / vol' }],
        events: [
          { id: 'pulse', trigger: 't >= 2', assignments: { A: 'A + 40' } },
          { id: 'cap', trigger: 'B > 30', assignments: { C: '0' } },
        ],
      },
      8,
    );
  });
});

describe('GeneralOdeSimulator', () => {
  it('reports species as the model states them and takes parameters in model order', () => {
    // S: concentration species in C (size 2), decays at rate k: [S] = 3 e^{-kt}; P: amount made at rate k·[S]·C.
    const model = validateModel({
      compartments: [{ id: 'C', size: 2 }],
      species: [
        { id: 'S', initial: 6, compartment: 'C', amountOnly: false },
        { id: 'P', initial: 0, compartment: 'C' },
      ],
      parameters: [{ id: 'k', value: 1 }],
      reactions: [{ id: 'convert', reactants: { S: 1 }, products: { P: 1 }, propensity: 'k * S * C' }],
    } as ReactionNetworkInput);
    const simulator = new GeneralOdeSimulator(model, { rtol: 1e-10, atol: 1e-12 });
    expect(simulator.parameterIds).toEqual(['k']);
    expect(simulator.speciesIds).toEqual(['S', 'P']);
    const grid = Float64Array.from([0, 0.5, 1]);
    const out = new Float64Array(2 * grid.length);
    const steps = simulator.simulateInto(out, grid, Float64Array.from([0.5]), deriveStreamState(1, 0));
    expect(steps).toBeGreaterThan(0);
    grid.forEach((t, g) => {
      expect(Math.abs(out[g] - 3 * Math.exp(-0.5 * t))).toBeLessThanOrEqual(1e-8);
      expect(Math.abs(out[grid.length + g] - 6 * (1 - Math.exp(-0.5 * t)))).toBeLessThanOrEqual(1e-8);
    });
  });
});
