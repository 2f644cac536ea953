/**
 * The inference form's NPE choice: written as the study's `{"kind": "npe"}`
 * algorithm that the engine's parser accepts (no ABC fields, no regression
 * adjustment), read back from a stored study, with the engine's defaults.
 */
import { describe, expect, it } from 'vitest';
import { NPE_STUDY_DEFAULTS } from '../../../engine/infer/npeStudy';
import { parseStudy } from '../../../engine/infer/study';
import { algorithmSpec, ALGORITHM_LABELS, defaultSettings, describeAlgorithm, settingsFromSpecs } from '../../../renderer/src/components/inference/settings';

const npeSettings = (change: Partial<ReturnType<typeof defaultSettings>['algorithm']> = {}) => ({
  ...defaultSettings().algorithm,
  kind: 'npe' as const,
  ...change,
});

describe('inference form: NPE', () => {
  it('starts from the study defaults', () => {
    const a = defaultSettings().algorithm;
    expect({ simulations: a.simulations, rounds: a.rounds, posteriorSamples: a.posteriorSamples }).toEqual(NPE_STUDY_DEFAULTS);
  });

  it('writes an algorithm the study parser accepts, and reads it back', () => {
    const a = npeSettings({ simulations: 300, rounds: 2, posteriorSamples: 500 });
    const spec = algorithmSpec(a);
    expect(spec).toEqual({ kind: 'npe', simulations: 300, rounds: 2, posteriorSamples: 500 });
    const parsed = parseStudy({ model: 'vilar', observed: 'observed.csv', priors: { alpha_A: [0, 100] }, algorithm: spec }, 'form').algorithm;
    expect(parsed).toEqual(spec);
    const back = settingsFromSpecs(defaultSettings(), { algorithm: spec }).algorithm;
    expect(back).toMatchObject({ kind: 'npe', simulations: 300, rounds: 2, posteriorSamples: 500 });
  });

  it('describes itself and is labelled in the runs table', () => {
    expect(describeAlgorithm(npeSettings())).toBe('NPE · 2000 simulations');
    expect(describeAlgorithm(npeSettings({ rounds: 4 }))).toBe('Sequential NPE · 4 rounds · 2000 simulations');
    expect(ALGORITHM_LABELS.npe).toBe('NPE');
  });
});
