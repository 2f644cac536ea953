import { describe, expect, it } from 'vitest';
import { parseStudy } from '../../../engine/infer/study.js';
import { studyModelMismatches } from '../../../engine/infer/studyModelMismatches.js';
import type { ReactionNetworkInput } from '../../../engine/model/index.js';

describe('studyModelMismatches', () => {
  const model: ReactionNetworkInput = {
    name: 'decay',
    species: [{ id: 'X', initial: 10 }],
    parameters: [{ id: 'k', value: 1 }],
    reactions: [{ id: 'd', reactants: { X: 1 }, rate: 'k' }],
  };
  const study = (fields: Record<string, unknown>) => parseStudy({ name: 's', model: 'decay', observed: 'data.csv', ...fields }, 'study');

  it('is empty when the priors and species are the model’s', () => {
    expect(studyModelMismatches(study({ priors: { k: [0.1, 2] } }), model, ['X'])).toEqual([]);
  });

  it('names every prior on a missing parameter and every missing species, chosen or observed', () => {
    expect(studyModelMismatches(study({ priors: { k: [0.1, 2], q: [0, 1] } }), model, ['X', 'Y'])).toEqual([
      { path: 'priors.q', message: 'the model has no parameter "q"; its parameters are k' },
      { path: 'species', message: '"Y" is not a species of the model (species: X)' },
    ]);
    // Species chosen in the study are checked instead of the observed columns.
    expect(studyModelMismatches(study({ priors: { k: [0.1, 2] }, species: ['Z'] }), model, ['X'])).toEqual([
      { path: 'species', message: '"Z" is not a species of the model (species: X)' },
    ]);
  });
});
