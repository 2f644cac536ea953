/**
 * The Vilar oscillator written in SBML (test/fixtures/sbml/vilar.xml, GillesPy2
 * mass action with volume 1, e.g. gammaC*A*R) is the built-in example once
 * converted to molecule counts (substance unit item: one molecule per unit,
 * model/counts): the same species, parameters and net changes, propensities
 * equal to the example's mass-action propensities at random states, and the
 * same statistics in simulation.
 *
 * Statistics: n = 2,000 runs of each model with independent seeds, to t = 30
 * (past the first peak of A, ~t = 25), final-time mean of each of the 9
 * species compared by the two-sample Z = (m1 − m2) / sqrt(s1²/n + s2²/n),
 * |Z| < 4: 6.3e-5 per species by chance (< 0.1% for all 9), while a wrong
 * rate constant or a lost factor of a propensity moves Z by far more.
 */
import { describe, expect, it } from 'vitest';
import { compileNetwork, evaluateExpression, getExample, validateModel, type CompiledNetwork } from '../../../../engine/model';
import { simulateEnsemble } from '../../../../engine/simulate/ensemble';
import { DirectMethod } from '../../../../engine/simulate/ssa/DirectMethod';
import { toMoleculeCounts } from '../../../../engine/model/counts';
import { importFixture } from './fixtures';

/** The imported model as molecule counts: its species are amounts in items in one compartment of size 1. */
async function importedCounts() {
  const { model } = await importFixture('vilar.xml');
  return toMoleculeCounts(model, { substanceUnit: 'item' }).model;
}

const RUNS = 2_000;
const T_END = 30;

function finalMoments(network: CompiledNetwork, seed: number): Array<{ mean: number; variance: number }> {
  const grid = Float64Array.from([0, T_END]);
  const ensemble = simulateEnsemble(new DirectMethod(network), { runs: RUNS, seed, grid });
  const nS = network.speciesIds.length;
  return network.speciesIds.map((_, s) => {
    const values = Array.from({ length: RUNS }, (_, r) => ensemble.data[(r * nS + s) * 2 + 1]);
    const mean = values.reduce((a, b) => a + b, 0) / RUNS;
    return { mean, variance: values.reduce((a, v) => a + (v - mean) ** 2, 0) / (RUNS - 1) };
  });
}

describe('Vilar oscillator from SBML', () => {
  it('is the built-in network: species, initial counts, parameters, net changes; propensities agree at random states', async () => {
    const imported = compileNetwork(await importedCounts());
    const builtIn = compileNetwork(validateModel(getExample('vilar')));
    expect(imported.speciesIds).toEqual(builtIn.speciesIds);
    expect([...imported.initialState]).toEqual([...builtIn.initialState]);
    // The conversion keeps the compartment's size as a parameter; every other parameter is the example's.
    expect(imported.parameterIds.filter((id) => id !== 'cell')).toEqual(builtIn.parameterIds);
    expect(builtIn.parameterIds.map((id) => imported.parameterValues[imported.parameterIds.indexOf(id)])).toEqual([...builtIn.parameterValues]);
    expect(imported.volume).toBe(1);
    expect(imported.reactions.map((r) => [r.id, r.changes])).toEqual(builtIn.reactions.map((r) => [r.id, r.changes]));

    const parameter = (name: string) => builtIn.parameterValues[builtIn.parameterIds.indexOf(name)];
    let state = 12345;
    const draw = () => (state = (state * 1103515245 + 12345) % 2 ** 31) % 200;
    for (let trial = 0; trial < 100; trial++) {
      const counts = builtIn.speciesIds.map(() => draw());
      const lookup = (name: string) => (builtIn.speciesIds.includes(name) ? counts[builtIn.speciesIds.indexOf(name)] : parameter(name));
      imported.reactions.forEach((reaction, j) => {
        const massAction = builtIn.reactions[j];
        // Unit stoichiometries and volume 1: mass action is k · product of reactant counts.
        const expected = evaluateExpression(massAction.rate!, lookup) * massAction.reactants.reduce((p, r) => p * counts[r.species], 1);
        expect(evaluateExpression(reaction.propensity!, lookup), `${reaction.id} at ${counts}`).toBe(expected);
      });
    }
  });

  it('simulates with the same statistics as the built-in example (two-sample Z on final means, |Z| < 4)', async () => {
    const model = await importedCounts();
    const imported = finalMoments(compileNetwork(model), 11);
    const builtIn = finalMoments(compileNetwork(validateModel(getExample('vilar'))), 12);
    const z = imported.map((a, s) => (a.mean - builtIn[s].mean) / Math.sqrt(a.variance / RUNS + builtIn[s].variance / RUNS));
    const report = model.species
      .map((sp, s) => `${sp.id}: ${imported[s].mean.toFixed(2)} vs ${builtIn[s].mean.toFixed(2)} (Z = ${z[s].toFixed(2)})`)
      .join('\n');
    for (const value of z) expect(Math.abs(value), report).toBeLessThan(4);
    // The oscillator has started: mean A is far from its initial 0 in both.
    expect(imported[model.species.findIndex((s) => s.id === 'A')].mean).toBeGreaterThan(50);
  });
});
