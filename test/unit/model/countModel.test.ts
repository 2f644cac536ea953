import { describe, expect, it } from 'vitest';
import { ModelNotCountsError } from '../../../engine/errors/index.js';
import { compileNetwork } from '../../../engine/model/compile.js';
import { assertCountModel, beyondCounts } from '../../../engine/model/countModel.js';
import { exampleNames, getExample } from '../../../engine/model/index.js';
import { reactionNetworkSchema, type ReactionNetworkInput } from '../../../engine/model/schema.js';

const parse = (input: ReactionNetworkInput) => reactionNetworkSchema.parse(input);
const birthDeath: ReactionNetworkInput = {
  name: 'bd',
  species: [{ id: 'X', initial: 10 }],
  parameters: [{ id: 'k', value: 1 }],
  reactions: [
    { id: 'birth', products: { X: 1 }, rate: 'k' },
    { id: 'death', reactants: { X: 1 }, rate: 0.1 },
  ],
};

describe('which models the count-based simulators run', () => {
  it('accepts every built-in example and a plain count model', () => {
    expect(beyondCounts(parse(birthDeath))).toEqual([]);
    expect(exampleNames().length).toBeGreaterThan(2);
    for (const name of exampleNames()) expect(beyondCounts(parse(getExample(name)!)), name).toEqual([]);
  });

  it('names every feature beyond counts with the path of its field', () => {
    const model = parse({
      ...birthDeath,
      compartments: [{ id: 'cell', size: 2 }],
      species: [{ id: 'X', initial: 0.5, compartment: 'cell', amountOnly: false }],
      reactions: [
        { id: 'birth', products: { X: 's1' }, propensity: 'k * t' },
        { id: 'death', reactants: { X: 1.5 }, propensity: 'delay(X, 2)' },
      ],
      rules: [{ type: 'rate', variable: 'k', expression: '0.1' }],
      initialAssignments: [{ variable: 'k', expression: '2' }],
      events: [{ id: 'e', trigger: 't > 1', assignments: { k: 3 }, delay: 1, persistent: false }],
    });
    const issues = beyondCounts(model);
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'compartments',
        'species[0].initial',
        'species[0].amountOnly',
        'reactions[0].products.X',
        'reactions[0].propensity',
        'reactions[1].reactants.X',
        'reactions[1].propensity',
        'rules[0]',
        'initialAssignments',
        'events[0].delay',
        'events[0].persistent',
      ]),
    );
    expect(issues.find((i) => i.path === 'species[0].initial')?.message).toMatch(/0\.5 of "X" is not a whole number of molecules/);
    expect(issues.find((i) => i.path === 'reactions[1].propensity')?.message).toMatch(/delay\(\)/);
    expect(issues.find((i) => i.path === 'reactions[0].propensity')?.message).toMatch(/depends on the time t/);
  });

  it('makes compileNetwork refuse such a model, naming the method and what to do', () => {
    const model = parse({ ...birthDeath, species: [{ id: 'X', initial: 2.5 }] });
    expect(() => compileNetwork(model, 'tau')).toThrow(ModelNotCountsError);
    try {
      assertCountModel(model, 'tau');
    } catch (error) {
      expect((error as ModelNotCountsError).code).toBe('MODEL_NOT_COUNTS');
      expect((error as Error).message).toMatch(/^method tau simulates molecule counts/);
      expect((error as Error).message).toMatch(/species\[0\]\.initial: initial amount 2\.5 of "X"/);
      expect((error as Error).message).toMatch(/method ode/);
    }
  });
});
