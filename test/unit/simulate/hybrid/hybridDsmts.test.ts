/**
 * The hybrid method on the Discrete Stochastic Models Test Suite (Evans,
 * Gillespie & Wilkinson 2008, doi:10.1093/bioinformatics/btm566), loaded as
 * `sciope dsmts` loads it: importSbml, then toMoleculeCounts, then
 * compileNetwork (engine/cli/commands/dsmts.ts).
 *
 * Where populations stay discrete (below the default thresholds: 1000
 * molecules, 100 firings per output interval) the method must be the exact
 * SSA, so the DSMTS rule applies unchanged (checkDsmtsCase: |Z| < 3 and
 * |Y| < 5 at >= 97% of points, no 3 consecutive failures), here at
 * n = 2,000 runs with a fixed seed per case: birth-death 00001-00004
 * (00002: local parameters), immigration-death 00020, dimerisation 00030,
 * a time event (00028: X = 50 at t = 25) and a state event (00033: P2 > 30
 * resets P and P2). Case 00020 runs a second time with a rate rule that
 * changes nothing (dZ/dt = 0), which sends every firing through the ODE
 * clock (G = ∫ a0 dt crossing an Exp(1) threshold on the dense output)
 * instead of the closed-form clock; the rule must still pass.
 *
 * Case 00005 (X0 = 10,000) is continuous throughout: the linear
 * birth-death rate equation is the exact mean, so the hybrid mean must match
 * the suite's mean to the integrator's accuracy (relative 1e-5, rtol 1e-6
 * with margin) and every run is the same path (the SD is not compared: the
 * continuous part has no noise by design).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { checkDsmtsCase, parseDsmtsResults, parseDsmtsSettings } from '../../../../engine/cli/commands/dsmts';
import { compileNetwork } from '../../../../engine/model';
import { toMoleculeCounts } from '../../../../engine/model/counts';
import { importSbml } from '../../../../engine/model/sbml';
import type { ReactionNetwork } from '../../../../engine/model/schema';
import { compileHybridModel, createHybridSimulator } from '../../../../engine/simulate/hybrid';
import { simulateEnsemble } from '../../../../engine/simulate/ensemble';
import { uniformTimeGrid } from '../../../../engine/simulate/timeGrid';
import type { Simulator } from '../../../../engine/simulate/types';

const RUNS = 2_000;
const WASM = createRequire(import.meta.url).resolve('libsbmljs_stable/libsbml.wasm');
const FIXTURES = new URL('../../../fixtures/dsmts/', import.meta.url);
const SUITE = new URL('../../../../../shared/dsmts/', import.meta.url);

/** The hybrid simulator typed as a Simulator until 'hybrid' joins SimulationMethod. */
const asSimulator = (simulator: unknown) => simulator as Simulator;

function readCaseFile(id: string, suffix: string): string | undefined {
  for (const url of [new URL(`${id}-${suffix}`, FIXTURES), new URL(`sbml/${id}-${suffix}`, FIXTURES), new URL(`${id}/${id}-${suffix}`, SUITE)]) {
    if (existsSync(url)) return readFileSync(url, 'utf8');
  }
  return undefined;
}

async function loadCase(id: string) {
  const xml = readCaseFile(id, 'sbml-l3v1.xml');
  const settingsText = readCaseFile(id, 'settings.txt');
  const resultsText = readCaseFile(id, 'results.csv');
  if (xml === undefined || settingsText === undefined || resultsText === undefined) return undefined;
  const { model } = await importSbml(xml, { wasm: WASM, source: `${id}-sbml-l3v1.xml` });
  const counts = toMoleculeCounts(model).model;
  const settings = parseDsmtsSettings(settingsText);
  return { counts, settings, results: parseDsmtsResults(resultsText), grid: uniformTimeGrid(settings.duration, settings.steps + 1) };
}

const DISCRETE = ['00001', '00002', '00003', '00004', '00020', '00028', '00030', '00033'];

describe('hybrid method on DSMTS cases that stay discrete: the DSMTS rule at n = 2,000', () => {
  it.for(DISCRETE)('case %s', async (id, ctx) => {
    const loaded = await loadCase(id);
    if (!loaded) return ctx.skip(`DSMTS ${id} files not found`);
    const network = compileNetwork(loaded.counts);
    const ensemble = simulateEnsemble(asSimulator(createHybridSimulator(network)), { runs: RUNS, seed: 700 + Number(id), grid: loaded.grid });
    const result = checkDsmtsCase(id, ensemble, loaded.settings, loaded.results, network);
    expect(result.passed, `DSMTS ${id} failures:\n${result.failures.join('\n')}`).toBe(true);
  });

  it('case 00020 through the ODE clock (a rate rule dZ/dt = 0 keeps the integrator on)', async (ctx) => {
    const loaded = await loadCase('00020');
    if (!loaded) return ctx.skip('DSMTS 00020 files not found');
    const withRule: ReactionNetwork = {
      ...loaded.counts,
      parameters: [...loaded.counts.parameters, { id: 'Z', value: 1 }],
      rules: [...loaded.counts.rules, { type: 'rate', variable: 'Z', expression: '0' }],
    };
    const { network, rateRules } = compileHybridModel(withRule);
    expect(rateRules).toHaveLength(1);
    const ensemble = simulateEnsemble(asSimulator(createHybridSimulator(network, { rateRules })), { runs: RUNS, seed: 720, grid: loaded.grid });
    // Every firing goes through the integrator: more work units (firings + ODE steps) than the closed-form clock's firings.
    const closedForm = simulateEnsemble(asSimulator(createHybridSimulator(compileNetwork(loaded.counts))), { runs: RUNS, seed: 720, grid: loaded.grid });
    expect(ensemble.events).toBeGreaterThan(1.5 * closedForm.events);
    const result = checkDsmtsCase('00020', ensemble, loaded.settings, loaded.results, network);
    expect(result.passed, `DSMTS 00020 (ODE clock) failures:\n${result.failures.join('\n')}`).toBe(true);
  });
});

describe('hybrid method on a large population (00005, X0 = 10,000): continuous, mean exact', () => {
  it('matches the exact mean to 1e-5 relative at every output time', async (ctx) => {
    const loaded = await loadCase('00005');
    if (!loaded) return ctx.skip('DSMTS 00005 files not found');
    const network = compileNetwork(loaded.counts);
    const runs = 20; // every run is the same deterministic path once X is continuous; a few confirm it
    const ensemble = simulateEnsemble(asSimulator(createHybridSimulator(network)), { runs, seed: 705, grid: loaded.grid });
    const mus = loaded.results.get('X-mean')!;
    const nT = loaded.grid.length;
    for (let g = 0; g < nT; g++) {
      const first = ensemble.data[g];
      for (let r = 1; r < runs; r++) expect(ensemble.data[r * nT + g]).toBe(first);
      expect(Math.abs(first / mus[g] - 1), `t=${loaded.grid[g]}`).toBeLessThan(1e-5);
    }
  });
});
