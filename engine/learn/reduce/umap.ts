import { UMAP } from 'umap-js';
import { Xoshiro128 } from '../../sample/random/Xoshiro128.js';
import { nearestNeighbours, type NeighbourLists } from '../semiSupervised/nearestNeighbours.js';
import type { DenseMatrix } from './featureMatrix.js';
import { yieldControl } from './yieldControl.js';

export interface UmapOptions {
  /** Size of the local neighbourhood (default 15, capped at n - 1). */
  readonly nNeighbors?: number;
  /** Minimum distance between embedded points (default 0.1). */
  readonly minDist?: number;
  /** Optimisation epochs (default: umap-js's choice, 500 for n <= 10,000, else 200). */
  readonly nEpochs?: number;
  readonly seed: number;
  /**
   * Precomputed neighbour lists of the same rows (self excluded, nearest
   * first, at least nNeighbors − 1 per row), e.g. the ones label spreading
   * built; computed exactly when absent.
   */
  readonly neighbours?: NeighbourLists;
  /** Start layout (n × 2, row-major; see warmStart.ts) in place of umap-js's random one. */
  readonly initial?: Float64Array;
  readonly signal?: AbortSignal;
  /** Called with (epochs done, epochs in total) every few epochs. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Epochs run between two yields to the event loop. */
const EPOCHS_PER_YIELD = 10;

/**
 * UMAP embedding to 2-D (McInnes, Healy & Melville 2018, "UMAP: Uniform
 * Manifold Approximation and Projection", arXiv:1802.03426;
 * doi:10.21105/joss.00861) through umap-js. umap-js draws every random
 * number (random-projection trees, NN-descent, initial layout, negative
 * sampling) from the `random` function it is given, so passing a seeded
 * xoshiro128** makes the embedding a pure function of (data, options, seed).
 *
 * The neighbour graph is not umap-js's NN-descent over random-projection
 * trees (approximate, and slow on arrays of arrays) but the exact lists of
 * nearestNeighbours, handed over with setPrecomputedKNN (self first at
 * distance 0, as umap-js's own search returns them): exact, about as fast
 * as umap-js's approximate search at 10,000 × 49 (≈ 1.6 s of CPU), and the
 * same lists label spreading uses.
 * What remains is umap-js's layout optimisation (stochastic gradient
 * descent over the fuzzy graph's edges), about two thirds of the time.
 */
export async function umapEmbed(matrix: DenseMatrix, options: UmapOptions): Promise<Float64Array> {
  const { rows: n, columns: d, data } = matrix;
  const out = new Float64Array(n * 2);
  if (n < 3) {
    // UMAP needs a neighbourhood; one or two points are placed on a line.
    for (let i = 0; i < n; i++) out[i * 2] = i;
    return out;
  }
  const rng = Xoshiro128.fromSeed(options.seed, 0x75);
  const nNeighbors = Math.max(2, Math.min(options.nNeighbors ?? 15, n - 1));
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors,
    minDist: options.minDist ?? 0.1,
    nEpochs: options.nEpochs,
    random: () => rng.nextDouble(),
  });
  const table: number[][] = new Array(n);
  for (let i = 0; i < n; i++) table[i] = Array.from(data.subarray(i * d, (i + 1) * d));
  options.signal?.throwIfAborted();
  const given = options.neighbours;
  const lists = given && given.k >= nNeighbors - 1 && given.indices.length === n * given.k ? given : nearestNeighbours(matrix, nNeighbors - 1);
  const knnIndices: number[][] = new Array(n);
  const knnDistances: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row = [i];
    const dist = [0];
    for (let t = 0; t < nNeighbors - 1; t++) {
      row.push(lists.indices[i * lists.k + t]);
      dist.push(lists.distances[i * lists.k + t]);
    }
    knnIndices[i] = row;
    knnDistances[i] = dist;
  }
  umap.setPrecomputedKNN(knnIndices, knnDistances);
  options.signal?.throwIfAborted();
  const epochs = umap.initializeFit(table);
  if (options.initial && options.initial.length === n * 2) {
    // umap-js optimises the arrays getEmbedding() returns, in place: overwrite its random start.
    const start = umap.getEmbedding();
    for (let i = 0; i < n; i++) {
      start[i][0] = options.initial[i * 2];
      start[i][1] = options.initial[i * 2 + 1];
    }
  }
  for (let epoch = 0; epoch < epochs; ) {
    const stop = Math.min(epochs, epoch + EPOCHS_PER_YIELD);
    while (epoch < stop) epoch = umap.step();
    options.onProgress?.(epoch, epochs);
    if (epoch < epochs) await yieldControl(options.signal);
  }
  const embedding = umap.getEmbedding();
  for (let i = 0; i < n; i++) {
    out[i * 2] = embedding[i][0];
    out[i * 2 + 1] = embedding[i][1];
  }
  return out;
}
