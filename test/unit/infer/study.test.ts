/**
 * Study files, the example studies, the `sciope infer` command, and the
 * acceptance check of Sciope's own test suite: ABC on the toggle switch
 * recovers the true parameters with a mean absolute error of the posterior
 * mean below 0.5 (prior uniform on [0.5θ, 2θ]; the prior mean alone scores 0.35,
 * so we also require the identifiable parameters alpha1, alpha2, mu within 0.15).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseObservedCsv, parseStudy, runStudy, StudyError, studyWithRegressionAdjustment } from '../../../engine/infer';
import type { ReactionNetworkInput } from '../../../engine/model/index.js';
import { getExample } from '../../../engine/model';
import { sciope } from '../cli/runSciope.js';

const studies = new URL('../../../resources/studies/', import.meta.url);
const readStudy = (name: string) => JSON.parse(readFileSync(new URL(`${name}/study.json`, studies), 'utf8'));

function studyErrors(json: unknown): string[] {
  try {
    parseStudy(json, 'study.json');
  } catch (error) {
    expect(error).toBeInstanceOf(StudyError);
    return (error as StudyError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a StudyError');
}

describe('study format', () => {
  it('the example studies validate; Vilar has the issue’s 15 parameters, bounds and order', () => {
    const toggle = parseStudy(readStudy('toggle-switch'), 'toggle-switch/study.json');
    expect(toggle.prior.names).toEqual(['alpha1', 'alpha2', 'beta', 'gamma', 'mu']);
    expect(toggle.summaries).toMatchObject({ kind: 'time-series-features', species: ['U', 'V'] });
    const vilar = parseStudy(readStudy('vilar'), 'vilar/study.json');
    expect(vilar.prior.names).toEqual([
      'alphaA',
      'alphaA_prime',
      'alphaR',
      'alphaR_prime',
      'betaA',
      'betaR',
      'deltaMA',
      'deltaMR',
      'deltaA',
      'deltaR',
      'gammaA',
      'gammaR',
      'gammaC',
      'thetaA',
      'thetaR',
    ]);
    expect(Array.from(vilar.prior.lower)).toEqual([0, 100, 0, 20, 10, 1, 1, 0, 0, 0, 0.5, 0, 0, 0, 0]);
    expect(Array.from(vilar.prior.upper)).toEqual([80, 600, 4, 60, 60, 7, 12, 2, 3, 0.7, 2.5, 4, 3, 70, 300]);
    const observed = parseObservedCsv(readFileSync(new URL('vilar/observed.csv', studies), 'utf8'), { species: vilar.species });
    expect(observed.speciesIds).toEqual(['C', 'A', 'R']);
  });

  it('the toggle-switch observed data are 100 trajectories at 101 times', () => {
    const observed = parseObservedCsv(readFileSync(new URL('toggle-switch/observed.csv', studies), 'utf8'));
    expect(observed.runs).toBe(100);
    expect(observed.time.length).toBe(101);
    expect(observed.speciesIds).toEqual(['U', 'V']);
  });

  it('reports every problem with its path', () => {
    expect(
      studyErrors({
        model: 'vilar',
        observed: 'x.csv',
        priors: { alphaA: { kind: 'uniform', lower: 0, upper: 0 } },
        summaries: { kind: 'time-series-features', set: 'huge' },
        algorithm: { kind: 'smcAbc', populationSize: 1 },
        truth: { nope: 1 },
      }),
    ).toEqual(['algorithm.populationSize: expected an integer >= 2']);
    expect(
      studyErrors({
        model: 'vilar',
        observed: 'x.csv',
        priors: { alphaA: { kind: 'uniform', lower: 0, upper: 0 } },
        summaries: { kind: 'time-series-features', set: 'huge' },
        distance: { kind: 'cosine' },
        truth: { nope: 1 },
      }),
    ).toEqual([
      'priors.alphaA.upper: expected a number > lower (0)',
      'summaries.set: expected one of minimal, efficient, comprehensive',
      'distance.kind: unknown kind "cosine"; expected one of euclidean, manhattan, weighted-euclidean, adaptive',
    ]);
    expect(studyErrors({ observed: 'x.csv', priors: {}, extra: 1 })).toEqual([
      'model: expected an example name, a model file path, or {"example": name} / {"file": path}',
      '(study): unknown field "extra"',
    ]);
  });

  it('ignores the truth of parameters without a prior (held at their model value, not inferred)', () => {
    const study = parseStudy(
      { model: 'toggle-switch', observed: 'x.csv', priors: { alpha1: [0.5, 2], mu: [0.5, 2] }, truth: { alpha1: 1, alpha2: 1, beta: 2, mu: 1 } },
      's.json',
    );
    expect(study.prior.names).toEqual(['alpha1', 'mu']);
    expect(study.truth).toEqual({ alpha1: 1, mu: 1 });
    // Only truths of parameters that are not inferred: the study has no truth at all.
    expect(parseStudy({ model: 'toggle-switch', observed: 'x.csv', priors: { mu: [0.5, 2] }, truth: { alpha2: 1 } }, 's.json').truth).toBeUndefined();
  });

  it('adjusts by regression unless the study says otherwise; the flag of `sciope infer` writes it into the study', () => {
    const base = { model: 'toggle-switch', observed: 'x.csv', priors: { mu: [0.5, 2] } };
    expect(parseStudy(base, 's.json').algorithm).toEqual({ kind: 'smcAbc', regressionAdjustment: true });
    expect(parseStudy({ ...base, algorithm: { kind: 'abcRejection', budget: 100 } }, 's.json').algorithm).toEqual({
      kind: 'abcRejection',
      budget: 100,
      regressionAdjustment: true,
    });
    expect(parseStudy({ ...base, algorithm: { kind: 'smcAbc', regressionAdjustment: false, minFinalPopulation: 10 } }, 's.json').algorithm).toEqual({
      kind: 'smcAbc',
      regressionAdjustment: false,
      minFinalPopulation: 10,
    });
    expect(parseStudy({ ...base, algorithm: { kind: 'smcAbc', regressionAdjustment: { transform: false } } }, 's.json').algorithm.regressionAdjustment).toEqual(
      { transform: false },
    );
    expect(studyErrors({ ...base, algorithm: { kind: 'smcAbc', regressionAdjustment: 'yes' } })).toEqual([
      'algorithm.regressionAdjustment: expected true, false or {"kind": "localLinear", "transform": true | false}',
    ]);
    expect(studyErrors({ ...base, algorithm: { kind: 'smcAbc', minFinalPopulation: 1 } })).toEqual(['algorithm.minFinalPopulation: expected an integer >= 2']);
    expect(studyWithRegressionAdjustment(base, false)).toEqual({ ...base, algorithm: { kind: 'smcAbc', regressionAdjustment: false } });
    expect(studyWithRegressionAdjustment({ ...base, algorithm: { kind: 'abcRejection', k: 5 } }, true).algorithm).toEqual({
      kind: 'abcRejection',
      k: 5,
      regressionAdjustment: true,
    });
    expect(studyWithRegressionAdjustment(base, undefined)).toBe(base);
  });

  it('runStudy names priors the model lacks', async () => {
    const study = parseStudy({ model: 'toggle-switch', observed: 'x.csv', priors: { kappa: [0, 1] } }, 's.json');
    const observed = parseObservedCsv('time,U,V\n0,1,1\n1,2,2\n');
    await expect(runStudy(study, getExample('toggle-switch')!, observed)).rejects.toThrow(/priors.kappa: the model "toggle-switch" has no parameter "kappa"/);
  });
});

describe('the simulation method of a model beyond molecule counts', () => {
  /** Decay of a concentration in a compartment of size 2: beyond counts, but convertible (1 mol = N_A molecules is too many, so items). */
  const concentrationModel = {
    name: 'decay',
    compartments: [{ id: 'cell', size: 2 }],
    species: [{ id: 'X', initial: 200, compartment: 'cell', amountOnly: false, units: 'item' }],
    parameters: [{ id: 'k', value: 0.5 }],
    reactions: [{ id: 'decay', reactants: { X: 1 }, propensity: 'k * X * cell' }],
  };
  const withRateRule = {
    ...concentrationModel,
    parameters: [...concentrationModel.parameters, { id: 'V', value: 1 }],
    rules: [{ type: 'rate', variable: 'V', expression: '-V' }],
  };
  const observed = parseObservedCsv('time,X\n0,100\n1,60\n2,37\n');
  const base = { model: 'decay.json', observed: 'x.csv', priors: { k: [0.1, 1] }, algorithm: { kind: 'abcRejection', budget: 40, k: 5 }, seed: 1 };

  const methodOf = (posterior: Awaited<ReturnType<typeof runStudy>>) => (posterior.toJSON().config as { simulation: { method: string } }).simulation.method;

  it('is ode when the study names none and counting would change a number, and the run uses it', async () => {
    const study = parseStudy(base, 's.json');
    const realAmount = { ...concentrationModel, species: [{ ...concentrationModel.species[0], initial: 200.5 }] };
    expect(methodOf(await runStudy(study, realAmount as ReactionNetworkInput, observed))).toBe('ode');
  });

  it('stays ssa when the study names none and the model counts items in whole numbers (compartment listed, as SBML has it)', async () => {
    const study = parseStudy(base, 's.json');
    expect(methodOf(await runStudy(study, concentrationModel as ReactionNetworkInput, observed))).toBe('ssa');
  });

  it('runs a stochastic method the study names on the model converted to molecule counts', async () => {
    const study = parseStudy({ ...base, simulation: { method: 'ssa', runsPerTrial: 2 } }, 's.json');
    const posterior = await runStudy(study, concentrationModel as ReactionNetworkInput, observed);
    expect(posterior.mean()[0]).toBeGreaterThan(0.1);
  });

  it('refuses a stochastic method for a model that cannot be counted, before any simulation, naming the rule', async () => {
    const study = parseStudy({ ...base, simulation: { method: 'tau' } }, 's.json');
    await expect(runStudy(study, withRateRule as ReactionNetworkInput, observed)).rejects.toThrow(
      /simulation\.method: method tau needs molecule counts: .*rate rule on V/s,
    );
  });
});

describe('toggle switch: SMC-ABC recovers the truth (Sciope’s acceptance check)', () => {
  it('mean absolute error of the posterior mean < 0.5', async () => {
    const study = parseStudy(readStudy('toggle-switch'), 'toggle-switch/study.json');
    const observed = parseObservedCsv(readFileSync(new URL('toggle-switch/observed.csv', studies), 'utf8'), { species: study.species });
    // A smaller run than the example's (150 particles, 6 generations) keeps the test near 3 s.
    const posterior = await runStudy(study, getExample('toggle-switch')!, observed, { populationSize: 150, maxGenerations: 6 });
    const mean = posterior.mean();
    const truth = study.prior.names.map((n) => study.truth![n]);
    const errors = truth.map((t, k) => Math.abs(mean[k] - t));
    expect(errors.reduce((a, b) => a + b, 0) / errors.length).toBeLessThan(0.5);
    // alpha1, alpha2 and mu are identifiable from these features; beta and gamma barely move from the prior.
    for (const k of [0, 1, 4]) expect(errors[k]).toBeLessThan(0.15);
    const intervals = posterior.credibleInterval(0.95);
    truth.forEach((t, k) => {
      expect(intervals[k][0]).toBeLessThan(t);
      expect(intervals[k][1]).toBeGreaterThan(t);
    });
  });
});

describe('sciope infer', () => {
  it('--help documents the study format', async () => {
    const { code, stdout } = await sciope('infer', '--help');
    expect(code).toBe(0);
    for (const field of ['model', 'observed', 'species', 'priors', 'summaries', 'distance', 'simulation', 'algorithm', 'seed', 'output', 'truth']) {
      expect(stdout).toMatch(new RegExp(`^  ${field}\\s`, 'm'));
    }
  });

  it('runs a study, prints the per-parameter table with the truth, and writes CSV and JSON', async () => {
    const work = mkdtempSync(join(tmpdir(), 'sciope-infer-'));
    const csv =
      readFileSync(new URL('toggle-switch/observed.csv', studies), 'utf8')
        .split('\n')
        .slice(0, 1 + 5 * 101)
        .join('\n') + '\n';
    writeFileSync(join(work, 'data.csv'), csv);
    const study = { ...readStudy('toggle-switch'), observed: 'data.csv', output: 'posterior.json', simulation: { runsPerTrial: 2 } };
    writeFileSync(join(work, 'study.json'), JSON.stringify(study));
    const { code, stdout, stderr } = await sciope('infer', join(work, 'study.json'), '-n', '40', '-g', '2', '--seed', '7');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('toggle-switch: smcAbc, seed 7, 2 generations');
    expect(stdout).toMatch(/^parameter\s+mean\s+median\s+2\.5%\s+97\.5%\s+truth$/m);
    expect(stdout).toMatch(/^mu\s+\d/m);
    expect(stdout).toMatch(/mean absolute error of the posterior mean: \d/);
    const json = JSON.parse(readFileSync(join(work, 'posterior.json'), 'utf8'));
    expect(json.posterior.generations).toHaveLength(2);
    expect(json.posterior.config).toMatchObject({ algorithm: 'smcAbc', seed: 7, populationSize: 40 });
    const out = join(work, 'p.csv');
    expect((await sciope('infer', join(work, 'study.json'), '-n', '40', '-g', '1', '-q', '-o', out)).code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('alpha1,alpha2,beta,gamma,mu,weight,distance');
    expect(lines).toHaveLength(41);
  });

  it('bad studies and data fail with exit code 2 and a message naming the place', async () => {
    const work = mkdtempSync(join(tmpdir(), 'sciope-infer-'));
    writeFileSync(join(work, 'data.csv'), 'time,U,V\n0,1,1\n1,x,2\n');
    writeFileSync(join(work, 'study.json'), JSON.stringify({ model: 'toggle-switch', observed: 'data.csv', priors: { mu: [0.5, 2] } }));
    const bad = await sciope('infer', join(work, 'study.json'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${join(work, 'data.csv')}: line 3, column 2 (U): "x" is not a number`);
    writeFileSync(
      join(work, 'study2.json'),
      JSON.stringify({ model: 'toggle-switch', observed: 'data.csv', priors: { mu: { kind: 'uniform', lower: 2, upper: 1 } } }),
    );
    const invalid = await sciope('infer', join(work, 'study2.json'));
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('priors.mu.upper: expected a number > lower (2)');
  });
});
