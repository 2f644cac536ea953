import { describe, expect, it } from 'vitest';
import { observedSeries, posteriorPredictiveTrials } from '../../../engine/infer/posteriorPredictive.js';
import { InferenceError } from '../../../engine/infer/errors.js';
import { Xoshiro128 } from '../../../engine/sample/random/index.js';

describe('posteriorPredictiveTrials', () => {
  // Three particles over (b, a) in the generation's order; the model's order is (a, c, b), c not inferred.
  const generation = { dimension: 2, particles: Float64Array.of(10, 1, 20, 2, 30, 3), weights: Float64Array.of(0.2, 0, 0.8) };
  const model = [
    { id: 'a', value: -1 },
    { id: 'c', value: 7 },
    { id: 'b', value: -2 },
  ];

  it('puts each drawn particle into the model parameters in the simulator order, keeping the rest', () => {
    const trials = posteriorPredictiveTrials(generation, ['b', 'a'], model, 50, Xoshiro128.fromSeed(3, 7));
    expect(trials).toHaveLength(50);
    trials.forEach((trial, i) => {
      expect(trial.index).toBe(i);
      expect(trial.stream).toEqual([i]);
      expect(trial.parameters[1]).toBe(7);
      // (a, b) is one of the particles, never the zero-weight one.
      expect([
        [1, 10],
        [3, 30],
      ]).toContainEqual([trial.parameters[0], trial.parameters[2]]);
    });
  });

  it('draws particles in proportion to their weights (n = 4000, P(particle 3) = 0.8, 4 sd = 0.025)', () => {
    const trials = posteriorPredictiveTrials(generation, ['b', 'a'], model, 4000, Xoshiro128.fromSeed(11, 7));
    const third = trials.filter((t) => t.parameters[0] === 3).length / trials.length;
    // Binomial sd sqrt(0.8 * 0.2 / 4000) = 0.0063; 4 sd.
    expect(Math.abs(third - 0.8)).toBeLessThan(0.025);
  });

  it('is a pure function of the generator state', () => {
    const draw = () => posteriorPredictiveTrials(generation, ['b', 'a'], model, 20, Xoshiro128.fromSeed(5, 7)).map((t) => Array.from(t.parameters));
    expect(draw()).toEqual(draw());
  });

  it('refuses an inferred parameter the model does not have, naming it', () => {
    expect(() => posteriorPredictiveTrials(generation, ['b', 'z'], model, 1, Xoshiro128.fromSeed(1, 7))).toThrow(InferenceError);
    expect(() => posteriorPredictiveTrials(generation, ['b', 'z'], model, 1, Xoshiro128.fromSeed(1, 7))).toThrow(/no parameter "z"/);
  });
});

describe('observedSeries', () => {
  it('keeps the observed species, in the observed order, trajectory by trajectory', () => {
    // Two species (X, Y) × 3 points each, species-major; observed: Y then X.
    const first = Float64Array.of(1, 2, 3, 10, 20, 30);
    const second = Float64Array.of(4, 5, 6, 40, 50, 60);
    expect(observedSeries([first, second], [1, 0], 3)).toEqual([10, 20, 30, 1, 2, 3, 40, 50, 60, 4, 5, 6]);
    expect(observedSeries([first], [1], 3)).toEqual([10, 20, 30]);
  });
});
