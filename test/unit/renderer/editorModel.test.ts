import { describe, expect, it } from 'vitest';
import { formatSide, fromModel, parseSide, toModel } from '../../../renderer/src/components/model/editorModel';

describe('the model editor keeps what its tables do not show', () => {
  const imported = {
    name: 'imported',
    compartments: [{ id: 'cell', size: 1e-15, constant: true, dimensions: 3, units: 'litre' }],
    species: [{ id: 'S1', initial: 1.5e-9, compartment: 'cell', amountOnly: false, units: 'mole', name: 'substrate' }],
    parameters: [{ id: 'k1', value: 0.3, units: 'per second', constant: true }],
    reactions: [{ id: 'R1', name: 'decay', reactants: { S1: 1 }, products: {}, propensity: 'k1 * S1 * cell' }],
    rules: [{ type: 'rate', variable: 'k1', expression: '-0.01 * k1' }],
  };

  it('writes back every field of a species, parameter and reaction it does not edit', () => {
    const { model, issues } = toModel(fromModel('imported', imported));
    expect(issues).toEqual([]);
    expect(model.species).toEqual(imported.species);
    expect(model.parameters).toEqual(imported.parameters);
    expect(model.reactions).toEqual(imported.reactions);
    expect(model.compartments).toEqual(imported.compartments);
    expect(model.rules).toEqual(imported.rules);
  });

  it('edits the fields it shows and keeps the rest of the entry', () => {
    const editor = fromModel('imported', imported);
    editor.species[0].initial = '2e-9';
    const species = toModel(editor).model.species as Array<Record<string, unknown>>;
    expect(species[0]).toEqual({ ...imported.species[0], initial: 2e-9 });
  });
});

describe('reaction sides with real and variable coefficients', () => {
  it('reads whole, real and bracketed coefficients', () => {
    expect(parseSide('2 A + B')).toEqual({ A: 2, B: 1 });
    expect(parseSide('0.5 A + 1e-1 B')).toEqual({ A: 0.5, B: 0.1 });
    expect(parseSide('(s1) A + B')).toEqual({ A: 's1', B: 1 });
    expect(parseSide('(s1 + s2) A')).toEqual({ A: 's1 + s2' });
    expect(parseSide('')).toEqual({});
  });

  it('merges a species written twice, as a sum when a coefficient is variable', () => {
    expect(parseSide('A + 2 A')).toEqual({ A: 3 });
    expect(parseSide('A + (s1) A')).toEqual({ A: '1 + s1' });
  });

  it('refuses a term it cannot read or a coefficient that is not positive', () => {
    expect(parseSide('2 + A')).toMatch(/cannot read "2"/);
    expect(parseSide('0 A')).toMatch(/stoichiometry of A must be positive/);
  });

  it('writes what it reads', () => {
    for (const side of [{ A: 2, B: 1 }, { A: 0.5 }, { A: 's1', B: 3 }]) expect(parseSide(formatSide(side))).toEqual(side);
  });
});
