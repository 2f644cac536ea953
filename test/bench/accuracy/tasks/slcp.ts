import { Xoshiro128 } from '../../../../engine/sample/random/Xoshiro128.js';
import { asOutput, dataNames, type AccuracyTaskDefinition, type BlackBoxInput, type BlackBoxOutput } from './taskTypes.js';

/**
 * sbibm `slcp`, "simple likelihood, complex posterior" (Papamakarios, Sterratt
 * & Murray 2019, arXiv:1805.07226): θ ~ U(-3, 3)⁵; four independent draws of
 * a 2-D Gaussian with mean (θ₁, θ₂), standard deviations s₁ = θ₃², s₂ = θ₄²
 * and correlation ρ = tanh θ₅, flattened to 8 numbers (x₁, y₁, x₂, y₂, ...).
 * The signs of θ₃, θ₄ are unidentifiable: four posterior modes. sbibm adds
 * 1e-6 to the covariance's diagonal; so do we.
 */
export const task: AccuracyTaskDefinition = {
  name: 'slcp',
  parameters: Array.from({ length: 5 }, (_, i) => ({ id: `theta_${i + 1}`, prior: { kind: 'uniform' as const, lower: -3, upper: 3 } })),
  dataDimension: 8,
};

const JITTER = 1e-6;
const names = dataNames(8);

export function simulate({ parameters, seed }: BlackBoxInput): BlackBoxOutput {
  const rng = Xoshiro128.fromSeed(seed);
  const m1 = parameters.theta_1;
  const m2 = parameters.theta_2;
  const s1 = parameters.theta_3 ** 2;
  const s2 = parameters.theta_4 ** 2;
  const rho = Math.tanh(parameters.theta_5);
  // Cholesky factor of [[s1² + j, ρ s1 s2], [ρ s1 s2, s2² + j]].
  const l11 = Math.sqrt(s1 * s1 + JITTER);
  const l21 = (rho * s1 * s2) / l11;
  const l22 = Math.sqrt(Math.max(s2 * s2 + JITTER - l21 * l21, 0));
  const x = new Float64Array(8);
  for (let k = 0; k < 4; k++) {
    const z1 = rng.nextNormal();
    const z2 = rng.nextNormal();
    x[2 * k] = m1 + l11 * z1;
    x[2 * k + 1] = m2 + l21 * z1 + l22 * z2;
  }
  return asOutput(names, x);
}
