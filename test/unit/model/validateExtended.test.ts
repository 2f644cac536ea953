/**
 * validateModel on the extended format (compartments, concentrations, rate
 * and algebraic rules, initial assignments, delayed events, variable
 * stoichiometry): what it accepts, and each check with its path and message.
 */
import { describe, expect, it } from 'vitest';
import { ModelValidationError, type ValidationIssue } from '../../../engine/errors';
import { validateModel } from '../../../engine/model';

/** A valid SBML-like model; each test changes one thing in a fresh copy. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests write invalid shapes into the model on purpose
function sbmlLike(): Record<string, any> {
  return {
    name: 'extended',
    compartments: [
      { id: 'C', size: 2 },
      { id: 'V', size: 1, constant: false },
    ],
    species: [
      { id: 'A', initial: 2.5, compartment: 'C', amountOnly: false },
      { id: 'B', initial: '0.5 * V', compartment: 'V', amountOnly: false, conversionFactor: 'f' },
      { id: 'S', initial: 1, compartment: 'C', boundary: true },
    ],
    parameters: [
      { id: 'k', value: 1 },
      { id: 'f', value: 2, constant: true },
      { id: 'n', value: 1, constant: false, stoichiometry: true },
      { id: 'x', value: 0, constant: false },
      { id: 'y', value: 0, constant: false },
    ],
    reactions: [
      { id: 'R', reactants: { A: 1.5 }, products: { B: 'n' }, propensity: 'k * A * C * (1 + sin(t))' },
      { id: 'D', reactants: { B: 1 }, propensity: 'k * delay(B, 1) * V' },
    ],
    rules: [
      { type: 'rate', variable: 'V', expression: '0.01 * t' },
      { variable: 'n', expression: '1 + t / 10' },
      { type: 'rate', variable: 'S', expression: 'rateOf(A)' },
      { type: 'algebraic', expression: 'x + y - 1' },
      { variable: 'y', expression: '0.5' },
    ],
    initialAssignments: [{ variable: 'k', expression: 'f / 2' }],
    events: [
      { id: 'E', trigger: 't > 5 && A < 1', delay: 'k', priority: 'x', persistent: false, useValuesFromTriggerTime: false, assignments: { A: 2, V: 'V * 2' } },
    ],
    conversionFactor: 'f',
  };
}

function issuesOf(model: unknown): ValidationIssue[] {
  try {
    validateModel(model);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelValidationError);
    return (error as ModelValidationError).issues;
  }
  throw new Error('expected validateModel to reject the model');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests write invalid shapes into the model on purpose
function onlyIssue(edit: (m: Record<string, any>) => void, path: string): string {
  const model = sbmlLike();
  edit(model);
  const issues = issuesOf(model);
  expect(issues.map((i) => i.path)).toEqual([path]);
  return issues[0].message;
}

describe('the extended format', () => {
  it('accepts compartments, concentrations, real amounts and stoichiometry, variable stoichiometry, rate and algebraic rules, t, delay(), rateOf(), delayed events', () => {
    const model = validateModel(sbmlLike());
    expect(model.compartments[0]).toEqual({ id: 'C', size: 2, constant: true, dimensions: 3 });
    expect(model.events[0]).toMatchObject({ initialValue: true, persistent: false, useValuesFromTriggerTime: false });
  });

  it('accepts models of rules and parameters only, and without compartments', () => {
    expect(() =>
      validateModel({
        species: [],
        reactions: [],
        parameters: [{ id: 'p', value: 1, constant: false }],
        rules: [{ type: 'rate', variable: 'p', expression: '-p' }],
      }),
    ).not.toThrow();
    expect(() =>
      validateModel({ species: [], reactions: [], parameters: [{ id: 'p', value: 1 }], initialAssignments: [{ variable: 'p', expression: '2' }] }),
    ).not.toThrow();
  });
});

describe('cross-references', () => {
  it('a compartment shares the namespace of species and parameters', () => {
    expect(onlyIssue((m) => m.parameters.push({ id: 'C', value: 1 }), 'parameters[5].id')).toMatch(
      /duplicate id "C" \(already used by compartments\[0\]\.id\)/,
    );
  });

  it('a species in an unknown compartment, with a near miss', () => {
    expect(onlyIssue((m) => (m.species[0].compartment = 'c'), 'species[0].compartment')).toBe('unknown compartment "c" (did you mean "C"?)');
  });

  it('a concentration species needs a compartment', () => {
    expect(onlyIssue((m) => delete m.species[0].compartment, 'species[0].amountOnly')).toMatch(
      /"A" is a concentration \(amountOnly false\) but has no compartment/,
    );
  });

  it('conversion factors name parameters', () => {
    expect(onlyIssue((m) => (m.conversionFactor = 'gg'), 'conversionFactor')).toBe('unknown parameter "gg"');
    expect(onlyIssue((m) => (m.species[1].conversionFactor = 'ff'), 'species[1].conversionFactor')).toBe('unknown parameter "ff" (did you mean "f"?)');
  });

  it('names in a stoichiometry expression are checked', () => {
    expect(onlyIssue((m) => (m.reactions[0].products = { B: 'nn' }), 'reactions[0].products.B')).toMatch(
      /unknown name "nn" at column 1 of "nn".*did you mean "n"\?/,
    );
  });
});

describe('rules, initial assignments and events', () => {
  it('targets must exist, with a near miss', () => {
    expect(onlyIssue((m) => (m.rules[0].variable = 'VV'), 'rules[0].variable')).toBe(
      'unknown variable "VV"; expected a species, a parameter or a compartment (did you mean "V"?)',
    );
    expect(onlyIssue((m) => (m.initialAssignments[0].variable = 'kk'), 'initialAssignments[0].variable')).toMatch(/unknown variable "kk".*did you mean "k"\?/);
    expect(onlyIssue((m) => (m.events[0].assignments = { Q: 1 }), 'events[0].assignments.Q')).toMatch(/unknown variable "Q"/);
  });

  it('a constant cannot be changed by a rule or an event, but may have an initial assignment', () => {
    expect(onlyIssue((m) => (m.rules[0].variable = 'C'), 'rules[0].variable')).toBe(
      'compartment "C" is constant (set "constant": false to let it change), so it cannot be changed by a rule or event',
    );
    expect(onlyIssue((m) => (m.events[0].assignments = { f: 3 }), 'events[0].assignments.f')).toMatch(/^parameter "f" is constant/);
    expect(onlyIssue((m) => (m.species[2].constant = true), 'rules[2].variable')).toMatch(/^species "S" is constant/);
    expect(() => validateModel({ ...sbmlLike(), initialAssignments: [{ variable: 'C', expression: '3' }] })).not.toThrow();
  });

  it('a constant species cannot be changed by a reaction unless it is a boundary species', () => {
    expect(onlyIssue((m) => ((m.species[0].constant = true), (m.events[0].assignments = { V: 'V * 2' })), 'reactions[0].reactants.A')).toBe(
      'species "A" is constant and cannot be changed by a reaction (mark it "boundary": true)',
    );
  });

  it('an assignment rule and an initial assignment on one variable; two initial assignments on one variable', () => {
    expect(onlyIssue((m) => m.initialAssignments.push({ variable: 'n', expression: '2' }), 'initialAssignments[1].variable')).toBe(
      '"n" is set at all times by rules[1], so it cannot also have an initial assignment',
    );
    expect(onlyIssue((m) => m.initialAssignments.push({ variable: 'k', expression: '2' }), 'initialAssignments[1].variable')).toBe(
      '"k" already has an initial assignment (initialAssignments[0])',
    );
  });

  it('a variable with two rules, of any types', () => {
    expect(onlyIssue((m) => m.rules.push({ variable: 'V', expression: '1' }), 'rules[5].variable')).toBe('"V" already has a rule (rules[0])');
  });

  it('a rate-ruled species changed by a reaction; an event assigning an assignment-ruled variable', () => {
    expect(onlyIssue((m) => (m.rules[2].variable = 'A'), 'reactions[0].reactants.A')).toMatch(
      /species "A" is set by rules\[2\] and cannot also be changed by a reaction/,
    );
    expect(onlyIssue((m) => (m.events[0].assignments = { n: 2 }), 'events[0].assignments.n')).toBe('"n" is set by rules[1] and cannot be assigned by an event');
  });

  it('rule shapes: an assignment rule needs a variable, an algebraic rule has none', () => {
    expect(onlyIssue((m) => delete m.rules[1].variable, 'rules[1]')).toBe('an assignment rule needs a "variable"');
    expect(onlyIssue((m) => (m.rules[3].variable = 'x'), 'rules[3].variable')).toMatch(/an algebraic rule has no variable/);
  });

  it('an algebraic rule must have a variable of its own to determine', () => {
    // y has a rule and f is constant: nothing is left for 0 = f - 2 + y.
    expect(onlyIssue((m) => m.rules.push({ type: 'algebraic', expression: 'f - 2 + y' }), 'rules[5]')).toBe(
      'the algebraic rule determines no variable: every name in it is constant, set by a rule or changed by reactions (a variable it determines must be none of these)',
    );
    // Two algebraic rules over x only: the second has nothing left.
    expect(onlyIssue((m) => m.rules.push({ type: 'algebraic', expression: 'x - 2' }), 'rules[5]')).toBe(
      'the algebraic rule has no variable left to determine: "x" (rules[3]) is already determined by another algebraic rule',
    );
  });

  it('rateOf() takes a variable name; names in delays and priorities are checked', () => {
    expect(onlyIssue((m) => (m.rules[2].expression = 'rateOf(A + 1)'), 'rules[2].expression')).toMatch(
      /rateOf\(\) takes the name of a species, parameter or compartment at column 1/,
    );
    expect(onlyIssue((m) => (m.events[0].delay = 'kk'), 'events[0].delay')).toMatch(/unknown name "kk"/);
    expect(onlyIssue((m) => (m.events[0].priority = '2 * q'), 'events[0].priority')).toMatch(/unknown name "q" at column 5/);
  });

  it('assignment rules still may not form a cycle', () => {
    expect(
      onlyIssue((m) => {
        m.rules[4].expression = 'n + 1';
        m.rules[1].expression = 'y * 2';
      }, 'rules[1]'),
    ).toBe('assignment rules form a cycle: n → y → n');
  });
});
