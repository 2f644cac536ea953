import type { DenseMatrix } from '../reduce/featureMatrix.js';
import { nearestNeighbours } from './nearestNeighbours.js';

/**
 * A symmetric graph over n points in compressed sparse rows: the
 * neighbours of i are columns[offsets[i] .. offsets[i + 1]), with their
 * squared Euclidean distances. Weights for a given gamma come from
 * `rbfWeights`, so a gamma search reuses one graph.
 */
export interface DistanceGraph {
  readonly n: number;
  readonly offsets: Int32Array;
  readonly columns: Int32Array;
  readonly squaredDistances: Float64Array;
  /** 'dense' (every pair) or 'knn' (k nearest, symmetrised). */
  readonly kind: 'dense' | 'knn';
  /** Median squared distance of a point to its nearest neighbours: the natural length scale for gamma. */
  readonly scale: number;
}

/**
 * Above this many points a dense RBF graph (n^2 entries) gives way to a kNN
 * graph by default: tuning gamma iterates the spreading for every candidate,
 * and on a dense graph that took 5.5 s for 1,500 points (0.24 s on the kNN graph).
 */
export const DENSE_GRAPH_MAX_POINTS = 500;
export const DEFAULT_GRAPH_NEIGHBOURS = 10;

function squared(data: Float64Array, d: number, a: number, b: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) {
    const t = data[a * d + k] - data[b * d + k];
    s += t * t;
  }
  return s;
}

function median(values: Float64Array): number {
  if (values.length === 0) return 1;
  const sorted = Float64Array.from(values).sort();
  const m = sorted[sorted.length >> 1];
  return m > 0 ? m : 1;
}

/**
 * The pairs the RBF kernel is evaluated on: all pairs (the fully connected
 * kernel of Zhou et al. 2004) when `neighbours` is 'all', or each point's k
 * nearest neighbours, symmetrised by union (i ~ j if either is among the
 * other's k nearest), which keeps label spreading O(n k) per iteration for
 * tens of thousands of points.
 */
export function distanceGraph(matrix: DenseMatrix, neighbours: number | 'all'): DistanceGraph {
  const { rows: n, columns: d, data } = matrix;
  // Length scale: median squared distance to the nearest few neighbours (at most 7).
  const scaleK = Math.min(7, n - 1);
  if (neighbours === 'all') {
    const offsets = new Int32Array(n + 1);
    const columns = new Int32Array(n * (n - 1));
    const sq = new Float64Array(n * (n - 1));
    let e = 0;
    for (let i = 0; i < n; i++) {
      offsets[i] = e;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        columns[e] = j;
        sq[e++] = squared(data, d, i, j);
      }
    }
    offsets[n] = e;
    const scale = scaleK > 0 ? median(nearestNeighbours(matrix, scaleK).distances.map((v) => v * v)) : 1;
    return { n, offsets, columns, squaredDistances: sq, kind: 'dense', scale };
  }
  const lists = nearestNeighbours(matrix, neighbours);
  const k = lists.k;
  // Union symmetrisation: collect (i, j) both ways, then sort and deduplicate each row.
  const degree = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      degree[i]++;
      degree[lists.indices[i * k + t]]++;
    }
  }
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i] + degree[i];
  const fill = start.slice(0, n);
  const rawColumns = new Int32Array(start[n]);
  const rawSq = new Float64Array(start[n]);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = lists.indices[i * k + t];
      const s = lists.distances[i * k + t] ** 2;
      rawColumns[fill[i]] = j;
      rawSq[fill[i]++] = s;
      rawColumns[fill[j]] = i;
      rawSq[fill[j]++] = s;
    }
  }
  const offsets = new Int32Array(n + 1);
  const columns = new Int32Array(start[n]);
  const sq = new Float64Array(start[n]);
  let e = 0;
  for (let i = 0; i < n; i++) {
    offsets[i] = e;
    const order = Array.from({ length: start[i + 1] - start[i] }, (_, t) => start[i] + t).sort((a, b) => rawColumns[a] - rawColumns[b]);
    let last = -1;
    for (const r of order) {
      if (rawColumns[r] === last) continue;
      last = rawColumns[r];
      columns[e] = last;
      sq[e++] = rawSq[r];
    }
  }
  offsets[n] = e;
  const nearest = new Float64Array(n * Math.min(k, scaleK));
  for (let i = 0; i < n; i++) for (let t = 0; t < Math.min(k, scaleK); t++) nearest[i * Math.min(k, scaleK) + t] = lists.distances[i * k + t] ** 2;
  return { n, offsets, columns: columns.slice(0, e), squaredDistances: sq.slice(0, e), kind: 'knn', scale: median(nearest) };
}

/** RBF weights w_ij = exp(-gamma |x_i - x_j|^2) on the graph's edges. */
export function rbfWeights(graph: DistanceGraph, gamma: number, out = new Float64Array(graph.squaredDistances.length)): Float64Array {
  const sq = graph.squaredDistances;
  for (let e = 0; e < sq.length; e++) out[e] = Math.exp(-gamma * sq[e]);
  return out;
}
