/**
 * NPE as a study algorithm: `{"kind": "npe", ...}` parses with defaults and
 * precise field errors, runStudy runs it over the study's executor and
 * returns a Posterior with one equally weighted generation per round, and
 * a stopped NPE run is refused for resuming.
 *
 * The toy: θ ~ U(−3, 3), x | θ ~ N(θ, 0.5²), x_o = 1. The posterior is
 * N(1, 0.5²) truncated at ±3 (4 sd away: negligible), so mean 1, sd 0.5,
 * against the prior's mean 0, sd 1.73. With 300 simulations, a two-block
 * flow and at most 60 epochs the estimator is rough; the mean is checked to
 * 0.25 (half a posterior sd) and the sd to [0.3, 0.8]: far from the prior
 * either way. The 1,000 draws add a Monte Carlo error of 0.016 to the mean.
 */
import { describe, expect, it } from 'vitest';
import { InferenceError, parseObservedCsv, parseStudy, runStudy, StudyError } from '../../../engine/infer';
import { getExample } from '../../../engine/model';
import { FunctionExecutor } from './fixtures';
import { TINY_NPE } from './npeFixtures';

const base = { model: 'birth-death', observed: 'obs.csv', priors: { lambda: [-3, 3] }, summaries: { kind: 'identity' } };

function studyErrors(json: unknown): string[] {
  try {
    parseStudy(json, 'study.json');
  } catch (error) {
    expect(error).toBeInstanceOf(StudyError);
    return (error as StudyError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a StudyError');
}

const observed = parseObservedCsv('time,X\n0,1\n');

describe('NPE study algorithm: parsing', () => {
  it('fills the defaults: 2,000 simulations, one round, 1,000 posterior samples; no regression adjustment', () => {
    const study = parseStudy({ ...base, algorithm: { kind: 'npe' } }, 'study.json');
    expect(study.algorithm).toEqual({ kind: 'npe', simulations: 2000, rounds: 1, posteriorSamples: 1000 });
    const given = parseStudy({ ...base, algorithm: { kind: 'npe', simulations: 500, rounds: 2, training: { maxEpochs: 5 } } }, 'study.json');
    expect(given.algorithm).toEqual({ kind: 'npe', simulations: 500, rounds: 2, posteriorSamples: 1000, training: { maxEpochs: 5 } });
  });

  it('names every bad field', () => {
    expect(
      studyErrors({
        ...base,
        algorithm: { kind: 'npe', simulations: 5, rounds: 0, posteriorSamples: 1.5, training: { learningRate: -1, validationFraction: 1, epochs: 3 } },
      }),
    ).toEqual([
      'algorithm.simulations: expected an integer >= 10',
      'algorithm.rounds: expected an integer >= 1',
      'algorithm.posteriorSamples: expected an integer >= 1',
      'algorithm.training.learningRate: expected a number > 0',
      'algorithm.training.validationFraction: expected a number in (0, 1)',
      expect.stringMatching(/^algorithm\.training.*epochs/),
    ]);
    expect(studyErrors({ ...base, algorithm: { kind: 'npe', simulations: 40, rounds: 5 } })).toEqual([
      'algorithm.simulations: expected at least 10 simulations per round (50 for 5 rounds), got 40',
    ]);
    expect(studyErrors({ ...base, algorithm: { kind: 'npe', rounds: 2, sequential: 'apt' } })).toEqual([
      'algorithm.sequential: expected "truncated" or "atomic"',
    ]);
    expect(studyErrors({ ...base, algorithm: { kind: 'npe', flow: { activation: 'sigmoid' } } })).toEqual([
      'algorithm.flow.activation: expected "tanh" or "relu"',
    ]);
    expect(studyErrors({ ...base, algorithm: { kind: 'npe', regressionAdjustment: true } })[0]).toMatch(
      /^algorithm\.regressionAdjustment: regression adjustment corrects ABC particles/,
    );
    expect(studyErrors({ ...base, algorithm: { kind: 'neural' } })[0]).toContain('"npe"');
  });
});

describe('NPE study algorithm: running', () => {
  it('runs over the study executor and returns one equally weighted generation per round, centred on the exact posterior', async () => {
    const study = parseStudy({ ...base, algorithm: TINY_NPE, seed: 5 }, 'study.json');
    const executor = new FunctionExecutor((p, rng) => [p[0] + 0.5 * rng.nextNormal()], 100);
    const epochs: number[] = [];
    const estimators: unknown[] = [];
    const generations: number[] = [];
    const progress: string[] = [];
    const posterior = await runStudy(study, getExample('birth-death')!, observed, {
      executor,
      onTrainingEpoch: (round, epoch) => epochs.push(round * 1000 + epoch.epoch),
      onEstimator: (json) => void estimators.push(json),
      onGeneration: (g) => void generations.push(g.index),
      onProgress: (event) => progress.push(event.phase),
    });
    expect(executor.calls).toBeGreaterThan(0);
    expect(generations).toEqual([0]);
    expect(estimators).toHaveLength(1);
    expect(estimators[0]).toMatchObject({ kind: 'neuralPosterior', parameterNames: ['lambda'], rounds: [{ round: 0, simulations: 300 }] });
    expect(epochs.length).toBeGreaterThan(3);
    expect(epochs[0]).toBe(1);
    // The round's completion is reported after its generation was handed over (a viewer fetching it finds it).
    expect(progress.at(-1)).toBe('generation');
    expect(posterior.simulations).toBe(300);
    expect(posterior.config).toMatchObject({ algorithm: 'npe', posteriorSamples: 1000, seed: 5 });
    const last = posterior.generations.at(-1)!;
    expect(last.count).toBe(1000);
    expect(new Set(last.weights).size).toBe(1);
    const [summary] = posterior.summary();
    expect(summary.mean).toBeGreaterThan(0.75);
    expect(summary.mean).toBeLessThan(1.25);
    expect(summary.sd).toBeGreaterThan(0.3);
    expect(summary.sd).toBeLessThan(0.8);
  }, 60_000);

  it.each([
    ['truncated (TSNPE, the default)', undefined, 'tsnpe'],
    ['atomic (SNPE-C)', 'atomic', 'snpe'],
  ] as const)(
    'runs sequential rounds, %s, as one stored generation each, the budget split over them',
    async (_, sequential, algorithm) => {
      const settings = { ...TINY_NPE, rounds: 2, posteriorSamples: 200, ...(sequential ? { sequential } : {}) };
      const study = parseStudy({ ...base, algorithm: settings, seed: 9 }, 'study.json');
      const generations: Array<{ index: number; simulations: number }> = [];
      let rounds: unknown[] = [];
      const posterior = await runStudy(study, getExample('birth-death')!, observed, {
        executor: new FunctionExecutor((p, rng) => [p[0] + 0.5 * rng.nextNormal()], 100),
        onGeneration: (g) => void generations.push({ index: g.index, simulations: g.simulations }),
        onEstimator: (json) => void (rounds = [...json.rounds]),
      });
      expect(generations).toEqual([
        { index: 0, simulations: 150 },
        { index: 1, simulations: 150 },
      ]);
      expect(rounds).toHaveLength(2);
      expect(posterior.generations.map((g) => g.count)).toEqual([200, 200]);
      expect(posterior.simulations).toBe(300);
      expect(posterior.config).toMatchObject({ algorithm, rounds: 2, sequential: sequential ?? 'truncated' });
    },
    60_000,
  );

  it('refuses to resume an NPE run and ABC overrides, saying why', async () => {
    const study = parseStudy({ ...base, algorithm: TINY_NPE }, 'study.json');
    const model = getExample('birth-death')!;
    await expect(runStudy(study, model, observed, { resumeFrom: {} as never, seed: 1 })).rejects.toThrow(InferenceError);
    await expect(runStudy(study, model, observed, { resumeFrom: {} as never, seed: 1 })).rejects.toThrow(/npe runs cannot be resumed/);
    await expect(runStudy(study, model, observed, { populationSize: 10 })).rejects.toThrow(/populationSize is an ABC setting/);
  });
});
