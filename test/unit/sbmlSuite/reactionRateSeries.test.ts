import { describe, expect, it } from 'vitest';
import { validateModel } from '../../../engine/model/index.js';
import { reactionRateSeries } from '../../../engine/sbmlSuite/reactionRateSeries.js';
import type { GeneralTrajectory } from '../../../engine/simulate/general/types.js';

const model = validateModel(
  {
    compartments: [{ id: 'C', size: 2 }],
    species: [{ id: 'S', initial: 4, compartment: 'C', amountOnly: false }],
    parameters: [{ id: 'k', value: 0.5 }],
    reactions: [
      { id: 'J1', reactants: { S: 1 }, propensity: 'k * S * C' },
      { id: 'J2', products: { S: 1 }, propensity: 't + 1' },
      { id: 'J3', products: { S: 1 }, rate: 1 },
    ],
  },
  'test',
);

const series = (...v: number[]) => Float64Array.from(v);
const trajectory: GeneralTrajectory = {
  time: series(0, 1),
  amounts: new Map([['S', series(4, 3)]]),
  concentrations: new Map([['S', series(2, 1.5)]]),
  // As expressions read them: S (amountOnly false) is its concentration.
  values: new Map([
    ['S', series(2, 1.5)],
    ['k', series(0.5, 0.5)],
    ['C', series(2, 2)],
  ]),
  stats: { steps: 0, rejected: 0, events: 0, stiff: false },
};

describe('reactionRateSeries', () => {
  it('evaluates the kinetic law from the recorded values and t at each output time', () => {
    expect([...(reactionRateSeries(model, trajectory, 'J1') ?? [])]).toEqual([0.5 * 2 * 2, 0.5 * 1.5 * 2]);
    expect([...(reactionRateSeries(model, trajectory, 'J2') ?? [])]).toEqual([1, 2]);
  });

  it('gives nothing for a reaction without a kinetic law, an unknown id, or a law reading an unrecorded name', () => {
    expect(reactionRateSeries(model, trajectory, 'J3')).toBeUndefined();
    expect(reactionRateSeries(model, trajectory, 'S')).toBeUndefined();
    expect(reactionRateSeries(model, { ...trajectory, values: new Map() }, 'J1')).toBeUndefined();
  });
});
