import type { DenseMatrix } from '../reduce/featureMatrix.js';

/** k nearest neighbours of every row: indices and Euclidean distances, n × k row-major, nearest first. */
export interface NeighbourLists {
  readonly k: number;
  readonly indices: Int32Array;
  readonly distances: Float64Array;
}

function distance(data: Float64Array, d: number, a: number, b: number): number {
  let s = 0;
  const oa = a * d;
  const ob = b * d;
  for (let k = 0; k < d; k++) {
    const t = data[oa + k] - data[ob + k];
    s += t * t;
  }
  return Math.sqrt(s);
}

interface VpNode {
  point: number;
  radius: number;
  inside: VpNode | null;
  outside: VpNode | null;
}

/**
 * Exact k-nearest-neighbour lists (excluding the point itself) through a
 * vantage-point tree (Yianilos 1993, "Data structures and algorithms for
 * nearest neighbor search in general metric spaces", SODA,
 * doi:10.5555/313559.313789). Features of an exploration lie near a
 * manifold of the parameters' dimension, where the tree prunes most
 * distance computations; in the worst case it degrades to brute force and
 * stays exact. Vantage points are chosen deterministically (first point of
 * each subset), so the lists do not depend on any random state.
 */
export function nearestNeighbours(matrix: DenseMatrix, k: number): NeighbourLists {
  const { rows: n, columns: d, data } = matrix;
  const kk = Math.max(0, Math.min(k, n - 1));
  const indices = new Int32Array(n * kk);
  const distances = new Float64Array(n * kk);
  if (kk === 0) return { k: 0, indices, distances };
  const root = build(data, d, Int32Array.from({ length: n }, (_, i) => i));
  const heapIndex = new Int32Array(kk);
  const heapDistance = new Float64Array(kk);
  const stack: VpNode[] = [];
  for (let q = 0; q < n; q++) {
    let size = 0;
    // Max-heap of the k best so far: the root is the current k-th distance (tau).
    const push = (index: number, dist: number) => {
      if (size < kk) {
        let i = size++;
        while (i > 0) {
          const parent = (i - 1) >> 1;
          if (heapDistance[parent] >= dist) break;
          heapDistance[i] = heapDistance[parent];
          heapIndex[i] = heapIndex[parent];
          i = parent;
        }
        heapDistance[i] = dist;
        heapIndex[i] = index;
      } else if (dist < heapDistance[0]) {
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= kk) break;
          const r = l + 1;
          const c = r < kk && heapDistance[r] > heapDistance[l] ? r : l;
          if (heapDistance[c] <= dist) break;
          heapDistance[i] = heapDistance[c];
          heapIndex[i] = heapIndex[c];
          i = c;
        }
        heapDistance[i] = dist;
        heapIndex[i] = index;
      }
    };
    stack.length = 0;
    stack.push(root!);
    while (stack.length > 0) {
      const node = stack.pop()!;
      const dist = distance(data, d, q, node.point);
      if (node.point !== q) push(node.point, dist);
      const tau = size < kk ? Infinity : heapDistance[0];
      // Visit the side holding q last (popped first), prune the other when the ball misses it.
      const visitInside = node.inside !== null && dist - tau <= node.radius;
      const visitOutside = node.outside !== null && dist + tau >= node.radius;
      if (dist < node.radius) {
        if (visitOutside) stack.push(node.outside!);
        if (visitInside) stack.push(node.inside!);
      } else {
        if (visitInside) stack.push(node.inside!);
        if (visitOutside) stack.push(node.outside!);
      }
    }
    // Heap to sorted (nearest first).
    const order = Array.from({ length: size }, (_, i) => i).sort((a, b) => heapDistance[a] - heapDistance[b] || heapIndex[a] - heapIndex[b]);
    for (let j = 0; j < size; j++) {
      indices[q * kk + j] = heapIndex[order[j]];
      distances[q * kk + j] = heapDistance[order[j]];
    }
  }
  return { k: kk, indices, distances };
}

function build(data: Float64Array, d: number, points: Int32Array): VpNode | null {
  if (points.length === 0) return null;
  const vantage = points[0];
  const rest = points.subarray(1);
  if (rest.length === 0) return { point: vantage, radius: 0, inside: null, outside: null };
  const dist = new Float64Array(rest.length);
  for (let i = 0; i < rest.length; i++) dist[i] = distance(data, d, vantage, rest[i]);
  const order = Array.from(rest.keys()).sort((a, b) => dist[a] - dist[b]);
  const sorted = Int32Array.from(order, (i) => rest[i]);
  const mid = sorted.length >> 1;
  const radius = dist[order[mid]];
  // Inside: distance <= radius; outside: >= radius. Ties may sit on either side (the search
  // tests are non-strict), which keeps the tree balanced even for duplicated points.
  return { point: vantage, radius, inside: build(data, d, sorted.subarray(0, mid)), outside: build(data, d, sorted.subarray(mid)) };
}
