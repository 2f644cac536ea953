/**
 * One SBML Test Suite case: read it, import its SBML, simulate it with the
 * general deterministic simulator on the settings' grid, compare, classify.
 *
 * Outcomes: `pass`; `wrong` (a value outside the tolerance: the first one is
 * named); `refused` (the importer or the simulator says what it cannot run:
 * SbmlImportError, ModelValidationError, SimulationError); `missing` (a
 * reported variable the simulated model lacks); `error` (anything else: a bug
 * or a malformed case file); `timeout` (more than CASE_TIME_LIMIT_MS);
 * `not-time-course` (flux balance and steady-state cases: not run).
 */
import { EngineError, ModelValidationError, SbmlImportError, SimulationError } from '../errors/index.js';
import type { ReactionNetwork } from '../model/schema.js';
import type { SbmlImportOptions, SbmlImportResult } from '../model/sbml/index.js';
import type { GeneralSimulationOptions, GeneralTrajectory } from '../simulate/general/types.js';
import { parseCaseHeader, TIME_COURSE, type CaseHeader } from './caseHeader.js';
import { externalModelReader, modelFile, readCaseFile } from './caseFiles.js';
import { compareWithExpected } from './compare.js';
import { parseSuiteResults } from './results.js';
import { parseSuiteSettings, settingsTimeGrid, type SuiteSettings } from './settings.js';
import { caseOutcomeReason, importRefusalProblems, formatNumber } from './outcomeReason.js';
import { trajectorySeries } from './trajectorySeries.js';
import { readFileSync } from 'node:fs';

export const OUTCOMES = ['pass', 'wrong', 'refused', 'missing', 'error', 'timeout', 'not-time-course'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Wall time allowed per case (import and simulation), as the acceptance bar states. */
export const CASE_TIME_LIMIT_MS = 30_000;

export interface CaseOutcome {
  id: string;
  outcome: Outcome;
  /** One line: why it is not a pass (the refusal's problems, the first wrong value, the missing variable...). */
  reason?: string;
  /** For `refused`: each problem on its own, to rank the commonest refusals. */
  problems?: string[];
  testType: string;
  componentTags: string[];
  testTags: string[];
  /** Wall time of the case, ms. */
  ms: number;
}

export type ImportModel = (xml: string, options: SbmlImportOptions & { readExternal?: (href: string) => string | undefined }) => Promise<SbmlImportResult>;
export type SimulateGeneral = (model: ReactionNetwork, grid: Float64Array, options: GeneralSimulationOptions) => GeneralTrajectory | Promise<GeneralTrajectory>;

export interface RunCaseOptions {
  /** The libSBML wasm binary (see cli/modelSource.ts libsbmlWasmPath). */
  wasm: SbmlImportOptions['wasm'];
  importModel: ImportModel;
  simulate: SimulateGeneral;
  timeLimitMs?: number;
}

/**
 * Solver tolerances, tighter than any case's by orders of magnitude, so that
 * integration error (which accumulates to a few times the local tolerance
 * over a run) never decides a pass. The suite's relative tolerances are
 * >= 1e-4 but for case 01323 (1e-9, on values that stay constant), its
 * absolute ones >= 1e-9. rtol 1e-9 keeps the relative error five orders
 * below 1e-4; atol = min(absolute, 1e-10)·1e-2 <= 1e-12 covers values near
 * zero, where rtol does not help, three orders below the smallest absolute
 * tolerance, with room for an amount divided by a compartment of size ~1e-2.
 */
export function solverTolerances(settings: SuiteSettings): { rtol: number; atol: number } {
  return { rtol: 1e-9, atol: Math.min(settings.absolute, 1e-10) * 1e-2 };
}

/** Run case `id` of the suite in `folder` (the folder holding NNNNN/); never throws. */
export async function runSuiteCase(folder: string, id: string, options: RunCaseOptions): Promise<CaseOutcome> {
  const started = performance.now();
  const limit = options.timeLimitMs ?? CASE_TIME_LIMIT_MS;
  let header: CaseHeader = { testType: 'unknown', componentTags: [], testTags: [] };
  const outcome = (outcome: Outcome, reason?: string, problems?: string[]): CaseOutcome => ({
    id,
    outcome,
    ...(reason !== undefined ? { reason } : {}),
    ...(problems ? { problems } : {}),
    testType: header.testType,
    componentTags: header.componentTags,
    testTags: header.testTags,
    ms: Math.round(performance.now() - started),
  });
  try {
    const headerFile = readCaseFile(folder, id, 'model.m');
    header = parseCaseHeader(headerFile.text, headerFile.file);
    if (header.testType !== TIME_COURSE) return outcome('not-time-course', `testType ${header.testType}`);
    const settingsFile = readCaseFile(folder, id, 'settings.txt');
    const settings = parseSuiteSettings(settingsFile.text, settingsFile.file);
    const resultsFile = readCaseFile(folder, id, 'results.csv');
    const expected = parseSuiteResults(resultsFile.text, resultsFile.file);
    const grid = settingsTimeGrid(settings);
    checkResultTimes(grid, expected.time, resultsFile.file);

    const file = modelFile(folder, id);
    let imported: SbmlImportResult;
    try {
      imported = await options.importModel(readFileSync(file, 'utf8'), {
        wasm: options.wasm,
        source: file.slice(file.lastIndexOf('/') + 1),
        readExternal: externalModelReader(folder, id),
      });
    } catch (error) {
      if (error instanceof SbmlImportError || error instanceof ModelValidationError)
        return outcome('refused', caseOutcomeReason(error), importRefusalProblems(error));
      throw error;
    }
    const remaining = limit - (performance.now() - started);
    if (remaining <= 0) return outcome('timeout', `import took more than ${limit / 1000} s`);
    // The simulator starts at t = 0; a case starting later (none in the suite so far) is simulated from 0 and compared from `start` on.
    let trajectory: GeneralTrajectory;
    try {
      trajectory = await options.simulate(imported.model, grid, { ...solverTolerances(settings), timeLimitMs: remaining });
    } catch (error) {
      if (error instanceof SimulationError && performance.now() - started >= limit * 0.99)
        return outcome('timeout', `simulation stopped after ${limit / 1000} s: ${caseOutcomeReason(error)}`);
      if (error instanceof SimulationError || error instanceof ModelValidationError)
        return outcome('refused', caseOutcomeReason(error), [caseOutcomeReason(error)]);
      throw error;
    }
    const comparison = compareWithExpected(settings, expected, trajectorySeries(trajectory, settings, imported));
    switch (comparison.kind) {
      case 'pass':
        return outcome('pass');
      case 'wrong':
        return outcome(
          'wrong',
          `${comparison.variable} at t=${formatNumber(comparison.time)}: simulated ${formatNumber(comparison.simulated)}, expected ${formatNumber(comparison.expected)} (allowed ±${formatNumber(comparison.allowed)}); ${comparison.failedPoints} of ${comparison.points} points fail`,
        );
      case 'missing':
        return outcome('missing', missingReason(comparison.variable, imported.model));
      case 'no-expected-column':
        return outcome('error', `${resultsFile.file}: no column "${comparison.variable}" although the settings report it`);
    }
  } catch (error) {
    if (error instanceof EngineError) return outcome('error', caseOutcomeReason(error));
    return outcome('error', `unexpected ${(error as Error).name ?? 'exception'}: ${(error as Error).message ?? String(error)}${stackTop(error)}`);
  }
}

/** The results' times must be the settings' grid (to 1e-9 of the duration), or the comparison would be meaningless. */
function checkResultTimes(grid: Float64Array, times: Float64Array, file: string): void {
  if (times.length !== grid.length)
    throw new EngineError('SBML_SUITE_FILE', `${file}: ${times.length} rows, but the settings ask for steps + 1 = ${grid.length} output times`);
  const span = grid[grid.length - 1] - grid[0];
  for (let i = 0; i < grid.length; i++) {
    if (Math.abs(times[i] - grid[i]) > 1e-9 * span)
      throw new EngineError('SBML_SUITE_FILE', `${file}, line ${i + 2}: time ${times[i]}, but the settings' grid has ${grid[i]}`);
  }
}

function missingReason(variable: string, model: ReactionNetwork): string {
  if (model.reactions.some((r) => r.id === variable))
    return `${variable} is a reaction whose rate cannot be evaluated from the trajectory (no kinetic law, or it reads delay(), rateOf() or an unrecorded name)`;
  return `${variable} is reported but the imported model has no species, parameter or compartment of that id`;
}

function stackTop(error: unknown): string {
  const at = ((error as Error).stack ?? '').split('\n').find((line) => line.trim().startsWith('at '));
  return at ? ` (${at.trim()})` : '';
}
