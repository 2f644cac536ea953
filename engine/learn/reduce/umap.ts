import { Xoshiro128 } from '../../sample/random/Xoshiro128.js';
import { nearestNeighbours, type NeighbourLists } from '../semiSupervised/nearestNeighbours.js';
import type { DenseMatrix } from './featureMatrix.js';
import { fitCurveParameters, fuzzySimplicialSet, layoutSchedule, optimizeLayout, type LayoutSettings } from './umap/index.js';
import { yieldControl } from './yieldControl.js';

export interface UmapOptions {
  /** Size of the local neighbourhood, the point itself included (default 15, capped at n - 1). */
  readonly nNeighbors?: number;
  /** Minimum distance between embedded points (default 0.1). */
  readonly minDist?: number;
  /** Optimisation epochs (default, as umap-js: 500 up to 2,500 points, 400 up to 5,000, 300 up to 7,500, else 200). */
  readonly nEpochs?: number;
  readonly seed: number;
  /**
   * Precomputed neighbour lists of the same rows (self excluded, nearest
   * first, at least nNeighbors − 1 per row), e.g. the ones label spreading
   * built; computed exactly when absent.
   */
  readonly neighbours?: NeighbourLists;
  /** Start layout (n × 2, row-major; see warmStart.ts) in place of the random one. */
  readonly initial?: Float64Array;
  readonly signal?: AbortSignal;
  /** Called with (epochs done, epochs in total) every few epochs. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Epochs run between two yields to the event loop. */
const EPOCHS_PER_YIELD = 10;
/** Half-width of the random start, as umap-js (uniform on [−10, 10]²). */
const RANDOM_START_HALF_WIDTH = 10;

/**
 * UMAP embedding to 2-D (McInnes, Healy & Melville 2018, "UMAP: Uniform
 * Manifold Approximation and Projection", arXiv:1802.03426;
 * doi:10.21105/joss.00861), on typed arrays:
 *
 * 1. exact neighbour lists (nearestNeighbours, blocked brute force; the
 *    same lists label spreading uses, and a caller may pass them in);
 * 2. the fuzzy simplicial set of those lists (umap/fuzzyGraph.ts);
 * 3. a start layout: the warm start if given, else uniform on [−10, 10]²
 *    as umap-js (umap-learn's spectral start is not used);
 * 4. stochastic gradient descent over the graph's edges with negative
 *    sampling (umap/layout.ts), the curve's a and b fitted to minDist
 *    (umap/curveParameters.ts).
 *
 * Every random number (start layout, negative samples) comes from one
 * xoshiro128** stream of `seed`, so the embedding is a pure function of
 * (data, options, seed). This replaced umap-js 1.4, whose sparse matrices
 * keyed by strings and arrays of arrays took 27 s at 10,000 × 49 points
 * (test/bench/explore.bench.ts compares the two, speed and trustworthiness).
 */
export async function umapEmbed(matrix: DenseMatrix, options: UmapOptions): Promise<Float64Array> {
  const n = matrix.rows;
  const embedding = new Float64Array(n * 2);
  if (n < 3) {
    // UMAP needs a neighbourhood; one or two points are placed on a line.
    for (let i = 0; i < n; i++) embedding[i * 2] = i;
    return embedding;
  }
  const rng = Xoshiro128.fromSeed(options.seed, 0x75);
  const nNeighbors = Math.max(2, Math.min(options.nNeighbors ?? 15, n - 1));
  options.signal?.throwIfAborted();
  const given = options.neighbours;
  const lists = given && given.k >= nNeighbors - 1 && given.indices.length === n * given.k ? given : nearestNeighbours(matrix, nNeighbors - 1);
  options.signal?.throwIfAborted();
  const graph = fuzzySimplicialSet(lists, nNeighbors);
  // As umap-js: 0 (or nothing) means the default.
  const epochs = options.nEpochs !== undefined && options.nEpochs > 0 ? options.nEpochs : defaultEpochs(n);
  const settings: LayoutSettings = {
    curve: fitCurveParameters(1, options.minDist ?? 0.1),
    epochs,
    negativeSampleRate: 5,
    learningRate: 1,
    repulsionStrength: 1,
  };
  const schedule = layoutSchedule(graph, settings);
  if (options.initial && options.initial.length === n * 2) embedding.set(options.initial);
  else for (let c = 0; c < embedding.length; c++) embedding[c] = RANDOM_START_HALF_WIDTH * (2 * rng.nextDouble() - 1);
  for (let epoch = 0; epoch < epochs; ) {
    const stop = Math.min(epochs, epoch + EPOCHS_PER_YIELD);
    optimizeLayout(embedding, schedule, settings, epoch, stop, rng);
    epoch = stop;
    options.onProgress?.(epoch, epochs);
    if (epoch < epochs) await yieldControl(options.signal);
  }
  return embedding;
}

/** umap-js's (and so this app's earlier) epoch count: fewer epochs for more points, whose graphs have more edges per epoch. */
function defaultEpochs(n: number): number {
  return n <= 2500 ? 500 : n <= 5000 ? 400 : n <= 7500 ? 300 : 200;
}
