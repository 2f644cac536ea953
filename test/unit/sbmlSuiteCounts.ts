/**
 * Shared by the tests that run SBML Test Suite cases as molecule-count models
 * (test/unit/model/counts/sbmlSuite.test.ts through the rate equations,
 * test/unit/simulate/hybrid/sbmlRateRules.test.ts through the hybrid
 * method): the suite fixture unpacked once per file, each case's model, and
 * the comparison of a count trajectory, scaled back by F molecules per unit,
 * with the expected amounts or concentrations. Settings and results are read
 * with the suite runner's own parsers (engine/sbmlSuite).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ReactionNetwork } from '../../engine/model/index.js';
import { listCaseIds, modelFile, parseSuiteResults, parseSuiteSettings } from '../../engine/sbmlSuite/index.js';

const ARCHIVE = new URL('../fixtures/sbml-test-suite/cases.tar.gz', import.meta.url).pathname;

/** The TimeCourse cases unpacked into a temporary folder; `remove` deletes it (call it in afterAll). */
export function unpackSuite(prefix: string): { semantic: string; caseIds: string[]; modelText(id: string): string; remove(): void } {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  execFileSync('tar', ['-xzf', ARCHIVE, '-C', folder]);
  const semantic = join(folder, 'semantic');
  return {
    semantic,
    caseIds: listCaseIds(semantic),
    modelText: (id) => readFileSync(modelFile(semantic, id), 'utf8'),
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

/** The case's output times (from its expected results). */
export function caseGrid(semantic: string, id: string): Float64Array {
  return Float64Array.from(parseSuiteResults(readFileSync(join(semantic, id, `${id}-results.csv`), 'utf8'), `${id}-results.csv`).time);
}

/**
 * Expect every reported species of the count trajectory `out` (species-major
 * over `speciesIds` and the case's grid), divided by F and, where the case
 * reports a concentration, by its compartment's size, to be within the case's
 * absolute + relative tolerance. Species in a compartment whose size changes
 * in time are skipped as concentrations (the size is not an output of the
 * count model). Returns how many values were compared.
 */
export function expectCountsMatch(
  semantic: string,
  id: string,
  model: ReactionNetwork,
  counts: ReactionNetwork,
  speciesIds: readonly string[],
  out: Float64Array,
  F: number,
): number {
  const settings = parseSuiteSettings(readFileSync(join(semantic, id, `${id}-settings.txt`), 'utf8'), `${id}-settings.txt`);
  const expected = parseSuiteResults(readFileSync(join(semantic, id, `${id}-results.csv`), 'utf8'), `${id}-results.csv`);
  const amounts = new Set(settings.amount);
  const concentrations = new Set(settings.concentration);
  const sizes = new Map(counts.parameters.map((p) => [p.id, p.value]));
  const points = expected.time.length;
  let compared = 0;
  for (const [name, column] of expected.columns) {
    const s = speciesIds.indexOf(name);
    if (s < 0) continue;
    const species = model.species.find((x) => x.id === name)!;
    const compartment = model.compartments.find((c) => c.id === species.compartment);
    const asConcentration = concentrations.has(name) || (!amounts.has(name) && species.amountOnly === false);
    if (asConcentration && compartment?.constant === false) continue;
    const size = compartment ? sizes.get(compartment.id)! : model.volume;
    for (let g = 0; g < points; g++) {
      const amount = out[s * points + g] / F;
      const value = asConcentration ? amount / size : amount;
      compared++;
      expect(Math.abs(value - column[g]), `case ${id}: ${name} at t = ${expected.time[g]}: ${value}, expected ${column[g]}`).toBeLessThanOrEqual(
        settings.absolute + settings.relative * Math.abs(column[g]),
      );
    }
  }
  return compared;
}
