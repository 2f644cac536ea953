/**
 * The conversion keeps SBML semantics, checked against the SBML Test Suite's
 * analytic and simulated answers: every 11th semantic TimeCourse case
 * (fixture test/fixtures/sbml-test-suite/cases.tar.gz) is imported and
 * converted with F = 1e12 molecules per unit of substance (so rounding the
 * initial counts changes them by < 1e-12 relative); its count model is
 * integrated by the classic count ODE (rtol 1e-10) and every species column
 * of the expected results is compared, as an amount (count / F) or a
 * concentration (count / (F × size)), within the case's own tolerances
 * (|x − expected| ≤ absolute + relative × |expected|, 1e-7 and 1e-4 for most).
 *
 * A case either converts and matches, or is refused with a
 * CountConversionError (rate rules, delays...), or does not import (the
 * importer's business, tested elsewhere);
 * any other outcome fails. Over all 1,821 cases this gives (measured
 * 2026-12-05): 673 converted and matching, 996 refused, 9 with no species
 * column to compare, 1 mismatch, 01809, where the importer gives a species
 * with an initial concentration in a 0-dimensional compartment the initial
 * amount 0 instead of 2 (an import problem, not a conversion one).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { compileNetwork } from '../../../../engine/model/compile';
import { CountConversionError, toMoleculeCounts } from '../../../../engine/model/counts';
import { importSbml } from '../../../../engine/model/sbml';
import { OdeSolver } from '../../../../engine/simulate';
import { caseGrid, expectCountsMatch, unpackSuite } from '../../sbmlSuiteCounts';
import { createRequire } from 'node:module';

const WASM = createRequire(import.meta.url).resolve('libsbmljs_stable/libsbml.wasm');
const F = 1e12;

const suite = unpackSuite('sciope-counts-suite-');
const CASES = suite.caseIds.filter((id) => Number(id) % 11 === 0);
afterAll(() => suite.remove());

type Outcome = 'matches' | 'refused' | 'not imported' | 'nothing to compare';

async function runCase(id: string): Promise<Outcome> {
  let model;
  try {
    model = (await importSbml(suite.modelText(id), { wasm: WASM, source: id })).model;
  } catch {
    // Import is tested in test/unit/model/sbml and test/unit/sbmlSuite; here only converted models matter.
    return 'not imported';
  }
  let counts;
  try {
    counts = toMoleculeCounts(model, { substanceUnit: F }).model;
  } catch (error) {
    if (error instanceof CountConversionError) return 'refused';
    throw error;
  }
  const grid = caseGrid(suite.semantic, id);
  const network = compileNetwork(counts, 'ode');
  const ode = new OdeSolver(network, { rtol: 1e-10, atol: 1e-3 });
  const out = new Float64Array(network.speciesIds.length * grid.length);
  ode.simulateInto(out, grid, ode.defaultParameters, new Uint32Array(4));
  return expectCountsMatch(suite.semantic, id, model, counts, network.speciesIds, out, F) > 0 ? 'matches' : 'nothing to compare';
}

describe('count models of SBML Test Suite cases follow the expected results (every 11th case)', () => {
  const outcomes = new Map<Outcome, number>();

  it.for(CASES)('case %s converts and matches, or is refused with reasons', async (id) => {
    const outcome = await runCase(id);
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  });

  it('converts a good share of them (measured 2026-12-05: 59 match, 88 refused, 13 not imported, 1 without species columns, of 161)', () => {
    expect(CASES.length).toBeGreaterThan(150);
    // A floor a little under the measured 59, so an importer that refuses a few more cases does not fail this test.
    expect(outcomes.get('matches') ?? 0).toBeGreaterThanOrEqual(50);
  });
});
