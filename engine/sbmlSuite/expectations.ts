/**
 * The committed list of cases that pass (`--expect`, written by
 * `--write-expect`): one case id per line, `#` starts a comment. A run
 * regresses when a listed case it ran (or should have run) does not pass.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { EngineError } from '../errors/index.js';
import type { CaseOutcome } from './runCase.js';
import { SuiteFileError } from './suiteFileError.js';

export function parseExpectations(text: string, file: string): Set<string> {
  const ids = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    if (!/^\d{1,5}$/.test(line)) throw new SuiteFileError(file, `expected a case id (e.g. 00001), got "${line}"`, index + 1);
    ids.add(line.padStart(5, '0'));
  });
  return ids;
}

export function readExpectations(file: string): Set<string> {
  if (!existsSync(file)) throw new EngineError('SBML_SUITE_EXPECT', `${file}: no such file (create it with --write-expect)`);
  return parseExpectations(readFileSync(file, 'utf8'), file);
}

export function writeExpectations(file: string, outcomes: readonly CaseOutcome[], note: string): string[] {
  const passing = outcomes
    .filter((o) => o.outcome === 'pass')
    .map((o) => o.id)
    .sort();
  const header = [
    '# SBML Test Suite semantic cases that pass (`sciope sbml-suite --expect` fails when one of them stops passing).',
    `# ${note}`,
    `# ${passing.length} cases. Regenerate with --write-expect.`,
  ];
  writeFileSync(file, `${[...header, ...passing].join('\n')}\n`);
  return passing;
}

export interface ExpectationCheck {
  /** Expected to pass, selected, and not passing now (or not run: absent from the folder). */
  regressions: Array<{ id: string; outcome: string; reason?: string }>;
  /** Passing now and not in the list. */
  newlyPassing: string[];
}

/** `selected(id)`: whether the run was meant to cover case `id` (listed cases outside `--cases` are not checked). */
export function checkExpectations(expected: ReadonlySet<string>, outcomes: readonly CaseOutcome[], selected: (id: string) => boolean): ExpectationCheck {
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  const regressions = [...expected]
    .filter((id) => selected(id) && byId.get(id)?.outcome !== 'pass')
    .sort()
    .map((id) => {
      const o = byId.get(id);
      return o ? { id, outcome: o.outcome, reason: o.reason } : { id, outcome: 'not run', reason: 'no such case in the folder' };
    });
  const newlyPassing = outcomes
    .filter((o) => o.outcome === 'pass' && !expected.has(o.id))
    .map((o) => o.id)
    .sort();
  return { regressions, newlyPassing };
}
