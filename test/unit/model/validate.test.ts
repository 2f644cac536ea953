/**
 * validateModel: every problem is reported with the path of its field and
 * what was expected, all at once, in a ModelValidationError.
 */
import { describe, expect, it } from 'vitest';
import { EngineError, ModelValidationError, type ValidationIssue } from '../../../engine/errors';
import { EXAMPLES, exampleNames, formatPath, validateModel } from '../../../engine/model';

/** A small valid model; each test breaks one thing in a fresh copy. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests write invalid shapes into the model on purpose
function baseModel(): Record<string, any> {
  return {
    name: 'base',
    species: [
      { id: 'X', initial: 5 },
      { id: 'Protein', initial: 0 },
    ],
    parameters: [
      { id: 'k', value: 1 },
      { id: 'decay', value: 0.1 },
    ],
    reactions: [
      { id: 'make', products: { Protein: 1 }, rate: 'k' },
      { id: 'degrade', reactants: { Protein: 1 }, rate: 'decay' },
      { id: 'convert', reactants: { X: 1 }, products: { Protein: 1 }, propensity: 'k*X/(1 + Protein)' },
    ],
    time: { end: 10, points: 11 },
  };
}

/** The issues validateModel reports for `model`; fails the test if it validates. */
function issuesOf(model: unknown): ValidationIssue[] {
  try {
    validateModel(model);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelValidationError);
    return (error as ModelValidationError).issues;
  }
  throw new Error('expected validateModel to reject the model');
}

/** The single issue reported after `edit`, checked for its path. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests write invalid shapes into the model on purpose
function onlyIssue(edit: (m: Record<string, any>) => void, path: string): string {
  const model = baseModel();
  edit(model);
  const issues = issuesOf(model);
  expect(issues.map((i) => i.path)).toEqual([path]);
  return issues[0].message;
}

describe('validateModel', () => {
  it('accepts the base model and fills in defaults', () => {
    const model = validateModel(baseModel());
    expect(model.volume).toBe(1);
    expect(model.reactions[0].reactants).toEqual({});
  });

  it.each(exampleNames())('accepts the built-in example %s', (name) => {
    expect(() => validateModel(EXAMPLES[name], name)).not.toThrow();
  });

  it('has 8 built-in examples', () => {
    expect(exampleNames()).toHaveLength(8);
  });

  describe('cross-references', () => {
    it('an unknown species in reactants names the stoichiometry entry and suggests the near miss', () => {
      const message = onlyIssue((m) => (m.reactions[1].reactants = { Y: 1 }), 'reactions[1].reactants.Y');
      expect(message).toMatch(/unknown species "Y"/);
      expect(message).toContain('did you mean "X"?');
    });

    it('suggests case-insensitive matches (protein → Protein) in products too', () => {
      const message = onlyIssue((m) => (m.reactions[0].products = { protein: 1 }), 'reactions[0].products.protein');
      expect(message).toContain('did you mean "Protein"?');
    });

    it('does not suggest anything for a name far from every species', () => {
      const message = onlyIssue((m) => (m.reactions[0].products = { mRNA: 1 }), 'reactions[0].products.mRNA');
      expect(message).toMatch(/unknown species "mRNA"$/);
    });

    it('an unknown parameter in a rate names the column and says what a rate may use', () => {
      const message = onlyIssue((m) => (m.reactions[0].rate = '2*kk'), 'reactions[0].rate');
      expect(message).toContain('unknown parameter "kk" at column 3 of "2*kk"');
      expect(message).toMatch(/parameters and vol only/);
    });

    it('a species in a mass-action rate is rejected with a hint to write a propensity', () => {
      const message = onlyIssue((m) => (m.reactions[1].rate = 'decay*Protein'), 'reactions[1].rate');
      expect(message).toContain('"Protein"');
      expect(message).toContain('column 7');
      expect(message).toMatch(/write a "propensity"/);
    });

    it('time is not allowed in a rate constant', () => {
      expect(onlyIssue((m) => (m.reactions[0].rate = 'k*t'), 'reactions[0].rate')).toMatch(/"t" cannot appear in a rate constant at column 3/);
    });

    it('an unknown name in a propensity suggests the near miss', () => {
      const message = onlyIssue((m) => (m.reactions[2].propensity = 'k*x'), 'reactions[2].propensity');
      expect(message).toMatch(/unknown name "x" at column 3/);
      expect(message).toMatch(/expected a species, a parameter, vol or t/);
      expect(message).toContain('did you mean "X"?');
    });

    it('a duplicate id across species and parameters names both places', () => {
      const message = onlyIssue((m) => m.parameters.push({ id: 'X', value: 2 }), 'parameters[2].id');
      expect(message).toMatch(/duplicate id "X" \(already used by species\[0\]\.id\)/);
      expect(message).toMatch(/species, parameters and compartments share one namespace/);
    });

    it('duplicate species ids and duplicate reaction ids are reported', () => {
      expect(onlyIssue((m) => m.species.push({ id: 'X', initial: 1 }), 'species[2].id')).toMatch(/duplicate id "X"/);
      expect(onlyIssue((m) => (m.reactions[2].id = 'make'), 'reactions[2].id')).toMatch(/duplicate reaction id "make" \(already reactions\[0\]\)/);
    });

    it('the reserved name vol (and t) cannot be declared', () => {
      expect(onlyIssue((m) => m.species.push({ id: 'vol', initial: 0 }), 'species[2].id')).toMatch(/"vol" is reserved/);
      expect(onlyIssue((m) => m.parameters.push({ id: 't', value: 0 }), 'parameters[2].id')).toMatch(/"t" is reserved/);
    });

    it('a reaction needs exactly one of rate and propensity', () => {
      const neither = onlyIssue((m) => delete m.reactions[0].rate, 'reactions[0]');
      expect(neither).toMatch(/needs exactly one of "rate" \(mass-action constant\) or "propensity" \(custom expression\)/);
      const both = onlyIssue((m) => (m.reactions[0].propensity = 'k'), 'reactions[0]');
      expect(both).toMatch(/needs exactly one of "rate"/);
    });

    it('a reaction with neither reactants nor products is rejected', () => {
      expect(onlyIssue((m) => (m.reactions[0].products = {}), 'reactions[0]')).toMatch(/neither reactants nor products/);
    });

    it('a negative numeric rate is rejected', () => {
      expect(onlyIssue((m) => (m.reactions[0].rate = -1), 'reactions[0].rate')).toMatch(/expected a non-negative rate, got -1/);
    });

    it.each([
      ['k*(2+', 'reactions[0].rate', 6],
      ['k * * X', 'reactions[2].propensity', 5],
    ])('bad expression syntax "%s" names the field and the column', (text, path, column) => {
      const message = onlyIssue((m) => {
        if (path.endsWith('rate')) m.reactions[0].rate = text;
        else m.reactions[2].propensity = text;
      }, path);
      expect(message).toContain(`at column ${column} of "${text}"`);
      expect(message).toMatch(/expected an operand/);
    });
  });

  describe('structure', () => {
    it.each([
      [Infinity, /expected a finite initial amount/],
      [NaN, /expected a finite initial amount/],
      [true, /expected an initial amount \(number\) or an expression over parameters/],
      ['', /expected a non-empty expression/],
    ])('initial amount %s is rejected at species[0].initial', (initial, message) => {
      expect(onlyIssue((m) => (m.species[0].initial = initial), 'species[0].initial')).toMatch(message);
    });

    it('real and negative initial amounts are accepted (the stochastic methods refuse them when they compile the model)', () => {
      for (const initial of [2.5, -1, 1e-20]) {
        const model = baseModel();
        model.species[0].initial = initial;
        expect(validateModel(model).species[0].initial).toBe(initial);
      }
    });

    it('unknown fields are named, at the level where they appear', () => {
      const model = baseModel();
      model.reactions[1].rat = 'k';
      model.colour = 'blue';
      const issues = issuesOf(model);
      expect(issues).toContainEqual({ path: 'reactions[1]', message: 'unknown field "rat"' });
      expect(issues).toContainEqual({ path: '(model)', message: 'unknown field "colour"' });
    });

    it('non-positive stoichiometries are rejected at the entry; real ones and expressions are accepted', () => {
      expect(onlyIssue((m) => (m.reactions[1].reactants = { Protein: 0 }), 'reactions[1].reactants.Protein')).toMatch(/expected a positive stoichiometry/);
      expect(onlyIssue((m) => (m.reactions[1].reactants = { Protein: -2 }), 'reactions[1].reactants.Protein')).toMatch(/expected a positive stoichiometry/);
      expect(onlyIssue((m) => (m.reactions[1].reactants = { Protein: true }), 'reactions[1].reactants.Protein')).toMatch(
        /expected a stoichiometric coefficient \(positive number\) or an expression/,
      );
      const model = baseModel();
      model.reactions[1].reactants = { Protein: 0.5 };
      model.reactions[2].products = { Protein: '2 * k + t' };
      expect(validateModel(model).reactions[2].products).toEqual({ Protein: '2 * k + t' });
    });

    it('an empty model is rejected; empty species or reaction lists are not', () => {
      expect(onlyIssue((m) => ((m.species = []), (m.reactions = []), (m.parameters = [])), '(model)')).toMatch(
        /expected at least one species, reaction or rule/,
      );
      // Without species, the reactions name unknown ones (X and Protein in the propensity: two issues on one path).
      expect([...new Set(issuesOf({ ...baseModel(), species: [] }).map((i) => i.path))]).toEqual([
        'reactions[0].products.Protein',
        'reactions[1].reactants.Protein',
        'reactions[2].reactants.X',
        'reactions[2].products.Protein',
        'reactions[2].propensity',
      ]);
      expect(() => validateModel({ ...baseModel(), reactions: [] })).not.toThrow();
    });

    it('an invalid identifier says what a name may contain', () => {
      expect(onlyIssue((m) => (m.species[0].id = '2X'), 'species[0].id')).toMatch(/letters, digits and _, not starting with a digit/);
    });

    it.each([
      [{ end: 0, points: 11 }, 'time.end', /expected an end time > 0/],
      [{ end: -5, points: 11 }, 'time.end', /expected an end time > 0/],
      [{ end: Infinity, points: 11 }, 'time.end', /expected a (finite )?number/],
      [{ end: 10, points: 1 }, 'time.points', /expected at least 2 output points/],
      [{ end: 10, points: 10.5 }, 'time.points', /expected an integer number of output points/],
      [{ end: 10 }, 'time.points', /expected a number of output points/],
    ])('time span %j is rejected at %s', (time, path, message) => {
      expect(onlyIssue((m) => (m.time = time), path)).toMatch(message);
    });

    it('a model that is not an object is rejected', () => {
      expect(issuesOf(null).length).toBeGreaterThan(0);
      expect(issuesOf([]).length).toBeGreaterThan(0);
    });
  });

  describe('the error', () => {
    it('lists every cross-reference problem, not just the first', () => {
      const model = baseModel();
      model.reactions[0].products = { Y: 1 };
      model.reactions[1].rate = 'kk';
      model.reactions[2].propensity = 'k*(';
      model.parameters.push({ id: 'X', value: 1 });
      const paths = issuesOf(model).map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['parameters[2].id', 'reactions[0].products.Y', 'reactions[1].rate', 'reactions[2].propensity']));
      expect(paths).toHaveLength(4);
    });

    it('lists every structural problem, not just the first', () => {
      const model = baseModel();
      model.species[0].initial = 'k*';
      model.species[1].initial = Infinity;
      model.reactions[0].foo = 1;
      model.time = { end: -1, points: 0 };
      const paths = issuesOf(model).map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['species[1].initial', 'reactions[0]', 'time.end', 'time.points']));
    });

    it('lists structural and cross-reference problems together', () => {
      const model = baseModel();
      model.species[0].initial = NaN;
      model.reactions[1].rate = 'kk';
      const paths = issuesOf(model).map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['species[0].initial', 'reactions[1].rate']));
    });

    it('is an EngineError with a stable code, a message naming the source and each problem, and JSON details', () => {
      const model = baseModel();
      model.reactions[1].rate = 'kk';
      model.species[0].id = 'vol';
      let error: unknown;
      try {
        validateModel(model, 'models/base.json');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(EngineError);
      const e = error as ModelValidationError;
      expect(e.name).toBe('ModelValidationError');
      expect(e.code).toBe('MODEL_INVALID');
      expect(e.message).toMatch(/^models\/base\.json: invalid model \(\d+ problems\):/);
      for (const issue of e.issues) expect(e.message).toContain(`  ${issue.path}: ${issue.message}`);
      const json = JSON.parse(JSON.stringify(e));
      expect(json).toMatchObject({ name: 'ModelValidationError', code: 'MODEL_INVALID', details: { source: 'models/base.json' } });
      expect(json.details.issues).toEqual(e.issues);
    });
  });

  it('formatPath writes zod paths the way the messages do', () => {
    expect(formatPath(['reactions', 3, 'reactants', 'Y'])).toBe('reactions[3].reactants.Y');
    expect(formatPath([])).toBe('(model)');
  });
});
