import { Xoshiro128 } from '../../../../engine/sample/random/Xoshiro128.js';
import { asOutput, dataNames, type AccuracyTaskDefinition, type BlackBoxInput, type BlackBoxOutput } from './taskTypes.js';

/**
 * sbibm `two_moons` (after Greenberg, Nonnenmacher & Macke 2019,
 * arXiv:1905.07488): θ ~ U(-1, 1)², a ~ U(-π/2, π/2), r ~ N(0.1, 0.01²),
 * p = (r cos a + 0.25, r sin a), and
 *
 *     x = p + ( −|θ₁ + θ₂| / √2 , (θ₂ − θ₁) / √2 ),
 *
 * θ rotated by −π/4 with the first coordinate folded by the absolute value:
 * a half-ring of radius 0.1 around the shifted point, and a posterior with
 * two crescents (θ and its mirror image across θ₁ = −θ₂ give the same x).
 */
export const task: AccuracyTaskDefinition = {
  name: 'two_moons',
  parameters: [
    { id: 'theta_1', prior: { kind: 'uniform', lower: -1, upper: 1 } },
    { id: 'theta_2', prior: { kind: 'uniform', lower: -1, upper: 1 } },
  ],
  dataDimension: 2,
};

export const RADIUS_MEAN = 0.1;
export const RADIUS_SD = 0.01;
export const OFFSET = 0.25;
const names = dataNames(2);

export function simulate({ parameters, seed }: BlackBoxInput): BlackBoxOutput {
  const rng = Xoshiro128.fromSeed(seed);
  const a = Math.PI * (rng.nextDouble() - 0.5);
  const r = RADIUS_MEAN + RADIUS_SD * rng.nextNormal();
  const t1 = parameters.theta_1;
  const t2 = parameters.theta_2;
  return asOutput(names, Float64Array.of(r * Math.cos(a) + OFFSET - Math.abs(t1 + t2) / Math.SQRT2, r * Math.sin(a) + (t2 - t1) / Math.SQRT2));
}
