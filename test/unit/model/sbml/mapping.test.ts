/**
 * SBML → reaction network, one mapping rule per test, on the small fixtures
 * in test/fixtures/sbml (each says in a comment what it exercises).
 * Propensities are checked as text where the text is the contract (names,
 * renamings) and by value where only the value matters.
 */
import { describe, expect, it } from 'vitest';
import { compileNetwork, evaluateExpression, parseExpression, type ReactionNetwork } from '../../../../engine/model';
import { toMoleculeCounts } from '../../../../engine/model/counts';
import { simulateEnsemble } from '../../../../engine/simulate/ensemble';
import { DirectMethod } from '../../../../engine/simulate/ssa/DirectMethod';
import { importFixture } from './fixtures';

/** Value of `text` with names from `values` (and vol, compartment sizes and parameters from the model). */
function valueOf(model: ReactionNetwork, text: string | number, values: Record<string, number> = {}): number {
  const parameters = Object.fromEntries(model.parameters.map((p) => [p.id, p.value]));
  const sizes = Object.fromEntries(model.compartments.map((c) => [c.id, c.size]));
  const scope: Record<string, number> = { vol: model.volume, ...sizes, ...parameters, ...values };
  return evaluateExpression(parseExpression(String(text)), (name) => {
    if (!(name in scope)) throw new Error(`no value for ${name}`);
    return scope[name];
  });
}

const reaction = (model: ReactionNetwork, id: string) => model.reactions.find((r) => r.id === id)!;
const messages = (warnings: { message: string; element?: string; id?: string }[]) => warnings.map((w) => `${w.element ?? ''} ${w.id ?? ''}: ${w.message}`);

describe('compartments and species', () => {
  it('one compartment: listed, its size is also the volume; species keep their meaning (amountOnly), initialConcentration × size is the amount', async () => {
    const { model } = await importFixture('single-compartment.xml');
    expect(model.name).toBe('One compartment');
    expect(model.volume).toBe(2);
    expect(model.compartments).toEqual([{ id: 'cell', size: 2, constant: true, dimensions: 3 }]);
    expect(model.species).toEqual([
      { id: 'A', initial: 10, compartment: 'cell', amountOnly: false, name: 'protein A' },
      { id: 'B', initial: 3, compartment: 'cell', amountOnly: true },
      { id: 'C', initial: 0, compartment: 'cell', amountOnly: true },
      { id: 'S', initial: 7, boundary: true, compartment: 'cell', amountOnly: true },
      { id: 'K', initial: 4, compartment: 'cell', amountOnly: true, constant: true },
    ]);
    const r1 = reaction(model, 'R1');
    // The kinetic law as written: A is a concentration species, so "A" means its concentration.
    expect(r1).toMatchObject({ name: 'binding', reactants: { A: 1, B: 1 }, products: { C: 2 }, propensity: 'k * A * B * cell' });
    // k · [A] · B · cell with [A] = 10 / 2 per unit volume: 0.5 · 5 · 3 · 2.
    expect(valueOf(model, r1.propensity!, { A: 10 / 2, B: 3 })).toBe(15);
  });

  it('boundaryCondition species are boundary, constant species constant; modifiers are only read', async () => {
    const { model } = await importFixture('single-compartment.xml');
    expect(reaction(model, 'R2')).toMatchObject({ reactants: { S: 1 }, products: { B: 1 }, propensity: 'k * S * K' });
    expect(model.species.filter((s) => s.boundary).map((s) => s.id)).toEqual(['S']);
    expect(model.species.filter((s) => s.constant).map((s) => s.id)).toEqual(['K']);
  });

  it('several compartments: each is listed with its size, the volume is 1, kinetic laws are as written', async () => {
    const { model } = await importFixture('multi-compartment.xml');
    expect(model.volume).toBe(1);
    expect(model.compartments).toEqual([
      { id: 'cyt', size: 2, constant: true, dimensions: 3, name: 'cytoplasm' },
      { id: 'nuc', size: 0.5, constant: true, dimensions: 3 },
    ]);
    expect(model.parameters).toEqual([
      { id: 'kin', value: 0.3 },
      { id: 'kout', value: 0.1 },
    ]);
    expect(model.species).toEqual([
      { id: 'Pc', initial: 20, compartment: 'cyt', amountOnly: false },
      { id: 'Pn', initial: 2, compartment: 'nuc', amountOnly: false },
    ]);
    expect(reaction(model, 'nuclear_import').propensity).toBe('kin * Pc * cyt');
    expect(reaction(model, 'nuclear_export').propensity).toBe('kout * Pn * nuc');
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
  it('initial assignments are listed as written, targets included (a compartment, a parameter, concentration and amount species); written values stay', async () => {
    const { model } = await importFixture('initial-assignments.xml');
    expect(model.initialAssignments).toEqual([
      { variable: 'cell', expression: 'k' },
      { variable: 'p2', expression: 'k * 3' },
      { variable: 'X', expression: 'n0 * k' },
      { variable: 'Y', expression: 'X + 1' },
      { variable: 'Z', expression: 'n0' }, // Z is a concentration species: this is its concentration
      { variable: 'V', expression: 'p2 + t' },
    ]);
    expect(model.parameters).toContainEqual({ id: 'p2', value: 0 }); // written value (a placeholder)
    const initial = Object.fromEntries(model.species.map((s) => [s.id, s.initial]));
    // W: initialConcentration 1.5 × a size an initial assignment sets: an expression over the compartment.
    expect(initial).toEqual({ X: 0, Y: 0, Z: 0, W: '1.5 * cell', V: 0 });
  });

  it('assignment rules: to a boundary species, a parameter and a concentration species (a concentration), as written', async () => {
    const { model } = await importFixture('assignment-rules.xml');
    expect(model.rules).toEqual([
      { type: 'assignment', variable: 'Y', expression: '2 * X' },
      { type: 'assignment', variable: 'kr', expression: 'k * 3' },
      { type: 'assignment', variable: 'Zc', expression: 'X / 2' },
    ]);
    expect(model.species).toEqual([
      { id: 'X', initial: 10, compartment: 'cell', amountOnly: true },
      { id: 'Y', initial: 0, boundary: true, compartment: 'cell', amountOnly: true },
      { id: 'Zc', initial: 0, compartment: 'cell', amountOnly: false },
    ]);
    expect(model.parameters).toContainEqual({ id: 'kr', value: 0, constant: false });
  });
});

describe('events', () => {
  it('time and state triggers, initialValue, persistent, useValuesFromTriggerTime, assignments to species and parameters; an event without id gets one', async () => {
    const { model } = await importFixture('events.xml');
    expect(model.events).toEqual([
      {
        id: 'stop',
        name: 'stop at tstop',
        trigger: 't >= tstop',
        assignments: { X: 0 },
        initialValue: false,
        persistent: true,
        useValuesFromTriggerTime: true,
      },
      {
        id: 'burst',
        trigger: 'X > 20 && Y < 3',
        assignments: { Y: 'Y + 1', k: 'k * 2' },
        initialValue: true,
        persistent: false,
        useValuesFromTriggerTime: false,
      },
      // Zc is a concentration species: the event sets its concentration to 3.
      { id: 'event3', trigger: '7.5 < t', assignments: { Zc: 3 }, initialValue: true, persistent: true, useValuesFromTriggerTime: true },
    ]);
  });

  it('the imported events act in simulation (as molecule counts): X is 0 at t = 5, the concentration event sets 3 × size after t = 7.5', async () => {
    const { model } = await importFixture('events.xml');
    // "burst" (not persistent, values from execution time) is left out: the count conversion refuses it, and it touches neither X nor Zc.
    const counts = toMoleculeCounts({ ...model, events: model.events.filter((e) => e.id !== 'burst') }, { substanceUnit: 'item' }).model;
    const network = compileNetwork(counts);
    const grid = Float64Array.from([0, 4, 5, 7, 8]);
    const ensemble = simulateEnsemble(new DirectMethod(network), { runs: 50, seed: 7, grid });
    const at = (run: number, species: string, g: number) =>
      ensemble.data[(run * network.speciesIds.length + network.speciesIds.indexOf(species)) * grid.length + g];
    for (let run = 0; run < ensemble.runs; run++) {
      expect(at(run, 'X', 2)).toBe(0);
      expect(at(run, 'Zc', 3)).toBe(0);
      expect(at(run, 'Zc', 4)).toBe(6);
    }
  });
});

describe('levels, names and documentation', () => {
  it('Level 2: default size 1, concentrations (hasOnlySubstanceUnits defaults to false), local parameters, events persistent with initialValue true', async () => {
    const { model } = await importFixture('level2.xml');
    expect(model.compartments).toEqual([{ id: 'cell', size: 1, constant: true, dimensions: 3 }]);
    expect(model.species).toEqual([
      { id: 'X', initial: 100, compartment: 'cell', amountOnly: false },
      { id: 'Y', initial: 3, compartment: 'cell', amountOnly: false },
    ]);
    expect(model.parameters).toEqual([
      { id: 'level', value: 20, constant: false },
      { id: 'conversion_k', value: 0.1 },
    ]);
    expect(reaction(model, 'conversion')).toMatchObject({ reactants: { X: 1 }, products: { Y: 1 }, propensity: 'conversion_k * X' });
    expect(model.events).toEqual([
      { id: 'refill', trigger: 'X < level', assignments: { X: 100 }, initialValue: true, persistent: true, useValuesFromTriggerTime: true },
    ]);
  });

  it('ids the engine reserves are renamed, with a warning each', async () => {
    const { model, warnings, renamed } = await importFixture('reserved-names.xml');
    expect(renamed).toEqual({ time: 'time_', t: 't_', vol: 'vol_' });
    expect(model.compartments.map((c) => c.id)).toEqual(['time_']);
    expect(model.species).toEqual([{ id: 't_', initial: 5, compartment: 'time_', amountOnly: true }]);
    expect(model.parameters).toEqual([{ id: 'vol_', value: 0.2 }]);
    expect(reaction(model, 'decay').propensity).toBe('vol_ * t_ * time_');
    expect(warnings).toContainEqual({ element: 'compartment', id: 'time', message: 'renamed "time_" (t, time and vol are reserved names in the engine)' });
    expect(warnings).toContainEqual({ element: 'species', id: 't', message: 'renamed "t_" (t, time and vol are reserved names in the engine)' });
    expect(warnings).toContainEqual({ element: 'parameter', id: 'vol', message: 'renamed "vol_" (t, time and vol are reserved names in the engine)' });
  });

  it('notes become the description; annotations, SBO terms, units, constraints and optional packages are warned about', async () => {
    const { model, warnings } = await importFixture('documentation.xml');
    expect(model.description).toBe('A birth & death process, documented.');
    const text = messages(warnings).join('\n');
    expect(text).toMatch(/package "layout" is not supported; its elements are ignored/);
    expect(text).toMatch(/substance units "mole" are kept as written/);
    expect(text).toMatch(/unit definitions \(per_second\) are not applied/);
    expect(text).toMatch(/1 constraint is not checked/);
    expect(text).toMatch(/annotations and SBO terms are not imported \(on species "X", reaction "death"\)/);
    expect(text).toMatch(/notes are not imported \(on reaction "death"\)/);
  });

  it("libSBML's consistency warnings come with line and column; undeclared units are summarised once", async () => {
    const { warnings } = await importFixture('local-parameters.xml');
    expect(warnings).toContainEqual({
      line: 19,
      column: 34,
      message: "libSBML: In this instance the local parameter with id 'k' will shadow the 'Parameter' with an identical id.",
    });
    expect(warnings.filter((w) => /units are undeclared/.test(w.message))).toHaveLength(1);
  });
});
