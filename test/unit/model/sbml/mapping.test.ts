/**
 * SBML → reaction network, one mapping rule per test, on the small fixtures
 * in test/fixtures/sbml (each says in a comment what it exercises).
 * Propensities are checked as text where the text is the contract (names,
 * renamings) and by value where only the value matters.
 */
import { describe, expect, it } from 'vitest';
import { compileNetwork, evaluateExpression, parseExpression, type ReactionNetwork } from '../../../../engine/model';
import { simulateEnsemble } from '../../../../engine/simulate/ensemble';
import { DirectMethod } from '../../../../engine/simulate/ssa/DirectMethod';
import { importFixture } from './fixtures';

/** Value of `text` with names from `values` (and vol from the model). */
function valueOf(model: ReactionNetwork, text: string | number, values: Record<string, number> = {}): number {
  const parameters = Object.fromEntries(model.parameters.map((p) => [p.id, p.value]));
  const scope: Record<string, number> = { vol: model.volume, ...parameters, ...values };
  return evaluateExpression(parseExpression(String(text)), (name) => {
    if (!(name in scope)) throw new Error(`no value for ${name}`);
    return scope[name];
  });
}

const reaction = (model: ReactionNetwork, id: string) => model.reactions.find((r) => r.id === id)!;
const messages = (warnings: { message: string; element?: string; id?: string }[]) => warnings.map((w) => `${w.element ?? ''} ${w.id ?? ''}: ${w.message}`);

describe('compartments and species', () => {
  it('one compartment: its size is the volume, concentrations read amount / vol, initialConcentration × size is the count', async () => {
    const { model } = await importFixture('single-compartment.xml');
    expect(model.name).toBe('One compartment');
    expect(model.volume).toBe(2);
    expect(model.species).toEqual([
      { id: 'A', initial: 10, name: 'protein A' },
      { id: 'B', initial: 3 },
      { id: 'C', initial: 0 },
      { id: 'S', initial: 7, boundary: true },
      { id: 'K', initial: 4, boundary: true },
    ]);
    const r1 = reaction(model, 'R1');
    expect(r1).toMatchObject({ name: 'binding', reactants: { A: 1, B: 1 }, products: { C: 2 }, propensity: 'k * (A / vol) * B * vol' });
    // k · [A] · B · cell with [A] = 10 / 2 molecules per unit volume: 0.5 · 5 · 3 · 2.
    expect(valueOf(model, r1.propensity!, { A: 10, B: 3 })).toBe(15);
  });

  it('boundaryCondition and constant species are boundary: read by reactions, never changed by them; modifiers are only read', async () => {
    const { model } = await importFixture('single-compartment.xml');
    expect(reaction(model, 'R2')).toMatchObject({ reactants: { S: 1 }, products: { B: 1 }, propensity: 'k * S * K' });
    const network = compileNetwork(model);
    const r2 = network.reactions.find((r) => r.id === 'R2')!;
    expect(r2.changes).toEqual([{ species: network.speciesIds.indexOf('B'), delta: 1 }]);
  });

  it('several compartments: each size is a parameter and concentrations stay explicit', async () => {
    const { model } = await importFixture('multi-compartment.xml');
    expect(model.volume).toBe(1);
    expect(model.parameters).toEqual([
      { id: 'kin', value: 0.3 },
      { id: 'kout', value: 0.1 },
      { id: 'cyt', value: 2, name: 'cytoplasm' },
      { id: 'nuc', value: 0.5 },
    ]);
    expect(model.species).toEqual([
      { id: 'Pc', initial: 20 },
      { id: 'Pn', initial: 2 },
    ]);
    expect(reaction(model, 'nuclear_import').propensity).toBe('kin * (Pc / cyt) * cyt');
    expect(reaction(model, 'nuclear_export').propensity).toBe('kout * (Pn / nuc) * nuc');
  });
});

describe('parameters and reactions', () => {
  it('local parameters become <reaction>_<id>, avoiding existing ids; a global of the same id stays global', async () => {
    const { model } = await importFixture('local-parameters.xml');
    expect(model.parameters).toEqual([
      { id: 'k', value: 1 },
      { id: 'R2_k', value: 9 },
      { id: 'R1_k', value: 2 },
      { id: 'R2_k_2', value: 0.5 },
    ]);
    expect(reaction(model, 'R1').propensity).toBe('R1_k');
    expect(reaction(model, 'R2').propensity).toBe('R2_k_2 * X * R2_k');
    expect(reaction(model, 'R3').propensity).toBe('k * X');
  });

  it('stoichiometries add up per species, a catalyst appears on both sides, an unset one is 1 with a warning', async () => {
    const { model, warnings } = await importFixture('stoichiometry.xml');
    expect(reaction(model, 'trimer')).toMatchObject({ reactants: { A: 2, B: 1 }, products: { C: 3 }, propensity: 'k * A * (A - 1) * B' });
    expect(reaction(model, 'catalysis')).toMatchObject({ reactants: { E: 1, C: 1 }, products: { E: 1 } });
    expect(warnings).toContainEqual({ element: 'reaction', id: 'catalysis', message: 'no stoichiometry given for species "C"; taken as 1' });
  });

  it('function definitions are inlined, also nested ones', async () => {
    const { model } = await importFixture('functions.xml');
    const { propensity } = reaction(model, 'expression');
    expect(propensity).not.toMatch(/activation|twice|hill_up/);
    // kmax · 2 · A² / (10² + A²) at A = 5: 3 · 2 · 25 / 125.
    expect(valueOf(model, propensity!, { A: 5 })).toBeCloseTo(1.2, 14);
  });
});

describe('initial assignments and assignment rules', () => {
  it('initial assignments: expressions over parameters are kept, others evaluated at t = 0; parameters and sizes get values', async () => {
    const { model } = await importFixture('initial-assignments.xml');
    expect(model.volume).toBe(2); // cell := k
    expect(model.parameters).toContainEqual({ id: 'p2', value: 6 }); // p2 := k · 3
    const initial = Object.fromEntries(model.species.map((s) => [s.id, s.initial]));
    expect(initial).toEqual({
      X: 'n0 * k', // over parameters: the engine evaluates it, so changing k or n0 changes X(0)
      Y: 21, // X + 1 reads a species: evaluated here
      Z: 20, // concentration n0 in a compartment of size 2
      W: 3, // initialConcentration 1.5 × the assigned size 2
      V: 6, // p2 + time, time = 0
    });
    const network = compileNetwork(model);
    expect(network.initialExpressions[network.speciesIds.indexOf('X')]).not.toBeNull();
  });

  it('assignment rules: to a boundary species, a parameter and a concentration species (rule × size); values at t = 0 follow them', async () => {
    const { model } = await importFixture('assignment-rules.xml');
    expect(model.rules).toEqual([
      { variable: 'Y', expression: '2 * X' },
      { variable: 'kr', expression: 'k * 3' },
      { variable: 'Zc', expression: 'X / 2 * vol' },
    ]);
    expect(model.species).toEqual([
      { id: 'X', initial: 10 },
      { id: 'Y', initial: 20, boundary: true },
      { id: 'Zc', initial: 20 },
    ]);
    expect(model.parameters).toContainEqual({ id: 'kr', value: 3 });
  });
});

describe('events', () => {
  it('time and state triggers, initialValue, assignments to species and parameters; an event without id gets one', async () => {
    const { model } = await importFixture('events.xml');
    expect(model.events).toEqual([
      { id: 'stop', name: 'stop at tstop', trigger: 't >= tstop', assignments: { X: '0' }, initialValue: false },
      { id: 'burst', trigger: 'X > 20 && Y < 3', assignments: { Y: 'Y + 1', k: 'k * 2' }, initialValue: true },
      { id: 'event3', trigger: '7.5 < t', assignments: { Zc: '3 * vol' }, initialValue: true },
    ]);
  });

  it('the imported events act in simulation: X is 0 at t = 5, the concentration event sets 3 × size after t = 7.5', async () => {
    const { model } = await importFixture('events.xml');
    const network = compileNetwork(model);
    const grid = Float64Array.from([0, 4, 5, 7, 8]);
    const ensemble = simulateEnsemble(new DirectMethod(network), { runs: 50, seed: 7, grid });
    const at = (run: number, species: string, g: number) => ensemble.data[(run * network.speciesIds.length + network.speciesIds.indexOf(species)) * grid.length + g];
    for (let run = 0; run < ensemble.runs; run++) {
      expect(at(run, 'X', 2)).toBe(0);
      expect(at(run, 'Zc', 3)).toBe(0);
      expect(at(run, 'Zc', 4)).toBe(6);
    }
  });
});

describe('levels, names and documentation', () => {
  it('Level 2: default size 1, concentrations, reversible (warned), local parameters, triggers without initialValue', async () => {
    const { model, warnings } = await importFixture('level2.xml');
    expect(model.species).toEqual([
      { id: 'X', initial: 100 },
      { id: 'Y', initial: 3 },
    ]);
    expect(model.parameters).toEqual([
      { id: 'level', value: 20 },
      { id: 'conversion_k', value: 0.1 },
    ]);
    expect(reaction(model, 'conversion')).toMatchObject({ reactants: { X: 1 }, products: { Y: 1 }, propensity: 'conversion_k * (X / vol)' });
    expect(model.events).toEqual([{ id: 'refill', trigger: 'X / vol < level', assignments: { X: '100 * vol' }, initialValue: true }]);
    expect(messages(warnings).join('\n')).toMatch(/reaction conversion: reversible/);
  });

  it('ids the engine reserves are renamed, with a warning each', async () => {
    const { model, warnings } = await importFixture('reserved-names.xml');
    expect(model.species).toEqual([{ id: 't_', initial: 5 }]);
    expect(model.parameters).toEqual([{ id: 'vol_', value: 0.2 }]);
    expect(reaction(model, 'decay').propensity).toBe('vol_ * t_ * vol');
    expect(warnings).toContainEqual({ element: 'species', id: 't', message: 'renamed "t_" (t, time and vol are reserved names in the engine)' });
    expect(warnings).toContainEqual({ element: 'parameter', id: 'vol', message: 'renamed "vol_" (t, time and vol are reserved names in the engine)' });
  });

  it('notes become the description; annotations, SBO terms, units, constraints and optional packages are warned about', async () => {
    const { model, warnings } = await importFixture('documentation.xml');
    expect(model.description).toBe('A birth & death process, documented.');
    const text = messages(warnings).join('\n');
    expect(text).toMatch(/package "layout" is not supported; its elements are ignored/);
    expect(text).toMatch(/substance units "mole" are not converted/);
    expect(text).toMatch(/unit definitions \(per_second\) are not applied/);
    expect(text).toMatch(/1 constraint is not checked/);
    expect(text).toMatch(/annotations and SBO terms are not imported \(on species "X", reaction "death"\)/);
    expect(text).toMatch(/notes are not imported \(on reaction "death"\)/);
  });

  it("libSBML's consistency warnings come with line and column; undeclared units are summarised once", async () => {
    const { warnings } = await importFixture('local-parameters.xml');
    expect(warnings).toContainEqual({ line: 19, column: 34, message: "libSBML: In this instance the local parameter with id 'k' will shadow the 'Parameter' with an identical id." });
    expect(warnings.filter((w) => /units are undeclared/.test(w.message))).toHaveLength(1);
  });
});
