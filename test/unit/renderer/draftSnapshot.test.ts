import { describe, expect, it } from 'vitest';
import { draftSnapshot, restoreDraft, type DraftFields } from '../../../renderer/src/stores/draftSnapshot';

const fields: DraftFields = {
  species: ['U'],
  priorRows: [
    { parameter: 'alpha1', value: 50, infer: true, kind: 'uniform', fields: { lower: 25, upper: 100 } },
    { parameter: 'key', value: 2, infer: false, kind: 'truncatedNormal', fields: { mean: 2, sd: 1, lower: null, upper: 4 } },
  ],
  summaries: { kind: 'time-series-features', set: 'efficient' },
  distance: { kind: 'adaptive' },
  algorithm: { kind: 'smcAbc', populationSize: 20, maxGenerations: 3 },
  simulation: { method: 'ssa', runsPerTrial: 2 },
  seed: 7,
  truth: { alpha1: 50, key: 2 },
};

describe('study draft snapshots', () => {
  it('come back as they were saved, through JSON', () => {
    const snapshot = JSON.parse(JSON.stringify(draftSnapshot(fields))) as unknown;
    expect(restoreDraft(snapshot)).toEqual(fields);
  });

  it('use no parameter name as a JSON key (the engine refuses keys such as "key")', () => {
    const text = JSON.stringify(draftSnapshot(fields));
    expect(text).not.toContain('"key":');
  });

  it('give back what is usable of a damaged draft, and nothing of a foreign one', () => {
    expect(restoreDraft(null)).toBeNull();
    expect(restoreDraft({ version: 99 })).toBeNull();
    const partial = restoreDraft({
      version: 1,
      priorRows: [
        {
          parameter: 'a',
          value: 1,
          infer: true,
          kind: 'uniform',
          fields: [
            ['lower', 0],
            ['upper', 'x'],
          ],
        },
        { parameter: 3 },
      ],
      algorithm: 'smc',
      seed: 1.5,
    });
    expect(partial).toEqual({ priorRows: [{ parameter: 'a', value: 1, infer: true, kind: 'uniform', fields: { lower: 0, upper: null } }], seed: null });
  });
});
