import type { DenseMatrix } from '../../../../engine/learn/reduce/featureMatrix.js';

/**
 * Trustworthiness of a 2-D embedding (Venna & Kaski 2001, "Neighborhood
 * preservation in nonlinear projection methods: an experimental study",
 * ICANN, doi:10.1007/3-540-44668-0_68; as sklearn.manifold.trustworthiness):
 *
 *   T(k) = 1 − 2 / (m·k·(2n − 3k − 1)) · Σ_i Σ_{j ∈ U_k(i)} (r(i, j) − k)
 *
 * where U_k(i) are the points among i's k nearest in the embedding but not
 * in the input space, r(i, j) is j's rank among i's input-space neighbours
 * (1 = nearest), and i runs over m query points: all of them (m = n), or
 * every ⌈n/queries⌉-th when `queries` is given, to keep it O(m·n·d) on
 * large sets. 1 means no false neighbours; a random layout scores about 0.5.
 */
export function trustworthiness(input: DenseMatrix, embedding: Float64Array, k: number, queries?: number): number {
  const { rows: n, columns: d, data } = input;
  const stride = queries === undefined ? 1 : Math.max(1, Math.ceil(n / queries));
  const inputDistance = new Float64Array(n);
  const layoutDistance = new Float64Array(n);
  let penalty = 0;
  let m = 0;
  for (let i = 0; i < n; i += stride) {
    m++;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) {
        const t = data[i * d + c] - data[j * d + c];
        s += t * t;
      }
      inputDistance[j] = j === i ? Infinity : s;
    }
    const inputTopK = smallest(inputDistance, k);
    for (let j = 0; j < n; j++)
      layoutDistance[j] = j === i ? Infinity : (embedding[2 * i] - embedding[2 * j]) ** 2 + (embedding[2 * i + 1] - embedding[2 * j + 1]) ** 2;
    for (const j of smallest(layoutDistance, k)) {
      if (inputTopK.includes(j)) continue;
      let rank = 1;
      for (let l = 0; l < n; l++) if (inputDistance[l] < inputDistance[j]) rank++;
      penalty += rank - k;
    }
  }
  return 1 - (2 / (m * k * (2 * n - 3 * k - 1))) * penalty;
}

/** Indices of the k smallest values, nearest first (insertion into a sorted list of k). */
function smallest(distances: Float64Array, k: number): number[] {
  const best: number[] = [];
  for (let j = 0; j < distances.length; j++) {
    if (best.length === k && distances[j] >= distances[best[k - 1]]) continue;
    if (best.length < k) best.push(j);
    else best[k - 1] = j;
    for (let at = best.length - 1; at > 0 && distances[best[at - 1]] > distances[best[at]]; at--) [best[at - 1], best[at]] = [best[at], best[at - 1]];
  }
  return best;
}
