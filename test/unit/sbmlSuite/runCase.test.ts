import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { libsbmlWasmPath } from '../../../engine/cli/modelSource.js';
import { SimulationBudgetError, SimulationError } from '../../../engine/errors/index.js';
import { importSbml } from '../../../engine/model/sbml/index.js';
import { parseSuiteResults, runSuiteCase, type SimulateGeneral } from '../../../engine/sbmlSuite/index.js';
import type { GeneralTrajectory } from '../../../engine/simulate/general/types.js';
import { extractSuiteFixture } from './extractFixture.js';

// Case 00001: S1 → S2 at k1·S1·compartment, S1 and S2 reported as amounts, absolute 1e-7, relative 1e-4.
let fixture: string;
let expected: ReturnType<typeof parseSuiteResults>;

beforeAll(() => {
  fixture = extractSuiteFixture();
  expected = parseSuiteResults(readFileSync(join(fixture, '00001', '00001-results.csv'), 'utf8'), 'r');
});

/** A stand-in for the general simulator that answers with the expected results, scaled by `factor` (1: exact). */
function answering(factor = 1, seen: unknown[] = []): SimulateGeneral {
  return (model, grid, options) => {
    seen.push({ species: model.species.map((s) => s.id), grid: [...grid], options });
    const scaled = (id: string) => (expected.columns.get(id) as Float64Array).map((v) => v * factor);
    const amounts = new Map([
      ['S1', scaled('S1')],
      ['S2', scaled('S2')],
    ]);
    return {
      time: grid,
      amounts,
      concentrations: amounts,
      values: amounts,
      stats: { steps: 0, rejected: 0, events: 0, stiff: false },
    } satisfies GeneralTrajectory;
  };
}

const run = (simulate: SimulateGeneral, folder = fixture, id = '00001', timeLimitMs?: number) =>
  runSuiteCase(folder, id, { wasm: libsbmlWasmPath(), importModel: importSbml, simulate, timeLimitMs });

describe('runSuiteCase', () => {
  it('imports the case, simulates on its grid with tolerances tighter than its own, and passes matching values', async () => {
    const seen: Array<{ species: string[]; grid: number[]; options: { rtol: number; atol: number; timeLimitMs: number } }> = [];
    const outcome = await run(answering(1, seen));
    expect(outcome).toMatchObject({
      id: '00001',
      outcome: 'pass',
      testType: 'TimeCourse',
      componentTags: ['Compartment', 'Species', 'Reaction', 'Parameter'],
      testTags: ['Amount'],
    });
    expect(seen[0].species).toEqual(['S1', 'S2']);
    expect(seen[0].grid).toEqual([...expected.time]);
    expect(seen[0].grid).toHaveLength(51);
    // rtol 1e-9 and atol min(1e-7, 1e-10)·1e-2 (see solverTolerances).
    expect(seen[0].options.rtol).toBe(1e-9);
    expect(seen[0].options.atol).toBeCloseTo(1e-12, 24);
    expect(seen[0].options.timeLimitMs).toBeGreaterThan(25_000);
  });

  it('classifies values off by 0.1% (beyond relative 1e-4 + absolute 1e-7) as wrong, naming the first one', async () => {
    const outcome = await run(answering(1.001));
    expect(outcome.outcome).toBe('wrong');
    // A value v is off by 1e-3·v, allowed 1e-7 + 1e-4·v: it fails when v > 1.111e-4. S1 = 1.5e-4·e^−t
    // fails for t < ln 1.35 = 0.300 (t = 0..0.3: 4 points), S2 = 1.5e-4 − S1 for t > 1.350 (1.4..5: 37 points).
    expect(outcome.reason).toBe('S1 at t=0: simulated 0.00015015, expected 0.00015 (allowed ±1.15e-7); 41 of 102 points fail');
  });

  it('reports a reported variable the simulation lacks as missing', async () => {
    const simulate: SimulateGeneral = (model, grid) => ({ ...(answering()(model, grid, {}) as GeneralTrajectory), amounts: new Map(), values: new Map() });
    expect(await run(simulate)).toMatchObject({
      outcome: 'missing',
      reason: 'S1 is reported but the imported model has no species, parameter or compartment of that id',
    });
  });

  it('passes on what the simulator refuses, and treats other exceptions as errors (bugs)', async () => {
    const refusing: SimulateGeneral = () => {
      throw new SimulationError('ALGEBRAIC', 'algebraic rule 1: cannot solve for "x"');
    };
    expect(await run(refusing)).toMatchObject({
      outcome: 'refused',
      reason: 'algebraic rule 1: cannot solve for "x"',
      problems: ['algebraic rule 1: cannot solve for "x"'],
    });
    const buggy: SimulateGeneral = () => {
      throw new TypeError('y is undefined');
    };
    const outcome = await run(buggy);
    expect(outcome.outcome).toBe('error');
    expect(outcome.reason).toMatch(/^unexpected TypeError: y is undefined/);
  });

  it('counts a simulation stopped by its time limit as a timeout', async () => {
    const slow: SimulateGeneral = async (_model, _grid, options) => {
      await new Promise((resolve) => setTimeout(resolve, options.timeLimitMs));
      throw new SimulationBudgetError('general', 1e6, 0.5, 5, 'ms');
    };
    const outcome = await run(slow, fixture, '00001', 300);
    expect(outcome.outcome).toBe('timeout');
    expect(outcome.reason).toMatch(/^simulation stopped after 0.3 s/);
  });

  it('refuses a model the importer refuses, and skips cases that are not time courses', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sbml-suite-case-'));
    cpSync(join(fixture, '00001'), join(folder, '00001'), { recursive: true });
    cpSync(join(fixture, '00001'), join(folder, '00002'), { recursive: true });
    for (const suffix of ['model.m', 'settings.txt', 'results.csv', 'sbml-l3v2.xml'])
      cpSync(join(folder, '00002', `00001-${suffix}`), join(folder, '00002', `00002-${suffix}`));
    writeFileSync(join(folder, '00001', '00001-sbml-l3v2.xml'), '<sbml><model></sbml>');
    const refused = await run(answering(), folder, '00001');
    expect(refused.outcome).toBe('refused');
    expect(refused.reason).toBe('line 2: Element tag mismatch or missing tag.');
    const header = join(folder, '00002', '00002-model.m');
    writeFileSync(header, readFileSync(header, 'utf8').replace('TimeCourse', 'FluxBalanceSteadyState'));
    expect(await run(answering(), folder, '00002')).toMatchObject({
      outcome: 'not-time-course',
      reason: 'testType FluxBalanceSteadyState',
      testType: 'FluxBalanceSteadyState',
    });
  });

  it('calls a malformed case file an error, naming the file and line', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sbml-suite-case-'));
    cpSync(join(fixture, '00001'), join(folder, '00001'), { recursive: true });
    const settings = join(folder, '00001', '00001-settings.txt');
    writeFileSync(settings, readFileSync(settings, 'utf8').replace('steps: 50', 'steps: many'));
    const outcome = await run(answering(), folder);
    expect(outcome).toMatchObject({ outcome: 'error', reason: `${settings}, line 3: steps: expected an integer >= 1, got "many"` });
  });
});
