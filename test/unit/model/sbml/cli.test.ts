/**
 * The SBML front doors of the real `sciope` command: `import` (summary,
 * warnings, --out JSON), `simulate` and `validate` on an SBML file (warnings
 * on stderr), errors with line and column, and `dsmts` (per-case line,
 * summary, non-zero exit when a case fails).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateModel } from '../../../../engine/model';
import { sciope } from '../../cli/runSciope.js';

const fixture = (name: string) => new URL(`../../../fixtures/sbml/${name}`, import.meta.url).pathname;
const DSMTS = new URL('../../../fixtures/dsmts/sbml/', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'sciope-sbml-cli-'));

describe('sciope import', () => {
  it('prints species, parameters, reactions, rules, events and warnings, and writes the model JSON', async () => {
    const out = join(work, 'events.json');
    const { code, stdout, stderr } = await sciope('import', fixture('events.xml'), '--out', out);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('events.xml: imported "events", volume 2');
    expect(stdout).toMatch(/^compartments \(1\):\n {2}cell = 2$/m);
    expect(stdout).toMatch(
      /^species \(3\):\n {2}X: amount 0 at t = 0 \(in cell\)\n {2}Y: amount 0 at t = 0 \(in cell\)\n {2}Zc: amount 0 at t = 0 \(in cell; its name means the concentration\)$/m,
    );
    expect(stdout).toMatch(/^reactions \(1\):\n {2}birth: ∅ → X, propensity k$/m);
    expect(stdout).toMatch(/^events \(3\):\n {2}stop: when t >= tstop: X = 0 \(initialValue false\)$/m);
    expect(stdout).toMatch(/^warnings \(\d+\):$/m);
    expect(stdout).toContain(`model written to ${out}`);
    const model = validateModel(JSON.parse(readFileSync(out, 'utf8')));
    expect(model.events.map((e) => e.id)).toEqual(['stop', 'burst', 'event3']);
  });

  it('malformed XML: exit code 2 and the line and column', async () => {
    const { code, stderr } = await sciope('import', fixture('malformed.xml'));
    expect(code).toBe(2);
    expect(stderr).toBe(
      `sciope: error: ${fixture('malformed.xml')}: cannot import SBML (1 problem):\n  line 10, column 6: Element tag mismatch or missing tag.\n`,
    );
  });

  it('a missing file', async () => {
    const { code, stderr } = await sciope('import', join(work, 'nothing.xml'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/nothing\.xml: no such file/);
  });
});

describe('sciope simulate and validate on SBML', () => {
  it('simulate: runs the imported model (concentrations: the deterministic method), import warnings on stderr', async () => {
    const { code, stdout, stderr } = await sciope('simulate', fixture('level2.xml'), '-n', '5', '-s', '1', '-t', '10');
    expect(code).toBe(0);
    expect(stdout).toContain('Level 2 model: 5 trajectories, method ode, seed 1, t = 0..10');
    // d[X]/dt = -0.1 [X] from 100 in a compartment of size 1: 100·e^-1 = 36.788 at t = 10.
    expect(stdout).toMatch(/^X +36\.788 /m);
    expect(stderr).toMatch(/^sciope: warning: .*level2\.xml: .*units are undeclared/m);
  });

  it('validate: a one-line summary', async () => {
    const { code, stdout } = await sciope('validate', fixture('vilar.xml'));
    expect(code).toBe(0);
    expect(stdout).toBe(`${fixture('vilar.xml')}: valid model "Vilar oscillator" with 9 species, 15 parameters, 16 reactions\n`);
  });
});

describe('sciope dsmts', () => {
  it('prints each case with its worst Z and Y and a summary', async () => {
    const { code, stdout } = await sciope('dsmts', DSMTS, '--cases', '1,28-29', '--runs', '500');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^DSMTS, 500 runs per case, method ssa, seed 0 \+ case/);
    for (const id of ['00001', '00028', '00029'])
      expect(stdout).toMatch(new RegExp(`^${id} {2}pass {3}\\d+\\.\\d\\d \\(X t=\\d+\\) +\\d+\\.\\d\\d \\(X t=\\d+\\) +\\d+/51$`, 'm'));
    expect(stdout).toMatch(/^3 cases: 3 passed, 0 failed$/m);
  });

  it('fails, with the failing points, when the simulator is not exact (ODE has no variance)', async () => {
    const { code, stdout, stderr } = await sciope('dsmts', DSMTS, '--cases', '20', '--runs', '100', '--method', 'ode');
    expect(code).not.toBe(0);
    expect(stdout).toMatch(/^00020 {2}FAIL/m);
    expect(stdout).toMatch(/X t=\d+: mean .* \(Z = .*\), sd 0\.0000 vs/);
    expect(stdout).toMatch(/^1 case: 0 passed, 1 failed \(00020\)$/m);
    expect(stderr).toMatch(/1 of 1 case failed the DSMTS rule: 00020/);
  });
});
