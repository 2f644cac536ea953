/**
 * The Discrete Stochastic Models Test Suite (Evans, Gillespie & Wilkinson
 * 2008, doi:10.1093/bioinformatics/btm566) against the direct method.
 *
 * Cases: those expressible in our JSON format that differ from each other in
 * values, not in SBML features: birth-death 00001, 00003-00005;
 * immigration-death 00020, 00021, 00023; dimerisation 00030 (mass action),
 * 00031 (custom propensity), 00034 and 00035 (P eliminated by conservation,
 * custom propensities); batch immigration-death 00037-00039. The remaining
 * cases need local parameters, boundary species, compartment sizes,
 * assignment rules or events and arrive with SBML import.
 *
 * Files: the models are test/fixtures/dsmts/NNNNN.json, written from each
 * case's NNNNN-sbml-l3v1.xml. The expected means and standard deviations
 * (NNNNN-results.csv) and settings (NNNNN-settings.txt) are copies in
 * test/fixtures/dsmts (LGPL, see LICENSE.txt there); when a copy is missing
 * the suite at ../shared/dsmts (beside the repository) is read instead, and
 * a case with neither is skipped with a message.
 *
 * Pass rule, per case, n = 10,000 runs at a fixed seed, every output time
 * and every checked species (a "point"):
 *   Z = sqrt(n) (mean_sim − μ) / σ must lie in meanRange, normally (−3, 3);
 *   Y = sqrt(n/2) (var_sim / σ² − 1) must lie in sdRange, normally (−5, 5);
 *   where σ = 0 (t = 0), every run must equal μ exactly.
 * A correct simulator fails |Z| < 3 at 0.27% of points by chance, so the
 * DSMTS allows isolated failures: a case passes when at least 97% of its
 * points pass AND no species fails at 3 consecutive output times (a run of
 * failures is the signature of a systematic error, since neighbouring times
 * are strongly correlated).
 *
 * Case 00003 (λ = 1, μ = 1.1, X0 = 100): as the DSMTS user guide warns, its
 * SD range rests on an approximation that does not hold there. Y has
 * standard deviation sqrt((κ − 1)/2), κ the kurtosis of X(t), which is 1
 * only when κ = 3; near extinction κ reaches ~95 at t = 50, so Y has
 * standard deviation ~7 and a correct simulator leaves (−5, 5) at a third
 * of the late time points. For this case only, Y is divided by that
 * standard deviation, with κ from the exact law of the linear birth-death
 * process (Kendall 1948, Ann. Math. Statist. 19:1, doi:10.1214/aoms/1177730285);
 * the mean test is unchanged.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileNetwork, validateModel } from '../../../engine/model';
import {
  checkDsmtsCase,
  DSMTS_MAX_CONSECUTIVE_FAILURES,
  DSMTS_MIN_PASS_FRACTION,
  parseDsmtsResults,
  parseDsmtsSettings,
} from '../../../engine/cli/commands/dsmts';
import { simulateEnsemble } from '../../../engine/simulate/ensemble';
import { DirectMethod } from '../../../engine/simulate/ssa/DirectMethod';
import { uniformTimeGrid } from '../../../engine/simulate/timeGrid';

const RUNS = 10_000;

const FIXTURES = new URL('../../fixtures/dsmts/', import.meta.url);
/** The suite beside the repository: <repo>/../shared/dsmts. */
const SUITE = new URL('../../../../shared/dsmts/', import.meta.url);

const CASES = ['00001', '00003', '00004', '00005', '00020', '00021', '00023', '00030', '00031', '00034', '00035', '00037', '00038', '00039'];

/** A case's settings or results: the copy in the fixtures first, else the suite's. */
function readCaseFile(id: string, suffix: 'settings.txt' | 'results.csv'): string | undefined {
  for (const url of [new URL(`${id}-${suffix}`, FIXTURES), new URL(`${id}/${id}-${suffix}`, SUITE)]) {
    if (existsSync(url)) return readFileSync(url, 'utf8');
  }
  return undefined;
}

function loadModel(id: string): unknown {
  return JSON.parse(readFileSync(new URL(`${id}.json`, FIXTURES), 'utf8'));
}

describe('DSMTS', () => {
  it.for(CASES)('case %s: mean and SD statistics within range at >= 97% of points, no 3 consecutive failures', (id, ctx) => {
    const settingsText = readCaseFile(id, 'settings.txt');
    const resultsText = readCaseFile(id, 'results.csv');
    if (settingsText === undefined || resultsText === undefined) {
      ctx.skip(`DSMTS ${id}: ${id}-settings.txt / ${id}-results.csv found neither in test/fixtures/dsmts nor in ../shared/dsmts`);
      return;
    }
    const settings = parseDsmtsSettings(settingsText);
    const results = parseDsmtsResults(resultsText);
    const network = compileNetwork(validateModel(loadModel(id), `${id}.json`));

    expect(settings.start).toBe(0);
    expect(network.time).toEqual({ end: settings.duration, points: settings.steps + 1 });
    const grid = uniformTimeGrid(settings.duration, settings.steps + 1);
    const csvTime = results.get('time')!;
    expect(csvTime.length).toBe(grid.length);
    csvTime.forEach((t, g) => expect(t).toBeCloseTo(grid[g], 9));

    // The rule is the one `sciope dsmts` applies (engine/cli/commands/dsmts.ts).
    const ensemble = simulateEnsemble(new DirectMethod(network), { runs: RUNS, seed: Number(id), grid });
    const result = checkDsmtsCase(id, ensemble, settings, results, network);
    const detail = `DSMTS ${id} failures:\n${result.failures.join('\n')}`;
    expect(result.points).toBeGreaterThan(0);
    expect(1 - result.failures.length / result.points, detail).toBeGreaterThanOrEqual(DSMTS_MIN_PASS_FRACTION);
    expect(result.longestRun, detail).toBeLessThanOrEqual(DSMTS_MAX_CONSECUTIVE_FAILURES);
    expect(result.passed, detail).toBe(true);
  });

  it('the copies in test/fixtures/dsmts equal the suite files, and the models carry the SBML values', (ctx) => {
    if (!existsSync(SUITE)) {
      ctx.skip('../shared/dsmts not found beside the repository; the fixtures are used as they are');
      return;
    }
    for (const id of CASES) {
      for (const suffix of ['settings.txt', 'results.csv']) {
        const copy = readFileSync(new URL(`${id}-${suffix}`, FIXTURES), 'utf8');
        expect(copy, `${id}-${suffix}`).toBe(readFileSync(new URL(`${id}/${id}-${suffix}`, SUITE), 'utf8'));
      }
      const sbml = readFileSync(new URL(`${id}/${id}-sbml-l3v1.xml`, SUITE), 'utf8');
      const model = validateModel(loadModel(id));
      for (const species of model.species) {
        const match = new RegExp(`<species[^>]*\\bid="${species.id}"[^>]*\\binitialAmount="([^"]+)"`).exec(sbml);
        expect(match, `${id}: species ${species.id} in the SBML`).not.toBeNull();
        expect(species.initial, `${id}: initial ${species.id}`).toBe(Number(match![1]));
      }
      for (const parameter of model.parameters) {
        const match = new RegExp(`<parameter[^>]*\\bid="${parameter.id}"[^>]*\\bvalue="([^"]+)"`).exec(sbml);
        expect(match, `${id}: parameter ${parameter.id} in the SBML`).not.toBeNull();
        expect(parameter.value, `${id}: parameter ${parameter.id}`).toBe(Number(match![1]));
      }
    }
  });
});
