import type { LeapStructure } from './leapStructure.js';

/**
 * Critical reactions and the leap condition of Cao, Gillespie & Petzold
 * (2006), "Efficient step size selection for the tau-leaping simulation
 * method", J. Chem. Phys. 124:044109, doi:10.1063/1.2159468.
 *
 * Method: reaction j is critical when a_j > 0 and it is within n_c firings of
 * exhausting a reactant, L_j = min_i floor(x_i / |v_ij|) < n_c (eq. 10);
 * critical reactions fire at most once per leap. For the others,
 *   tau' = min over i in I_rs of
 *          max(eps x_i / g_i, 1) / |mu_i|,  max(eps x_i / g_i, 1)^2 / sigma_i^2
 * with mu_i = sum_j v_ij a_j and sigma_i^2 = sum_j v_ij^2 a_j over the
 * non-critical reactions (eqs. 32-33), which bounds the expected relative
 * change of every propensity by about eps.
 */

/**
 * g_i of the paper (its rule for HOR 1, 2 and 3, generalised): a reaction of
 * order n needing m molecules of S_i changes by a relative
 *   (n/m) · sum_{k=0}^{m-1} x/(x-k)
 * times the relative change of x_i; e.g. 2 + 1/(x-1) for 2S_i (HOR 2) and
 * 3 + 1/(x-1) + 2/(x-2) for 3S_i. With x < m the terms are capped.
 */
export function orderFactor(order: number, count: number, x: number): number {
  if (count === 1) return order;
  let sum = 1;
  for (let k = 1; k < count; k++) sum += x / Math.max(x - k, 1);
  return (order / count) * sum;
}

/** Marks critical reactions in `critical`; returns their total propensity a_0^c. */
export function markCritical(structure: LeapStructure, x: Float64Array, a: Float64Array, threshold: number, critical: Uint8Array): number {
  const { consumeStart, consumeSpecies, consumeAmount } = structure;
  let total = 0;
  for (let j = 0; j < structure.reactions; j++) {
    critical[j] = 0;
    if (!(a[j] > 0)) continue;
    let firings = Infinity;
    for (let e = consumeStart[j]; e < consumeStart[j + 1]; e++) {
      const l = Math.floor(x[consumeSpecies[e]] / consumeAmount[e]);
      if (l < firings) firings = l;
    }
    if (firings < threshold) {
      critical[j] = 1;
      total += a[j];
    }
  }
  return total;
}

/** tau' of eq. 33 (Infinity when no non-critical reaction can fire). mu, sigma2 are scratch of length species. */
export function leapTau(
  structure: LeapStructure,
  x: Float64Array,
  a: Float64Array,
  critical: Uint8Array,
  epsilon: number,
  mu: Float64Array,
  sigma2: Float64Array,
): number {
  const { changeStart, changeSpecies, changeDelta, reactantSpecies, highestOrder, highestOrderCount } = structure;
  mu.fill(0);
  sigma2.fill(0);
  for (let j = 0; j < structure.reactions; j++) {
    const aj = a[j];
    if (critical[j] === 1 || !(aj > 0)) continue;
    for (let e = changeStart[j]; e < changeStart[j + 1]; e++) {
      const s = changeSpecies[e];
      const d = changeDelta[e];
      mu[s] += d * aj;
      sigma2[s] += d * d * aj;
    }
  }
  let tau = Infinity;
  for (let r = 0; r < reactantSpecies.length; r++) {
    const i = reactantSpecies[r];
    if (mu[i] === 0 && sigma2[i] === 0) continue;
    const bound = Math.max((epsilon * x[i]) / orderFactor(highestOrder[i], highestOrderCount[i], x[i]), 1);
    const byMean = bound / Math.abs(mu[i]);
    const byVariance = (bound * bound) / sigma2[i];
    if (byMean < tau) tau = byMean;
    if (byVariance < tau) tau = byVariance;
  }
  return tau;
}
