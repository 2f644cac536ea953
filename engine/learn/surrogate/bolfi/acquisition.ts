import type { GaussianProcess } from '../GaussianProcess.js';

/**
 * The exploration weight of the lower confidence bound used by BOLFI
 * (Gutmann & Corander 2016, JMLR 17(125), eq. 45,
 * https://jmlr.org/papers/v17/15-017.html, after Srinivas et al. 2010,
 * "Gaussian process optimization in the bandit setting", ICML,
 * https://arxiv.org/abs/0912.3995, and Brochu et al. 2010, arXiv:1012.2599):
 *
 *   η_t² = 2 log(t^(d/2 + 2) π² / (3 ε_η)),
 *
 * t = number of evaluations so far (≥ 1), d = parameter dimension,
 * ε_η = 0.1 as in the paper. The weight grows like log t, so the search keeps
 * revisiting uncertain regions while the bound tightens.
 */
export function lcbExplorationWeight(t: number, d: number, epsilon = 0.1): number {
  const tt = Math.max(t, 1);
  return 2 * ((d / 2 + 2) * Math.log(tt) + Math.log((Math.PI * Math.PI) / (3 * epsilon)));
}

/**
 * A_t(θ) = μ_t(θ) − √(η_t² v_t(θ)) at every row of `thetas` (m × d,
 * row-major), μ and v the GP's posterior mean and latent variance of the
 * (log) discrepancy. Small values: low predicted discrepancy, or high
 * uncertainty.
 */
export function lowerConfidenceBound(gp: GaussianProcess, thetas: Float64Array, weight: number): Float64Array {
  const { mean, variance } = gp.predict(thetas);
  for (let i = 0; i < mean.length; i++) mean[i] -= Math.sqrt(weight * variance[i]);
  return mean;
}
