import type { NeighbourLists } from '../../semiSupervised/nearestNeighbours.js';

/** UMAP's fuzzy simplicial set as a symmetric edge list: both directions of each pair, rows ascending, columns ascending within a row. */
export interface FuzzyGraph {
  readonly points: number;
  /** Edge e joins `head[e]` (the row, moved by negative samples) and `tail[e]`. */
  readonly head: Int32Array;
  readonly tail: Int32Array;
  /** Membership strength in (0, 1]. */
  readonly weight: Float64Array;
}

/** Bisection steps and tolerance of the sigma search, and the floor of sigma relative to the mean distance (umap-learn's values). */
const SIGMA_ITERATIONS = 64;
const SIGMA_TOLERANCE = 1e-5;
const MIN_SIGMA_SCALE = 1e-3;

/**
 * Per-point distance to the nearest neighbour (rho) and bandwidth (sigma)
 * such that Σ_j exp(−(d_ij − rho_i) / sigma_i) = log2(nNeighbors) over the
 * nNeighbors − 1 nearest neighbours (McInnes, Healy & Melville 2018,
 * arXiv:1802.03426, section 3.1 with local connectivity 1; umap-learn's
 * smooth_knn_dist, whose neighbour lists count the point itself at
 * distance 0, hence nNeighbors − 1 others and the self term in the mean).
 * Found by bisection; sigma is kept above 1e-3 of the mean neighbour
 * distance so that a point among duplicates keeps finite weights.
 */
export function smoothDistances(lists: NeighbourLists, nNeighbors: number): { rhos: Float64Array; sigmas: Float64Array } {
  const n = lists.indices.length / lists.k;
  const k = nNeighbors - 1;
  const target = Math.log2(nNeighbors);
  const rhos = new Float64Array(n);
  const sigmas = new Float64Array(n);
  const means = new Float64Array(n);
  let meanOfMeans = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let t = 0; t < k; t++) sum += lists.distances[i * lists.k + t];
    means[i] = sum / nNeighbors;
    meanOfMeans += means[i] / n;
  }
  for (let i = 0; i < n; i++) {
    const base = i * lists.k;
    let rho = 0;
    for (let t = 0; t < k; t++) {
      if (lists.distances[base + t] > 0) {
        rho = lists.distances[base + t];
        break;
      }
    }
    let lo = 0;
    let hi = Infinity;
    let mid = 1;
    for (let iteration = 0; iteration < SIGMA_ITERATIONS; iteration++) {
      let psum = 0;
      for (let t = 0; t < k; t++) {
        const d = lists.distances[base + t] - rho;
        psum += d > 0 ? Math.exp(-d / mid) : 1;
      }
      if (Math.abs(psum - target) < SIGMA_TOLERANCE) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
      }
    }
    rhos[i] = rho;
    sigmas[i] = Math.max(mid, MIN_SIGMA_SCALE * (rho > 0 ? means[i] : meanOfMeans));
  }
  return { rhos, sigmas };
}

/**
 * The fuzzy simplicial set of the kNN graph (arXiv:1802.03426, section 3.1):
 * directed memberships w_ij = exp(−(d_ij − rho_i) / sigma_i) (1 within rho),
 * combined by the probabilistic t-conorm w_ij + w_ji − w_ij·w_ji (fuzzy
 * union, umap-learn's set_op_mix_ratio = 1). Typed arrays throughout:
 * O(n·k) memory and time, where a generic sparse matrix keyed by strings
 * (umap-js) spends seconds at 10,000 points.
 */
export function fuzzySimplicialSet(lists: NeighbourLists, nNeighbors: number): FuzzyGraph {
  const n = lists.indices.length / lists.k;
  const k = nNeighbors - 1;
  const { rhos, sigmas } = smoothDistances(lists, nNeighbors);
  // Directed memberships, n × k.
  const directed = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = lists.indices[i * lists.k + t];
      if (j < 0 || j === i) continue;
      const d = lists.distances[i * lists.k + t] - rhos[i];
      directed[i * k + t] = d <= 0 ? 1 : Math.exp(-d / sigmas[i]);
    }
  }
  // Incoming lists (the transpose) by counting sort: row j lists every i with j among i's neighbours.
  const inStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) for (let t = 0; t < k; t++) if (directed[i * k + t] > 0) inStart[lists.indices[i * lists.k + t] + 1]++;
  for (let j = 0; j < n; j++) inStart[j + 1] += inStart[j];
  const inFrom = new Int32Array(inStart[n]);
  const inWeight = new Float64Array(inStart[n]);
  const fill = inStart.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const w = directed[i * k + t];
      if (w <= 0) continue;
      const j = lists.indices[i * lists.k + t];
      inFrom[fill[j]] = i;
      inWeight[fill[j]++] = w;
    }
  }
  // Row by row: out-weight a and in-weight b of each column, union a + b − ab; at most n·k + (in-edges) = 2·n·k edges.
  const out = new Float64Array(n);
  const incoming = new Float64Array(n);
  const capacity = 2 * inStart[n];
  const head = new Int32Array(capacity);
  const tail = new Int32Array(capacity);
  const weight = new Float64Array(capacity);
  let edges = 0;
  for (let i = 0; i < n; i++) {
    const first = edges;
    for (let t = 0; t < k; t++) {
      const w = directed[i * k + t];
      if (w <= 0) continue;
      const j = lists.indices[i * lists.k + t];
      tail[edges++] = j;
      out[j] = w;
    }
    for (let e = inStart[i]; e < inStart[i + 1]; e++) {
      const j = inFrom[e];
      if (out[j] === 0) tail[edges++] = j;
      incoming[j] = inWeight[e];
    }
    // Columns ascending (insertion sort: a row holds k out-edges and typically about as many in-edges).
    for (let e = first + 1; e < edges; e++) {
      const j = tail[e];
      let at = e;
      for (; at > first && tail[at - 1] > j; at--) tail[at] = tail[at - 1];
      tail[at] = j;
    }
    for (let e = first; e < edges; e++) {
      const j = tail[e];
      head[e] = i;
      weight[e] = out[j] + incoming[j] - out[j] * incoming[j];
      out[j] = 0;
      incoming[j] = 0;
    }
  }
  return { points: n, head: head.slice(0, edges), tail: tail.slice(0, edges), weight: weight.slice(0, edges) };
}
