import type { Trial } from '../compute/executor.js';
import type { RandomSource } from '../sample/priors/types.js';
import { InferenceError } from './errors.js';
import type { Generation } from './types.js';
import { cumulativeWeights, pickIndex } from './weighted.js';

/**
 * Posterior predictive check (Gelman, Meng & Stern 1996, Statistica Sinica
 * 6:733-807): parameter vectors are drawn from a weighted ABC population and
 * simulated, and their trajectories are compared with the observed data.
 */

/**
 * `samples` trials for a predictive check: particle i of `generation` is
 * drawn with probability weights[i] (one uniform from `rng` per trial);
 * each trial carries every model parameter (`modelParameters`, in the
 * simulator's order) with the inferred ones (`inferred`, the generation's
 * columns) replaced by the draw. Trial i simulates stream [i].
 */
export function posteriorPredictiveTrials(
  generation: Pick<Generation, 'weights' | 'particles' | 'dimension'>,
  inferred: readonly string[],
  modelParameters: ReadonlyArray<{ readonly id: string; readonly value: number }>,
  samples: number,
  rng: RandomSource,
): Trial[] {
  const ids = modelParameters.map((p) => p.id);
  const slots = inferred.map((name) => {
    const slot = ids.indexOf(name);
    if (slot < 0)
      throw new InferenceError(`posterior predictive: the model has no parameter "${name}" (its parameters are ${ids.join(', ')})`, { parameter: name });
    return slot;
  });
  const cumulative = cumulativeWeights(generation.weights);
  const trials: Trial[] = [];
  for (let i = 0; i < samples; i++) {
    const row = pickIndex(cumulative, rng.nextDouble());
    const values = Float64Array.from(modelParameters, (p) => p.value);
    slots.forEach((slot, k) => (values[slot] = generation.particles[row * generation.dimension + k]));
    trials.push({ index: i, parameters: values, stream: [i] });
  }
  return trials;
}

/**
 * The observed species of simulated trajectories, in the observed order:
 * `trajectories` are species-major blocks of `points` values per species
 * (the simulator's species order); `speciesRows` gives, per observed
 * species, its row in that order. Returns one flat array, trajectory by
 * trajectory, species by species.
 */
export function observedSeries(trajectories: ReadonlyArray<Float64Array>, speciesRows: readonly number[], points: number): number[] {
  const data: number[] = [];
  for (const trajectory of trajectories) for (const s of speciesRows) for (let t = 0; t < points; t++) data.push(trajectory[s * points + t]);
  return data;
}
