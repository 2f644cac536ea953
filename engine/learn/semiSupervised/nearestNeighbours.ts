import type { DenseMatrix } from '../reduce/featureMatrix.js';

/** k nearest neighbours of every row: indices and Euclidean distances, n × k row-major, nearest first. */
export interface NeighbourLists {
  readonly k: number;
  readonly indices: Int32Array;
  readonly distances: Float64Array;
}

/** Rows per cache block: 64 rows × 49 features × 8 bytes ≈ 25 KB, two blocks sit in L2. */
const BLOCK = 64;

/**
 * Exact k-nearest-neighbour lists (excluding the point itself) by blocked
 * brute force. Features of an exploration have tens of columns, where
 * space-partitioning trees (kd, vantage-point) prune almost nothing (the
 * curse of dimensionality: Weber, Schek & Blott 1998, "A quantitative
 * analysis and performance study for similarity-search methods in
 * high-dimensional spaces", VLDB, doi:10.5555/645924.671192), so the
 * fastest exact method is the plain O(n² d) scan made cheap:
 *
 * - each pair (i < j) is computed once and offered to both rows' lists;
 * - rows are visited in cache blocks (BLOCK × BLOCK pairs at a time);
 * - two rows are compared with four others per pass over the features
 *   (six loads for eight squared differences, eight independent sums that
 *   keep the floating-point pipeline busy);
 * - each row keeps a bounded max-heap of its k best, and a candidate is
 *   compared with the heap's root (the current k-th distance) before any
 *   heap work, so almost every pair costs one comparison per row.
 *
 * Distances are summed from the coordinate differences (no ‖x‖² + ‖y‖² −
 * 2x·y expansion, which loses digits to cancellation for near-duplicate
 * rows), so the lists agree with a naive scan up to the order of ties.
 * 20,000 × 49: about 6.5 s of CPU (see test/bench/explore.bench.ts).
 */
export function nearestNeighbours(matrix: DenseMatrix, k: number): NeighbourLists {
  const { rows: n, columns: d, data } = matrix;
  const kk = Math.max(0, Math.min(k, n - 1));
  const indices = new Int32Array(n * kk);
  const heaps = new Float64Array(n * kk).fill(Infinity);
  if (kk === 0) return { k: 0, indices, distances: heaps };
  indices.fill(-1);
  // worst[i]: root of row i's heap (its current k-th squared distance), Infinity until full.
  const worst = new Float64Array(n).fill(Infinity);
  const offer = (row: number, other: number, s: number) => {
    const base = row * kk;
    // Sift the new entry down from the root, replacing the current worst.
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= kk) break;
      const r = l + 1;
      const c = r < kk && heaps[base + r] > heaps[base + l] ? r : l;
      if (heaps[base + c] <= s) break;
      heaps[base + i] = heaps[base + c];
      indices[base + i] = indices[base + c];
      i = c;
    }
    heaps[base + i] = s;
    indices[base + i] = other;
    worst[row] = heaps[base];
  };
  const pair = (a: number, b: number) => {
    const oa = a * d;
    const ob = b * d;
    let s = 0;
    for (let c = 0; c < d; c++) {
      const t = data[oa + c] - data[ob + c];
      s += t * t;
    }
    if (s < worst[a]) offer(a, b, s);
    if (s < worst[b]) offer(b, a, s);
  };
  for (let blockI = 0; blockI < n; blockI += BLOCK) {
    const endI = Math.min(n, blockI + BLOCK);
    for (let blockJ = blockI; blockJ < n; blockJ += BLOCK) {
      const endJ = Math.min(n, blockJ + BLOCK);
      let i = blockI;
      // Two rows at a time against four: six loads per eight squared differences.
      for (; i + 1 < endI; i += 2) {
        const oa = i * d;
        const ob = oa + d;
        const b = i + 1;
        if (blockJ === blockI) {
          let s = 0;
          for (let c = 0; c < d; c++) {
            const t = data[oa + c] - data[ob + c];
            s += t * t;
          }
          if (s < worst[i]) offer(i, b, s);
          if (s < worst[b]) offer(b, i, s);
        }
        let j = Math.max(blockJ, i + 2);
        for (; j + 3 < endJ; j += 4) {
          const o0 = j * d;
          const o1 = o0 + d;
          const o2 = o1 + d;
          const o3 = o2 + d;
          let a0 = 0;
          let a1 = 0;
          let a2 = 0;
          let a3 = 0;
          let b0 = 0;
          let b1 = 0;
          let b2 = 0;
          let b3 = 0;
          for (let c = 0; c < d; c++) {
            const x = data[oa + c];
            const y = data[ob + c];
            const v0 = data[o0 + c];
            const v1 = data[o1 + c];
            const v2 = data[o2 + c];
            const v3 = data[o3 + c];
            let t = x - v0;
            a0 += t * t;
            t = x - v1;
            a1 += t * t;
            t = x - v2;
            a2 += t * t;
            t = x - v3;
            a3 += t * t;
            t = y - v0;
            b0 += t * t;
            t = y - v1;
            b1 += t * t;
            t = y - v2;
            b2 += t * t;
            t = y - v3;
            b3 += t * t;
          }
          if (a0 < worst[i]) offer(i, j, a0);
          if (a0 < worst[j]) offer(j, i, a0);
          if (a1 < worst[i]) offer(i, j + 1, a1);
          if (a1 < worst[j + 1]) offer(j + 1, i, a1);
          if (a2 < worst[i]) offer(i, j + 2, a2);
          if (a2 < worst[j + 2]) offer(j + 2, i, a2);
          if (a3 < worst[i]) offer(i, j + 3, a3);
          if (a3 < worst[j + 3]) offer(j + 3, i, a3);
          if (b0 < worst[b]) offer(b, j, b0);
          if (b0 < worst[j]) offer(j, b, b0);
          if (b1 < worst[b]) offer(b, j + 1, b1);
          if (b1 < worst[j + 1]) offer(j + 1, b, b1);
          if (b2 < worst[b]) offer(b, j + 2, b2);
          if (b2 < worst[j + 2]) offer(j + 2, b, b2);
          if (b3 < worst[b]) offer(b, j + 3, b3);
          if (b3 < worst[j + 3]) offer(j + 3, b, b3);
        }
        for (; j < endJ; j++) {
          pair(i, j);
          pair(b, j);
        }
      }
      for (; i < endI; i++) for (let j = Math.max(blockJ, i + 1); j < endJ; j++) pair(i, j);
    }
  }
  // Heaps to sorted lists (nearest first, ties by index), squared distances to distances.
  const distances = new Float64Array(n * kk);
  const order = Array.from({ length: kk }, (_, t) => t);
  for (let q = 0; q < n; q++) {
    const base = q * kk;
    order.sort((a, b) => heaps[base + a] - heaps[base + b] || indices[base + a] - indices[base + b]);
    const sortedIndex = order.map((t) => indices[base + t]);
    for (let t = 0; t < kk; t++) {
      distances[base + t] = Math.sqrt(heaps[base + order[t]]);
      indices[base + t] = sortedIndex[t];
    }
    for (let t = 0; t < kk; t++) order[t] = t;
  }
  return { k: kk, indices, distances };
}
