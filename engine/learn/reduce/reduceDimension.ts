import { LearnInputError } from './errors.js';
import { toDenseMatrix, type DenseMatrix, type FeatureRows } from './featureMatrix.js';
import { pcaProject } from './pca.js';
import { standardiseColumns } from './standardise.js';
import { tsneEmbed } from './tsne.js';
import { umapEmbed } from './umap.js';
import { alignAxes, warmStart } from './warmStart.js';
import { Xoshiro128 } from '../../sample/random/index.js';

export const REDUCTION_METHODS = ['pca', 'umap', 'tsne'] as const;
export type ReductionMethod = (typeof REDUCTION_METHODS)[number];

export interface ReduceOptions {
  readonly method: ReductionMethod;
  /** Seed of UMAP and t-SNE (PCA is deterministic); default 0. */
  readonly seed?: number;
  /** Feature names, used in the notes on dropped columns. */
  readonly featureNames?: readonly string[];
  /** Z-score the columns first (default true; see standardiseColumns). */
  readonly standardise?: boolean;
  /** UMAP: neighbourhood size (default 15). */
  readonly nNeighbors?: number;
  /** UMAP: minimum distance (default 0.1). */
  readonly minDist?: number;
  /** UMAP: epochs; t-SNE: iterations. */
  readonly iterations?: number;
  /** t-SNE: perplexity (default 30). */
  readonly perplexity?: number;
  /**
   * The previous embedding of the first points (m × 2, row-major, m <= n), so
   * the layout stays put when points are added: UMAP and t-SNE start from it,
   * and every method's axes are turned to agree with it (see warmStart.ts).
   */
  readonly previous?: Float64Array;
  readonly signal?: AbortSignal;
  /** (done, total) in the method's own steps (epochs, iterations). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface Reduction {
  readonly method: ReductionMethod;
  /** n × 2, row-major: x of point i at 2i, y at 2i + 1. */
  readonly embedding: Float64Array;
  /** PCA only: fraction of the variance of the standardised features on each axis. */
  readonly explainedVariance?: [number, number];
  /** Indices of the feature columns used. */
  readonly kept: number[];
  /** Columns dropped or repaired, and why. */
  readonly notes: string[];
}

/**
 * Reduces feature rows to 2-D for the exploration scatter plot (Wrede &
 * Hellander 2019, doi:10.1093/bioinformatics/btz420, use PCA, t-SNE and
 * UMAP for this): columns are standardised (constant and all-NaN columns
 * dropped, with a note), then projected by PCA, UMAP or exact t-SNE.
 */
export async function reduceDimension(features: FeatureRows, options: ReduceOptions): Promise<Reduction> {
  if (!(REDUCTION_METHODS as readonly string[]).includes(options.method)) {
    throw new LearnInputError('method', `expected one of ${REDUCTION_METHODS.join(', ')}, got ${JSON.stringify(options.method)}`);
  }
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new LearnInputError('seed', `expected an integer >= 0, got ${seed}`);
  const dense = toDenseMatrix(features);
  const prepared =
    options.standardise === false
      ? { matrix: dense, kept: [...Array(dense.columns).keys()], notes: [] as string[] }
      : standardiseColumns(dense, options.featureNames);
  const matrix = prepared.matrix;
  options.signal?.throwIfAborted();
  switch (options.method) {
    case 'pca': {
      const { scores, explainedVariance } = pcaProject(matrix, 2);
      options.onProgress?.(1, 1);
      if (options.previous) alignAxes(scores, options.previous);
      return { method: 'pca', embedding: scores, explainedVariance: [explainedVariance[0], explainedVariance[1]], kept: prepared.kept, notes: prepared.notes };
    }
    case 'umap': {
      const initial = startFrom(matrix, options.previous, seed, 0.1);
      const embedding = await umapEmbed(matrix, {
        seed,
        nNeighbors: options.nNeighbors,
        minDist: options.minDist,
        nEpochs: options.iterations,
        initial,
        signal: options.signal,
        onProgress: options.onProgress,
      });
      if (options.previous) alignAxes(embedding, options.previous);
      return { method: 'umap', embedding, kept: prepared.kept, notes: prepared.notes };
    }
    case 'tsne': {
      const initial = startFrom(matrix, options.previous, seed, 0.1);
      const embedding = await tsneEmbed(matrix, {
        seed,
        perplexity: options.perplexity,
        iterations: options.iterations,
        initial,
        signal: options.signal,
        onProgress: options.onProgress,
      });
      if (options.previous) alignAxes(embedding, options.previous);
      return { method: 'tsne', embedding, kept: prepared.kept, notes: prepared.notes };
    }
  }
}

/** The warm start for UMAP or t-SNE, or undefined without a previous layout (then they start at random). */
function startFrom(matrix: DenseMatrix, previous: Float64Array | undefined, seed: number, spread: number): Float64Array | undefined {
  if (!previous || previous.length < 2) return undefined;
  const rng = Xoshiro128.fromSeed(seed, 0x3a);
  return warmStart(matrix, previous, () => rng.nextNormal(), spread);
}
