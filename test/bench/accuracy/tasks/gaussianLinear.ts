import { Xoshiro128 } from '../../../../engine/sample/random/Xoshiro128.js';
import { asOutput, dataNames, type AccuracyTaskDefinition, type BlackBoxInput, type BlackBoxOutput } from './taskTypes.js';

/** Variance of the prior and of the noise, 0.1 each (sbibm's prior_scale and simulator_scale are covariances). */
const VARIANCE = 0.1;
const DIMENSION = 10;
const SD = Math.sqrt(VARIANCE);

/**
 * sbibm `gaussian_linear`: θ ~ N(0, 0.1 I₁₀), x | θ ~ N(θ, 0.1 I₁₀). The
 * posterior is Gaussian, N(x/2, 0.05 I), which the unit tests use.
 */
export const task: AccuracyTaskDefinition = {
  name: 'gaussian_linear',
  parameters: Array.from({ length: DIMENSION }, (_, i) => ({ id: `theta_${i + 1}`, prior: { kind: 'normal' as const, mean: 0, sd: SD } })),
  dataDimension: DIMENSION,
};

const names = dataNames(DIMENSION);

export function simulate({ parameters, seed }: BlackBoxInput): BlackBoxOutput {
  const rng = Xoshiro128.fromSeed(seed);
  const x = new Float64Array(DIMENSION);
  for (let i = 0; i < DIMENSION; i++) x[i] = parameters[`theta_${i + 1}`] + SD * rng.nextNormal();
  return asOutput(names, x);
}
