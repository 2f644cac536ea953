import { describe, expect, it } from 'vitest';
import { AVOGADRO, readSubstanceUnit } from '../../../../engine/model/counts';

describe('readSubstanceUnit', () => {
  it.for([
    ['mole', AVOGADRO, 'mol'],
    ['mol', AVOGADRO, 'mol'],
    ['mmol', 6.02214076e20, 'mmol'],
    ['millimole', 6.02214076e20, 'mmol'],
    ['µmol', 6.02214076e17, 'µmol'],
    ['umol', 6.02214076e17, 'µmol'],
    ['micromole', 6.02214076e17, 'µmol'],
    ['nmol', 6.02214076e14, 'nmol'],
    ['nanomole', 6.02214076e14, 'nmol'],
    ['pmol', 6.02214076e11, 'pmol'],
    ['fmol', 6.02214076e8, 'fmol'],
    ['kmol', 6.02214076e26, 'kmol'],
    ['Mmol', 6.02214076e29, 'Mmol'],
    ['cmol', 6.02214076e21, 'cmol'],
    ['Mole', AVOGADRO, 'mol'],
    ['item', 1, 'molecule'],
    ['items', 1, 'molecule'],
    ['molecules', 1, 'molecule'],
  ] as const)('%s is %d molecules', ([text, molecules, symbol]) => {
    const unit = readSubstanceUnit(text);
    expect(unit.known).toBe(true);
    // Exact to the last bit: the prefix divides N_A by an exact power of ten.
    expect(unit.moleculesPerUnit).toBe(molecules);
    expect(unit.symbol).toBe(symbol);
  });

  it('reads a multiplier written before or after the unit', () => {
    expect(readSubstanceUnit('1e-3 mole').moleculesPerUnit).toBeCloseTo(6.02214076e20, -6);
    expect(readSubstanceUnit('0.001*mole').moleculesPerUnit).toBeCloseTo(6.02214076e20, -6);
    expect(readSubstanceUnit('mole * 1e-6').moleculesPerUnit).toBeCloseTo(6.02214076e17, -3);
    expect(readSubstanceUnit('10^-9 mole').moleculesPerUnit).toBeCloseTo(6.02214076e14, -1);
    expect(readSubstanceUnit('1000 items').moleculesPerUnit).toBe(1000);
    // As the SBML importer writes unit definitions with a scale or multiplier it has no prefix for (unitNames.ts).
    expect(readSubstanceUnit('10^-4·mol').moleculesPerUnit).toBeCloseTo(6.02214076e19, -5);
    expect(readSubstanceUnit('1.5·mmol').moleculesPerUnit).toBeCloseTo(9.03321114e20, -6);
    expect(readSubstanceUnit('1E-3 mole').moleculesPerUnit).toBeCloseTo(6.02214076e20, -6);
  });

  it('reads the substance part of a concentration unit and says so', () => {
    const unit = readSubstanceUnit('mmol/l');
    expect(unit.moleculesPerUnit).toBe(6.02214076e20);
    expect(unit.note).toBe('read "mmol/l" as its substance part "mmol"');
  });

  it('takes dimensionless and unknown units as counts, with a note', () => {
    expect(readSubstanceUnit('dimensionless')).toMatchObject({ moleculesPerUnit: 1, known: false });
    expect(readSubstanceUnit('dimensionless').note).toMatch(/not a unit of substance/);
    const unknown = readSubstanceUnit('gram');
    expect(unknown).toMatchObject({ moleculesPerUnit: 1, known: false });
    expect(unknown.note).toBe('unknown substance unit "gram": amounts are read as molecule counts (pass the unit or a factor to convert)');
  });
});
