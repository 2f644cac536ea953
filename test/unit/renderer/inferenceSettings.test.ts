import { describe, expect, it } from 'vitest';
import { createKernel } from '../../../engine/infer/parts/kernels';
import { DEFAULT_STUDY_REGRESSION_ADJUSTMENT, parseStudy } from '../../../engine/infer/study';
import {
  algorithmSpec,
  DEFAULT_REGRESSION_ADJUSTMENT,
  defaultSettings,
  describeAlgorithm,
  kernelSpec,
  settingsFromSpecs,
  type AlgorithmSettings,
} from '../../../renderer/src/components/inference/settings';

/** The form's algorithm settings after a trip through the study's spec and back. */
function roundTrip(a: AlgorithmSettings): AlgorithmSettings {
  return settingsFromSpecs(defaultSettings(), { algorithm: algorithmSpec(a) }).algorithm;
}

function withAlgorithm(change: Partial<AlgorithmSettings>): AlgorithmSettings {
  return { ...defaultSettings().algorithm, ...change };
}

/** The engine's own study parser is the judge of what the form writes (model and data are only named, never read). */
function parsedAlgorithm(algorithm: unknown) {
  return parseStudy({ model: 'vilar', observed: 'observed.csv', priors: { alpha_A: [0, 100] }, algorithm }, 'form').algorithm;
}

describe('inference form: regression adjustment', () => {
  it('defaults to the study default, so the app runs what `sciope infer` runs', () => {
    expect(DEFAULT_REGRESSION_ADJUSTMENT).toBe(DEFAULT_STUDY_REGRESSION_ADJUSTMENT);
    expect(defaultSettings().algorithm.regressionAdjustment).toBe(DEFAULT_STUDY_REGRESSION_ADJUSTMENT);
  });

  it.each(['smcAbc', 'replenishmentSmcAbc', 'abcRejection'] as const)('is written for %s and read back, on and off', (kind) => {
    for (const on of [true, false]) {
      const a = withAlgorithm({ kind, regressionAdjustment: on });
      expect(algorithmSpec(a).regressionAdjustment).toBe(on);
      expect(roundTrip(a).regressionAdjustment).toBe(on);
      expect(parsedAlgorithm(algorithmSpec(a)).regressionAdjustment).toBe(on);
    }
  });

  it('reads a study without the field as the study default, whatever the form had, and an object spec as on', () => {
    const base = defaultSettings();
    base.algorithm.regressionAdjustment = !DEFAULT_STUDY_REGRESSION_ADJUSTMENT;
    expect(settingsFromSpecs(base, { algorithm: { kind: 'smcAbc', populationSize: 100 } }).algorithm.regressionAdjustment).toBe(
      DEFAULT_STUDY_REGRESSION_ADJUSTMENT,
    );
    expect(
      settingsFromSpecs(base, { algorithm: { kind: 'smcAbc', regressionAdjustment: { kind: 'localLinear', transform: false } } }).algorithm
        .regressionAdjustment,
    ).toBe(true);
  });

  it('is named in the run header line', () => {
    expect(describeAlgorithm(withAlgorithm({ regressionAdjustment: true }))).toBe('SMC-ABC · 200 particles · up to 8 generations · regression-adjusted');
    expect(describeAlgorithm(withAlgorithm({ regressionAdjustment: false }))).toBe('SMC-ABC · 200 particles · up to 8 generations');
  });
});

describe('inference form: SMC-ABC kernels', () => {
  const cases: Array<[string, Partial<AlgorithmSettings>, Record<string, unknown>]> = [
    ['fixed-factor normal', { kernel: 'multivariateNormal', kernelScaleRule: 'fixed', kernelScale: 1.5 }, { kind: 'multivariateNormal', scale: 1.5 }],
    ["Silverman's rule", { kernel: 'multivariateNormal', kernelScaleRule: 'silverman' }, { kind: 'multivariateNormal', scale: 'silverman' }],
    ["Scott's rule", { kernel: 'multivariateNormal', kernelScaleRule: 'scott' }, { kind: 'multivariateNormal', scale: 'scott' }],
    ['local covariance', { kernel: 'localCovariance' }, { kind: 'localCovariance' }],
    ['nearest neighbour', { kernel: 'nearestNeighbour', kernelFraction: 0.3, kernelScale: 1.5 }, { kind: 'nearestNeighbour', fraction: 0.3, scale: 1.5 }],
  ];

  it.each(cases)('%s: written as the engine names it, built by the engine, read back unchanged', (_name, change, spec) => {
    const a = withAlgorithm(change);
    expect(kernelSpec(a)).toEqual(spec);
    expect(algorithmSpec(a).kernel).toEqual(spec);
    expect(createKernel(kernelSpec(a)).toJSON()).toEqual(spec);
    expect(parsedAlgorithm(algorithmSpec(a))).toMatchObject({ kind: 'smcAbc', kernel: spec });
    const back = roundTrip(a);
    expect(kernelSpec(back)).toEqual(spec);
    expect(back.kernel).toBe(a.kernel);
  });

  it('a study with a multivariate normal kernel replaces a local kernel the form had', () => {
    const base = defaultSettings();
    base.algorithm.kernel = 'nearestNeighbour';
    base.algorithm.kernelScaleRule = 'scott';
    const read = settingsFromSpecs(base, { algorithm: { kind: 'smcAbc', kernel: { kind: 'multivariateNormal', scale: 3 } } }).algorithm;
    expect(read.kernel).toBe('multivariateNormal');
    expect(read.kernelScaleRule).toBe('fixed');
    expect(read.kernelScale).toBe(3);
  });
});

describe('inference form: minFinalPopulation', () => {
  it('is written only with a simulation budget, accepted by the study parser and read back', () => {
    const a = withAlgorithm({ maxSimulations: 5_000, minFinalPopulation: 50 });
    expect(algorithmSpec(a)).toMatchObject({ maxSimulations: 5_000, minFinalPopulation: 50 });
    expect(parsedAlgorithm(algorithmSpec(a))).toMatchObject({ maxSimulations: 5_000, minFinalPopulation: 50 });
    expect(roundTrip(a).minFinalPopulation).toBe(50);
    // Without a budget there is no budget's last generation: the field would only mislead a reader of the study.
    expect(algorithmSpec(withAlgorithm({ maxSimulations: null, minFinalPopulation: 50 }))).not.toHaveProperty('minFinalPopulation');
    expect(algorithmSpec(withAlgorithm({ maxSimulations: 5_000, minFinalPopulation: null }))).not.toHaveProperty('minFinalPopulation');
  });
});
