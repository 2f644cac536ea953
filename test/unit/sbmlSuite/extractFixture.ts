import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The SBML Test Suite fixture (test/fixtures/sbml-test-suite/cases.tar.gz), built by build/sbmlSuiteFixture.mjs. */
export const FIXTURE_ARCHIVE = new URL('../../fixtures/sbml-test-suite/cases.tar.gz', import.meta.url).pathname;

/** Extract the fixture with the system tar into a fresh temporary folder; returns its `semantic` folder (NNNNN/ case folders). */
export function extractSuiteFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sbml-suite-'));
  execFileSync('tar', ['-xzf', FIXTURE_ARCHIVE, '-C', dir]);
  return join(dir, 'semantic');
}
