import { UMAP } from 'umap-js';
import type { DenseMatrix } from '../../../../engine/learn/reduce/featureMatrix.js';
import { nearestNeighbours } from '../../../../engine/learn/semiSupervised/nearestNeighbours.js';
import { Xoshiro128 } from '../../../../engine/sample/random/Xoshiro128.js';

/**
 * The reference the typed-array UMAP (engine/learn/reduce/umap.ts) is
 * compared with, for quality (umapQuality.test.ts) and speed
 * (test/bench/explore.bench.ts): umap-js 1.4 as the app used it before,
 * with the same exact neighbour lists (handed over with setPrecomputedKNN,
 * self first at distance 0, as umap-js's own search returns them), a
 * seeded xoshiro128** for every random number, and umap-js's default
 * epochs unless `epochs` is given. Synchronous: no yields, no progress.
 */
export function umapJsEmbed(matrix: DenseMatrix, seed: number, epochs?: number): Float64Array {
  const { rows: n, columns: d, data } = matrix;
  const nNeighbors = Math.min(15, n - 1);
  const rng = Xoshiro128.fromSeed(seed, 0x75);
  const umap = new UMAP({ nComponents: 2, nNeighbors, minDist: 0.1, nEpochs: epochs, random: () => rng.nextDouble() });
  const lists = nearestNeighbours(matrix, nNeighbors - 1);
  const knnIndices: number[][] = [];
  const knnDistances: number[][] = [];
  for (let i = 0; i < n; i++) {
    knnIndices.push([i, ...lists.indices.subarray(i * lists.k, (i + 1) * lists.k)]);
    knnDistances.push([0, ...lists.distances.subarray(i * lists.k, (i + 1) * lists.k)]);
  }
  umap.setPrecomputedKNN(knnIndices, knnDistances);
  const table: number[][] = [];
  for (let i = 0; i < n; i++) table.push(Array.from(data.subarray(i * d, (i + 1) * d)));
  const embedding = umap.fit(table);
  const out = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    out[i * 2] = embedding[i][0];
    out[i * 2 + 1] = embedding[i][1];
  }
  return out;
}
