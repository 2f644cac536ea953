import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sciope } from '../cli/runSciope.js';
import { extractSuiteFixture } from './extractFixture.js';

// A two-case suite: 00001 as published (S1 → S2, passes), 00002 = 00001 with its expected S1 doubled (always wrong).
let suite: string;

beforeAll(() => {
  const fixture = extractSuiteFixture();
  suite = mkdtempSync(join(tmpdir(), 'sbml-suite-cli-'));
  cpSync(join(fixture, '00001'), join(suite, '00001'), { recursive: true });
  cpSync(join(fixture, '00001'), join(suite, '00002'), { recursive: true });
  for (const suffix of ['model.m', 'settings.txt', 'results.csv', 'sbml-l3v2.xml'])
    cpSync(join(suite, '00002', `00001-${suffix}`), join(suite, '00002', `00002-${suffix}`));
  const results = join(suite, '00002', '00002-results.csv');
  const [header, ...rows] = readFileSync(results, 'utf8').trim().split('\n');
  writeFileSync(
    results,
    [
      header,
      ...rows.map((row) =>
        row
          .split(',')
          .map((cell, i) => (i === 1 ? String(2 * Number(cell)) : cell))
          .join(','),
      ),
    ].join('\n'),
  );
});

describe('sciope sbml-suite', () => {
  it('prints one line per case and the summary; without --expect a failing case exits 1', async () => {
    const { code, stdout, stderr } = await sciope('sbml-suite', suite, '--jobs', '2');
    expect(stdout).toMatch(/^00001 {2}pass$/m);
    expect(stdout).toMatch(/^00002 {2}wrong +S1 at t=0: simulated 0.00015, expected 0.0003 \(allowed ±1.3e-7\); 51 of 102 points fail$/m);
    expect(stdout).toContain('2 cases: 1 pass, 1 wrong');
    expect(stdout).toContain('TimeCourse: 1 of 2 pass (50.0%)');
    expect(stdout).toMatch(/^ {2}Reaction +1\/2 {2}50%$/m);
    expect(stderr).toContain('1 of 2 TimeCourse cases do not pass');
    expect(code).toBe(1);
  });

  it('--write-expect records the passing cases; --expect exits 0 without regressions and names new passes', async () => {
    const expectFile = join(suite, 'expected.txt');
    const written = await sciope('sbml-suite', suite, '--jobs', '1', '--write-expect', expectFile);
    expect(written.code).toBe(0);
    expect(
      readFileSync(expectFile, 'utf8')
        .split('\n')
        .filter((l) => l && !l.startsWith('#')),
    ).toEqual(['00001']);
    writeFileSync(expectFile, '# nothing yet\n');
    const checked = await sciope('sbml-suite', suite, '--expect', expectFile);
    expect(checked.stdout).toContain(`newly passing (1): 00001; update with --write-expect ${expectFile}`);
    expect(checked.code).toBe(0);
  });

  it('--expect exits 1 listing every case that passed before and does not now', async () => {
    const expectFile = join(suite, 'regressed.txt');
    writeFileSync(expectFile, '00001\n00002\n00003\n');
    const { code, stdout, stderr } = await sciope('sbml-suite', suite, '--expect', expectFile);
    expect(stdout).toContain(`REGRESSIONS: 2 cases in ${expectFile} no longer pass:`);
    expect(stdout).toMatch(/^ {2}00002 {2}wrong {2}S1 at t=0/m);
    expect(stdout).toMatch(/^ {2}00003 {2}not run {2}no such case in the folder$/m);
    expect(stderr).toContain('2 cases expected to pass no longer pass: 00002, 00003');
    expect(code).toBe(1);
    // Restricted to case 1, the listed cases outside the selection are not checked.
    expect((await sciope('sbml-suite', suite, '--cases', '1', '--expect', expectFile)).code).toBe(0);
  });

  it('--json prints one document with the cases, the summary and the expectation check', async () => {
    const { code, stdout } = await sciope('sbml-suite', suite, '--cases', '1-2', '--json');
    const report = JSON.parse(stdout) as { cases: Array<{ id: string; outcome: string }>; summary: { counts: Record<string, number>; passRate: number } };
    expect(report.cases.map((c) => [c.id, c.outcome])).toEqual([
      ['00001', 'pass'],
      ['00002', 'wrong'],
    ]);
    expect(report.summary.counts).toMatchObject({ pass: 1, wrong: 1 });
    expect(report.summary.passRate).toBe(0.5);
    expect(code).toBe(1);
  });

  it('exits 2 on bad usage: a missing folder, a bad case list, a missing expectation file', async () => {
    const noFolder = await sciope('sbml-suite', join(suite, 'nowhere'));
    expect(noFolder.stderr).toContain('nowhere: no such folder');
    expect(noFolder.code).toBe(2);
    const badCases = await sciope('sbml-suite', suite, '--cases', '5-2');
    expect(badCases.stderr).toContain('expected case numbers like 1-1821 or 1-50,77,100-120');
    expect(badCases.code).toBe(2);
    const noExpect = await sciope('sbml-suite', suite, '--expect', join(suite, 'none.txt'));
    expect(noExpect.stderr).toContain('none.txt: no such file (create it with --write-expect)');
    expect(noExpect.code).toBe(2);
    const noCases = await sciope('sbml-suite', suite, '--cases', '7-9');
    expect(noCases.stderr).toContain('none of the selected cases is there (asked for 7-9)');
    expect(noCases.code).toBe(2);
  });
});
