/**
 * toMoleculeCounts beyond plain reactions: refusals with their reasons,
 * rules and events over counts, units, conversion factors, feasibility,
 * and that a count model converts to itself.
 */
import { describe, expect, it } from 'vitest';
import { compileNetwork } from '../../../../engine/model/compile';
import {
  AVOGADRO,
  CountConversionError,
  describeConversion,
  propensitiesAtStart,
  toMoleculeCounts,
  type CountConversionProblem,
} from '../../../../engine/model/counts';
import { reactionNetworkSchema, type ReactionNetworkInput } from '../../../../engine/model/schema';
import { createSimulator, simulateEnsemble, uniformTimeGrid } from '../../../../engine/simulate';

const model = (input: ReactionNetworkInput) => reactionNetworkSchema.parse(input);

function refusal(input: ReactionNetworkInput): CountConversionError {
  try {
    toMoleculeCounts(model(input));
  } catch (error) {
    expect(error).toBeInstanceOf(CountConversionError);
    return error as CountConversionError;
  }
  return expect.fail('expected a CountConversionError');
}

describe('toMoleculeCounts refuses what the stochastic methods cannot mean, with every reason', () => {
  const error = refusal({
    units: { substance: 'mole' },
    compartments: [
      { id: 'cell', size: 1e-15 },
      { id: 'grows', size: 1e-15, constant: false },
    ],
    species: [
      { id: 'A', initial: 1e-21, compartment: 'cell', amountOnly: false },
      { id: 'B', initial: 0, compartment: 'cell' },
      { id: 'G', initial: 1e-21, compartment: 'grows', amountOnly: false },
      { id: 'N', initial: -1e-21, compartment: 'cell' },
    ],
    parameters: [
      { id: 'k', value: 1 },
      { id: 'P', value: 0, constant: false },
      { id: 'Q', value: 0, constant: false },
      { id: 'R', value: 0, constant: false },
      { id: 's1', value: 1, constant: false, stoichiometry: true },
    ],
    reactions: [
      { id: 'delayed', reactants: { A: 1 }, products: { B: 1 }, propensity: 'k * delay(A, 2) * cell' },
      { id: 'forced', reactants: { A: 1 }, products: {}, propensity: 'k * A * cell * (1 + sin(t))' },
      { id: 'variable', reactants: { A: 's1' }, products: { B: 1 }, propensity: 'k * A * cell' },
      { id: 'half', reactants: { A: 1 }, products: { B: 0.5 }, propensity: 'k * A * cell' },
    ],
    rules: [
      { type: 'rate', variable: 'P', expression: 'k * A' },
      { type: 'algebraic', expression: 'Q + R - 1' },
      { type: 'assignment', variable: 'R', expression: 'rateOf(B)' },
    ],
    events: [
      { id: 'late', trigger: 'B > 10', assignments: { k: 2 }, delay: 1 },
      { id: 'first', trigger: 'B > 20', assignments: { k: 3, s1: 2 }, priority: 'k' },
      { id: 'swell', trigger: 't >= 5', assignments: { grows: 2e-15 } },
      { id: 'mixed', trigger: 't > 1 && B > 2', assignments: { k: 4 } },
    ],
  });
  const has = (element: CountConversionProblem['element'], id: string, reason: string | RegExp) =>
    expect(error.problems, `${element} "${id}"`).toContainEqual({ element, id, reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) });

  it('has code COUNT_CONVERSION and a message that lists every problem', () => {
    expect(error.code).toBe('COUNT_CONVERSION');
    expect(error.message).toMatch(/^cannot convert the model to molecule counts for the stochastic methods \(\d+ problems\):\n/);
    for (const p of error.problems) expect(error.message).toContain(`  ${p.element} "${p.id}": ${p.reason}`);
  });

  it('names rate and algebraic rules and says what to use', () => {
    has(
      'rule',
      'P',
      'rate rule on P: the exact SSA has no continuous variables; use --method hybrid (continuous variables with stochastic reactions) or --method ode',
    );
    has('rule', 'rules[1]', 'algebraic rule 0 = Q + R - 1: the stochastic methods cannot solve algebraic constraints; use --method ode');
  });

  it('names delay() and rateOf() where they are used', () => {
    has('reaction', 'delayed', /^delay\(\) in its kinetic law: the stochastic methods keep no history/);
    has('rule', 'R', /^rateOf\(\) in its expression: a count jumps, it has no time derivative/);
  });

  it('names delayed and prioritised events, and triggers mixing t with the state', () => {
    has('event', 'late', /^a delay \(1\): the stochastic methods execute events when they trigger/);
    has('event', 'first', /^a priority \(k\): /);
    has('event', 'mixed', /^its trigger "t > 1 && B > 2" mixes the time t with other conditions/);
  });

  it('names time-dependent laws, variable and non-integer stoichiometry', () => {
    has('reaction', 'forced', /^its kinetic law depends on the time t: the exact SSA and tau-leaping assume propensities constant between reactions/);
    has('reaction', 'variable', /^variable stoichiometry of A \(s1\): a reaction event must change each species by a fixed whole number of molecules/);
    has('reaction', 'half', /^stoichiometry 0\.5 of B is not a whole number: a reaction event must change B by a whole number of molecules/);
  });

  it('names a compartment whose size changes under a concentration species, and a negative initial amount', () => {
    has('compartment', 'grows', /^its size is changed by event swell, which changes the concentrations of G without a reaction/);
    has('species', 'N', 'initial amount -1e-21 is negative: a molecule count cannot be');
  });
});

describe('rules and events over counts', () => {
  it('sets count = F × size × concentration in rules and events; a constant event value becomes the exact whole number', () => {
    const { model: counts, report } = toMoleculeCounts(
      model({
        compartments: [{ id: 'c', size: 3 }],
        species: [
          { id: 'A', initial: 0, compartment: 'c', amountOnly: false },
          { id: 'S', initial: 0, compartment: 'c', amountOnly: false, boundary: true },
        ],
        parameters: [{ id: 'k', value: 0.25 }],
        reactions: [{ id: 'decay', reactants: { A: 1 }, products: {}, propensity: 'k * A * c' }],
        rules: [{ variable: 'S', expression: '2 * k' }],
        events: [{ id: 'dose', trigger: 't >= 1', assignments: { A: 0.7, k: 'k * 2' } }],
      }),
      { substanceUnit: 10 },
    );
    // S = 0.5 per unit size × 3 × 10 = 15 molecules (boundary: a non-integer would also be allowed).
    expect(counts.rules).toEqual([{ type: 'assignment', variable: 'S', expression: '10 * (c * (2 * k))' }]);
    expect(counts.species.find((s) => s.id === 'S')?.initial).toBe(15);
    // 10 × (3 × 0.7) is 20.999999999999996 in floating point: the event writes 21, which the SSA's integer check accepts.
    expect(counts.events[0].assignments).toEqual({ A: 21, k: 'k * 2' });
    expect(counts.reactions[0].propensity).toBe('10 * (k * (A / 10 / c) * c)');
    expect(report.species[0]).toMatchObject({ unit: 'unit of 10 molecules', moleculesPerUnit: 10, unitFrom: 'option' });

    const network = compileNetwork(counts);
    const grid = uniformTimeGrid(2, 3);
    const runs = simulateEnsemble(createSimulator(network, 'ssa'), { runs: 5, seed: 1, grid });
    // At t = 1 the dose sets A to 21 molecules and doubles k, so the rule makes S = 10 × 3 × 2 × 0.5 = 30.
    for (let r = 0; r < 5; r++) {
      expect(runs.data[(r * 2 + 0) * 3 + 1]).toBe(21);
      expect(runs.data[(r * 2 + 1) * 3 + 0]).toBe(15);
      expect(runs.data[(r * 2 + 1) * 3 + 2]).toBe(30);
    }
  });

  it('refuses a rule or event that sets a counted species to a fraction of a molecule, saying why', () => {
    const error = refusal({
      compartments: [{ id: 'c', size: 3 }],
      species: [
        { id: 'A', initial: 0, compartment: 'c', amountOnly: false },
        { id: 'R', initial: 0, compartment: 'c' },
      ],
      parameters: [{ id: 'k', value: 0.25 }],
      reactions: [{ id: 'decay', reactants: { A: 1 }, products: {}, propensity: 'k * A' }],
      rules: [{ variable: 'R', expression: 'k' }],
      events: [{ id: 'dose', trigger: 't >= 1', assignments: { A: 0.5 } }],
    });
    expect(error.problems).toEqual([
      {
        element: 'rule',
        id: 'R',
        reason:
          'the assignment rule for R sets it to 0.25 molecules at t = 0: a species the stochastic methods count must hold a whole number; mark R a boundary species if it is an input, not a population, or use --method ode',
      },
      { element: 'event', id: 'dose', reason: 'it sets A to 1.5 molecules: a molecule count must be a non-negative whole number; use --method ode' },
    ]);
  });

  it('notes an event that sets a converted species from the state', () => {
    const { model: counts, report } = toMoleculeCounts(
      model({
        units: { substance: 'nmol' },
        compartments: [{ id: 'c', size: 1e-15 }],
        species: [{ id: 'A', initial: '10 * c', compartment: 'c', amountOnly: false }],
        parameters: [{ id: 'k', value: 0.1 }],
        reactions: [{ id: 'decay', reactants: { A: 1 }, products: {}, propensity: 'k * A * c' }],
        events: [{ id: 'halve', trigger: 'A < 5', assignments: { A: 'A / 2' } }],
      }),
    );
    expect(counts.events[0].trigger).toBe('A / 602214076000000 / c < 5');
    expect(counts.events[0].assignments.A).toBe('602214076000000 * (c * (A / 602214076000000 / c / 2))');
    expect(report.notes).toContain(
      'event halve sets A from the state (602214076000000 * (c * (A / 602214076000000 / c / 2)) molecules): the stochastic methods stop with an error if that is not a whole number when it fires',
    );
  });
});

describe('units, conversion factors and stoichiometry', () => {
  const amounts = (units: ReactionNetworkInput['units'], speciesUnits?: string) =>
    model({
      units,
      species: [{ id: 'S1', initial: 1, ...(speciesUnits ? { units: speciesUnits } : {}) }],
      parameters: [{ id: 'k', value: 0.1 }],
      reactions: [{ id: 'decay', reactants: { S1: 1 }, products: {}, propensity: 'k * S1' }],
      time: { end: 100, points: 2 },
    });

  it('converts 1 µmol to 602214076000000000 molecules and says so, with the feasibility warning', () => {
    const { model: counts, report } = toMoleculeCounts(amounts(undefined, 'µmol'));
    expect(counts.species[0].initial).toBe(602214076000000000);
    expect(counts.reactions[0].propensity).toBe('602214076000000000 * (k * (S1 / 602214076000000000))');
    const lines = describeConversion(report);
    expect(lines[0]).toBe('1 µmol of S1 = 6.022e17 molecules; initial count of S1: 602214076000000000 (from 1 µmol)');
    // Total propensity 0.1 × 6.022e17 per s over 100 s: 6.022e18 events.
    expect(report.feasibility.expectedEvents).toBeCloseTo(6.02214076e18, -6);
    expect(report.feasibility.exceeded).toBe(true);
    expect(lines.at(-1)).toBe(
      'about 6.022e18 reaction events per trajectory (total propensity 6.022e16 at t = 0 × end time 100), more than 1e8: the exact SSA (~2e7 events/s) would take about 9542 years per trajectory; use tau-leaping (--method tau) or the ODE (--method ode)',
    );
  });

  it('takes the model substance unit, an override unit or factor, and F = 1 for items', () => {
    expect(toMoleculeCounts(amounts({ substance: 'nmol' })).model.species[0].initial).toBe(602214076000000);
    expect(toMoleculeCounts(amounts({ substance: 'mole' }), { substanceUnit: 'pmol' }).model.species[0].initial).toBe(602214076000);
    expect(toMoleculeCounts(amounts({ substance: 'mole' }), { substanceUnit: 1000 }).model.species[0].initial).toBe(1000);
    const items = toMoleculeCounts(amounts({ substance: 'item' }));
    expect(items.model.species[0].initial).toBe(1);
    expect(items.model.reactions[0].propensity).toBe('k * S1');
    expect(items.report.feasibility).toMatchObject({ totalPropensity: 0.1, expectedEvents: 10, exceeded: false });
    expect(describeConversion(items.report).at(-1)).toBe('about 10 reaction events per trajectory (total propensity 0.1 at t = 0 × end time 100)');
  });

  it('refuses an override unit it does not know, and a factor that is not a positive number', () => {
    expect(() => toMoleculeCounts(amounts(undefined), { substanceUnit: 'gram' })).toThrow(
      'substanceUnit: unknown substance unit "gram"; expected mol with an SI prefix (mol, mmol, µmol, nmol...), item, or molecules per unit (a number > 0)',
    );
    expect(() => toMoleculeCounts(amounts(undefined), { substanceUnit: 0 })).toThrow('substanceUnit: expected molecules per unit (a finite number > 0), got 0');
  });

  it('suggests a unit when amounts read as counts are fractions of a molecule', () => {
    const { model: counts, report } = toMoleculeCounts(
      model({
        species: [{ id: 'S1', initial: 1.5e-4 }],
        parameters: [{ id: 'k', value: 0.1 }],
        reactions: [{ id: 'decay', reactants: { S1: 1 }, products: {}, propensity: 'k * S1' }],
      }),
    );
    expect(counts.species[0].initial).toBe(0);
    expect(report.rounded).toEqual([{ id: 'S1', before: 1.5e-4, after: 0 }]);
    expect(report.notes).toContain(
      'initial amounts are not whole numbers of molecules (S1: 0.00015 → 0) and were read as counts: if they are amounts of substance, give their unit (substanceUnit, e.g. "µmol") so they are converted',
    );
  });

  it('takes unknown and missing units as counts with a note', () => {
    expect(toMoleculeCounts(amounts({ substance: 'gram' })).report.notes).toEqual([
      'unknown substance unit "gram": amounts are read as molecule counts (pass the unit or a factor to convert)',
    ]);
    expect(toMoleculeCounts(amounts(undefined)).report.notes).toEqual(['no substance unit for any species: amounts are taken as molecule counts (F = 1)']);
  });

  it('bakes a constant conversion factor into whole stoichiometries and refuses a fractional one', () => {
    const withFactor = (value: number) =>
      model({
        species: [
          { id: 'A', initial: 10 },
          { id: 'B', initial: 0, conversionFactor: 'cf' },
        ],
        parameters: [
          { id: 'k', value: 1 },
          { id: 'cf', value },
          { id: 'n', value: 2 },
        ],
        reactions: [{ id: 'make', reactants: { A: 'n' }, products: { B: 1 }, propensity: 'k * A' }],
      });
    expect(toMoleculeCounts(withFactor(3)).model.reactions[0]).toMatchObject({ reactants: { A: 2 }, products: { B: 3 }, propensity: 'k * A' });
    expect(() => toMoleculeCounts(withFactor(0.5))).toThrow(
      /stoichiometry 1 × 0\.5 \(conversion factor × molecules per unit of B \/ molecules per unit of extent\) of B is not a whole number/,
    );
  });
});

describe('kinetic laws', () => {
  it('scales the engine mass-action rate of 2A → B by F_E / F² and keeps the falling factorial', () => {
    const { model: counts, report } = toMoleculeCounts(
      model({
        units: { substance: 'nmol' },
        volume: 2,
        species: [
          { id: 'A', initial: 1e-12 },
          { id: 'B', initial: 0 },
        ],
        parameters: [{ id: 'k', value: 3 }],
        reactions: [{ id: 'dimer', reactants: { A: 2 }, products: { B: 1 }, rate: 'k' }],
      }),
    );
    const F = 6.02214076e14;
    expect(counts.species[0].initial).toBe(602);
    expect(report.reactions[0].form).toBe('mass-action');
    // Deterministic k·A²/vol in nmol/s becomes k·N(N−1)/(F·vol) events/s.
    expect(propensitiesAtStart(counts)[0] / ((3 * 602 * 601) / (F * 2))).toBeCloseTo(1, 12);
  });

  it('leaves a net rate that is not a difference of mass-action halves as a propensity, and names it when it is negative', () => {
    const { model: counts, report } = toMoleculeCounts(
      model({
        species: [
          { id: 'A', initial: 1 },
          { id: 'B', initial: 10 },
        ],
        parameters: [
          { id: 'kf', value: 1 },
          { id: 'kr', value: 1 },
        ],
        reactions: [{ id: 'AB', reactants: { A: 1 }, products: { B: 1 }, propensity: 'kf * A - kr * B^2' }],
        time: { end: 1, points: 2 },
      }),
    );
    expect(report.reactions).toEqual([{ id: 'AB', form: 'unchanged', into: ['AB'] }]);
    expect(counts.reactions[0].propensity).toBe('kf * A - kr * B^2');
    expect(report.feasibility.invalid).toEqual([{ id: 'AB', value: -99 }]);
    expect(describeConversion(report)).toContain(
      'the propensity of AB is -99 at t = 0: a propensity must be a non-negative number (a net rate of a reversible reaction cannot be simulated as events)',
    );
  });
});

describe('a count model converts to itself', () => {
  it('keeps every expression as written, F = 1, no rounding, nothing to note', () => {
    const input = model({
      name: 'toggle',
      species: [
        { id: 'U', initial: 10 },
        { id: 'V', initial: 0 },
        { id: 'X', initial: 0, boundary: true },
      ],
      parameters: [
        { id: 'a', value: 50 },
        { id: 'k', value: 0.5 },
      ],
      reactions: [
        { id: 'makeU', reactants: {}, products: { U: 1 }, propensity: 'a / (1 + V^2)' },
        { id: 'dimer', reactants: { U: 2 }, products: { V: 1 }, rate: 'k' },
        { id: 'loseV', reactants: { V: 1 }, products: {}, rate: 1 },
      ],
      rules: [{ variable: 'X', expression: 'U + 2 * V' }],
      events: [{ id: 'pulse', trigger: 't >= 3', assignments: { U: 'U + 5' } }],
      units: { substance: 'item' },
      time: { end: 10, points: 11 },
    });
    const { model: counts, report } = toMoleculeCounts(input);
    // X starts at its rule's value, U + 2V = 10, which the simulators give it at t = 0 anyway.
    expect(counts).toEqual({ ...input, species: input.species.map((s) => (s.id === 'X' ? { ...s, initial: 10 } : s)) });
    expect(report.rounded).toEqual([]);
    expect(report.notes).toEqual([]);
    expect(report.reactions.every((r) => r.form === 'unchanged')).toBe(true);
    expect(toMoleculeCounts(counts).model).toEqual(counts);
    expect(AVOGADRO).toBe(6.02214076e23);
  });
});
