import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sciope } from './runSciope.js';

const work = mkdtempSync(join(tmpdir(), 'sciope-cli-'));

function writeModel(name: string, text: string): string {
  const file = join(work, name);
  writeFileSync(file, text);
  return file;
}

describe('sciope simulate', () => {
  it('prints a summary table for the Vilar oscillator', async () => {
    const { code, stdout } = await sciope('simulate', 'vilar', '--runs', '4', '--seed', '3');
    expect(code).toBe(0);
    expect(stdout).toContain('vilar: 4 trajectories, method ssa, seed 3, t = 0..200 (201 points)');
    for (const species of ['Da', 'Da_prime', 'Ma', 'Dr', 'Dr_prime', 'Mr', 'C', 'A', 'R']) expect(stdout).toMatch(new RegExp(`^${species}\\s+\\d`, 'm'));
    expect(stdout).toMatch(/events: [\d,]+ \(\d+(\.\d+)? per trajectory\)/);
    expect(stdout).toMatch(/M events\/s/);
  });

  it('writes CSV with trajectory,time,<species> columns, reproducibly for a seed', async () => {
    const a = join(work, 'a.csv');
    const b = join(work, 'b.csv');
    expect((await sciope('simulate', 'birth-death', '-n', '3', '-s', '11', '-o', a, '-q')).code).toBe(0);
    expect((await sciope('simulate', 'birth-death', '-n', '3', '-s', '11', '-o', b, '-q')).code).toBe(0);
    const text = readFileSync(a, 'utf8');
    expect(text).toBe(readFileSync(b, 'utf8'));
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('trajectory,time,X');
    expect(lines).toHaveLength(1 + 3 * 51);
    expect(lines[1]).toBe('0,0,100');
    expect(lines.at(-1)).toMatch(/^2,50,\d+$/);
  });

  it('writes JSON with the run description and one entry per trajectory', async () => {
    const file = join(work, 'out.json');
    const { code } = await sciope('simulate', 'dimerisation', '-n', '2', '-s', '5', '-t', '10', '-p', '6', '--param', 'k2=0.5', '-o', file, '-q');
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json).toMatchObject({ model: 'dimerisation', method: 'ssa', seed: 5, runs: 2, species: ['P', 'P2'], time: [0, 2, 4, 6, 8, 10] });
    expect(json.parameters.k2).toBe(0.5);
    expect(json.trajectories).toHaveLength(2);
    expect(json.trajectories[1].P).toHaveLength(6);
    // 2P ⇌ P2 conserves P + 2·P2 = 100.
    json.trajectories.forEach((t: { P: number[]; P2: number[] }) => t.P.forEach((p, i) => expect(p + 2 * t.P2[i]).toBe(100)));
  });

  it('rejects malformed JSON with file, line and column', async () => {
    const file = writeModel('broken.json', '{\n  "species": [\n    {"id": "X" "initial": 3}\n  ]\n}\n');
    const { code, stderr } = await sciope('simulate', file);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}: invalid JSON at line 3, column 16: expected ',' or '}'`);
  });

  it('names the offending field of an invalid model', async () => {
    const file = writeModel(
      'invalid.json',
      JSON.stringify({ species: [{ id: 'X', initial: 5 }], parameters: [{ id: 'k', value: 1 }], reactions: [{ id: 'r', reactants: { Y: 1 }, rate: 'k' }] }),
    );
    const { code, stderr } = await sciope('simulate', file);
    expect(code).toBe(2);
    expect(stderr).toContain('reactions[0].reactants.Y: unknown species "Y" (did you mean "X"?)');
  });

  it('rejects bad options, unknown models and unknown parameters with exit code 2', async () => {
    const runs = await sciope('simulate', 'vilar', '--runs', '0');
    expect(runs.code).toBe(2);
    expect(runs.stderr).toContain('--runs expects an integer between 1 and');
    const method = await sciope('simulate', 'vilar', '--method', 'euler');
    expect(method.stderr).toContain('expected one of ssa, tau, ode, hybrid, got "euler"');
    const unknown = await sciope('simulate', 'no-such-model');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no such file, and not a built-in example (examples: vilar,');
    const param = await sciope('simulate', 'birth-death', '--param', 'nu=1');
    expect(param.code).toBe(2);
    expect(param.stderr).toContain('unknown parameter "nu"; the model\'s parameters are lambda, mu');
    const out = await sciope('simulate', 'birth-death', '-o', join(work, 'x.txt'));
    expect(out.stderr).toContain('unsupported output format ".txt"; expected a .csv or .json file');
  });
});

describe('sciope examples and validate', () => {
  it('lists every example and prints one as valid model JSON', async () => {
    const list = await sciope('examples');
    expect(list.code).toBe(0);
    for (const name of ['vilar', 'vilar-sciope', 'toggle-switch', 'birth-death', 'immigration-death', 'dimerisation', 'michaelis-menten', 'lotka-volterra']) {
      expect(list.stdout).toMatch(new RegExp(`^${name}\\s`, 'm'));
    }
    const printed = await sciope('examples', 'toggle-switch');
    const file = writeModel('toggle.json', printed.stdout);
    const check = await sciope('validate', file);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('valid model "toggle-switch" with 2 species, 5 parameters, 4 reactions');
  });
});
