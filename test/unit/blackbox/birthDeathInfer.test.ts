import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { deriveStreamState } from '../../../engine/sample/random/seedDerivation.js';
import { CommandSimulator } from '../../../engine/simulate/blackbox/index.js';
import { parseStudy } from '../../../engine/infer/study.js';
import { sciope } from '../cli/runSciope.js';

const fixtures = fileURLToPath(new URL('../../fixtures/blackbox/', import.meta.url));
const studyPath = join(fixtures, 'birth-death.study.json');
const script = fileURLToPath(new URL('../../../resources/simulators/birth_death.py', import.meta.url));

describe('the Python birth-death simulator (resources/simulators/birth_death.py)', () => {
  const simulator = new CommandSimulator({
    kind: 'command',
    command: ['python3', script],
    parameters: [
      { id: 'lambda', value: 0.3 },
      { id: 'mu', value: 0.6 },
      { id: 'x0', value: 100 },
    ],
    species: ['X'],
  });
  afterAll(() => simulator.close());

  it('has the closed-form mean x0 exp((lambda - mu) t)', () => {
    const grid = Float64Array.of(0, 1, 2, 4);
    const out = new Float64Array(4);
    const runs = 400;
    const sum = new Float64Array(4);
    for (let r = 0; r < runs; r++) {
      simulator.simulateInto(out, grid, simulator.defaultParameters, deriveStreamState(11, r));
      for (let g = 0; g < 4; g++) sum[g] += out[g];
    }
    for (let g = 0; g < 4; g++) {
      const t = grid[g];
      const mean = 100 * Math.exp(-0.3 * t);
      // Var X(t) = x0 (l+m)/(l-m) e^{(l-m)t} (e^{(l-m)t} - 1); 4 standard errors of the mean of 400 runs.
      const variance = ((100 * 0.9) / -0.3) * Math.exp(-0.3 * t) * (Math.exp(-0.3 * t) - 1);
      expect(Math.abs(sum[g] / runs - mean)).toBeLessThanOrEqual(4 * Math.sqrt(variance / runs) + 1e-9);
    }
  });

  it('recovers the death rate through `sciope infer` on the closed-form mean', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sciope-bb-infer-')), 'posterior.json');
    // Approved beforehand, as its author would (README, Security): then infer runs it without asking.
    expect((await sciope('trust', 'approve', '--yes', studyPath)).code).toBe(0);
    const result = await sciope('infer', '--quiet', '--workers', '2', '--out', out, studyPath);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { summary } = JSON.parse(readFileSync(out, 'utf8')) as { summary: Array<{ parameter: string; mean: number; lower: number; upper: number }> };
    const mu = summary.find((r) => r.parameter === 'mu')!;
    // Observed = the exact mean curve for mu = 0.6; 1,000 prior draws, 5% kept,
    // each trial the mean of 4 runs: the posterior sd is ~0.04, so 0.06 is
    // ~1.5 sd of slack on the mean; the prior (uniform 0.1..1.5) has sd 0.4.
    expect(Math.abs(mu.mean - 0.6)).toBeLessThan(0.06);
    expect(mu.upper - mu.lower).toBeLessThan(0.3);
    expect(mu.lower).toBeLessThan(0.6);
    expect(mu.upper).toBeGreaterThan(0.6);
  });

  it('is accepted by `sciope simulate` as a {"simulator": ...} file', async () => {
    const result = await sciope('simulate', '--trust', join(fixtures, 'birth-death.simulator.json'), '-n', '400', '-t', '4', '-p', '5', '-s', '3');
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/approved \(--trust\)[\s\S]*birth_death\.py/);
    const mean = Number(/^X\s+([\d.]+)/m.exec(result.stdout)?.[1]);
    // 400 runs: standard error of the mean ~0.4 around 100 e^{-1.2} = 30.1; 4 standard errors.
    expect(Math.abs(mean - 100 * Math.exp(-1.2))).toBeLessThan(1.6);
  });

  it('resolves the study simulator relative to the study file and checks priors against its declaration', () => {
    const study = parseStudy(JSON.parse(readFileSync(studyPath, 'utf8')), studyPath);
    expect(study.simulator).toMatchObject({ kind: 'command', cwd: fixtures.replace(/\/$/, '') });
    const json = JSON.parse(readFileSync(studyPath, 'utf8')) as { priors: Record<string, unknown> };
    json.priors.gamma = { kind: 'uniform', lower: 0, upper: 1 };
    expect(() => parseStudy(json, studyPath)).toThrow(/priors.gamma: the simulator declares no parameter "gamma"; its parameters are lambda, mu, x0/);
    const bad = JSON.parse(readFileSync(studyPath, 'utf8')) as { model: { simulator: { species: unknown } } };
    bad.model.simulator.species = [];
    expect(() => parseStudy(bad, studyPath)).toThrow(/model.simulator.species: expected at least one species/);
  });
});
