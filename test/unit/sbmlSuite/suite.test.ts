import { describe, expect, it } from 'vitest';
import { sciope } from '../cli/runSciope.js';
import { extractSuiteFixture } from './extractFixture.js';

/**
 * The SBML Test Suite's 1,787 TimeCourse cases (test/fixtures/sbml-test-suite),
 * run through the real CLI with two workers against the committed list of
 * cases that pass (test/fixtures/sbml-suite-expected.txt): a case on the list
 * that no longer passes (wrong value, refusal, crash, timeout) fails the test.
 * New passes do not; refresh the list with
 *   node bin/sciope.js sbml-suite ../shared/sbml-test-suite --write-expect test/fixtures/sbml-suite-expected.txt
 * About 80 s on two idle cores; the timeout leaves room for a loaded machine and a few 30 s timeouts.
 */
const EXPECTED = new URL('../../fixtures/sbml-suite-expected.txt', import.meta.url).pathname;

describe('SBML Test Suite, semantic TimeCourse cases', () => {
  it('passes every case listed in sbml-suite-expected.txt', { timeout: 900_000 }, async () => {
    const { code, stdout, stderr } = await sciope('sbml-suite', extractSuiteFixture(), '--jobs', '2', '--expect', EXPECTED);
    const regressions = stdout.slice(stdout.indexOf('REGRESSIONS'));
    expect(stdout, stderr).toMatch(/^1787 cases: /m);
    expect(code, `${regressions}\n${stderr}`).toBe(0);
    expect(stdout).toMatch(/^no regressions against /m);
  });
});
