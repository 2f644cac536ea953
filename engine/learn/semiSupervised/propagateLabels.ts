import { LearnInputError } from '../reduce/errors.js';
import { toDenseMatrix, type DenseMatrix, type FeatureRows } from '../reduce/featureMatrix.js';
import { standardiseColumns } from '../reduce/standardise.js';
import { DEFAULT_GRAPH_NEIGHBOURS, DENSE_GRAPH_MAX_POINTS, distanceGraph, rbfWeights, type DistanceGraph } from './affinityGraph.js';
import { iterateLabels, type PropagationAlgorithm } from './spreading.js';
import { summariseDistributions } from './uncertainty.js';

export interface PropagateOptions {
  /** 'spreading' (Zhou et al. 2004, default) or 'propagation' (Zhu & Ghahramani 2002). */
  readonly algorithm?: PropagationAlgorithm;
  /** RBF precision; a number, or 'tune' (default) to minimise the mean entropy over `gammaGrid`. */
  readonly gamma?: number | 'tune';
  /**
   * Grid for tuning, as multiples of 1 / scale, where scale is the median
   * squared distance between near neighbours (default 2^-6 .. 2^6).
   */
  readonly gammaGrid?: readonly number[];
  /** Label spreading's alpha in (0, 1) (default 0.2). */
  readonly alpha?: number;
  /** Graph: 'all' pairs, or k nearest neighbours (default: all up to 2,000 points, else 10). */
  readonly neighbours?: number | 'all';
  /** Z-score the features first (default true). */
  readonly standardise?: boolean;
  readonly maxIterations?: number;
  readonly tolerance?: number;
}

export interface PropagationResult {
  readonly classes: number;
  /** n × classes soft labels, row-major, rows sum to 1. */
  readonly distributions: Float64Array;
  /** Most probable class per point. */
  readonly hard: Int32Array;
  /** Entropy (nats) of each soft label: high = uncertain. */
  readonly entropy: Float64Array;
  /** Top probability minus the runner-up: low = uncertain. */
  readonly margin: Float64Array;
  readonly gamma: number;
  /** Mean entropy over the unlabelled points at each tried gamma (when tuned). */
  readonly gammaSearch?: Array<{ gamma: number; meanEntropy: number }>;
  readonly iterations: number;
  readonly converged: boolean;
  readonly unreached: number;
  readonly notes: string[];
}

export const DEFAULT_GAMMA_GRID: readonly number[] = Array.from({ length: 13 }, (_, i) => 2 ** (i - 6));

/**
 * Semi-supervised labelling of exploration points from a few user labels:
 * an RBF affinity graph over the (standardised) features, then label
 * spreading or propagation (see spreading.ts). With gamma 'tune', the
 * kernel width minimising the mean entropy of the unlabelled points' soft
 * labels is chosen on a grid, as Wrede & Hellander 2019 do
 * (doi:10.1093/bioinformatics/btz420): the most decisive labelling the
 * data support. Points with no path to a label count as uniform (maximal
 * entropy), which keeps the search off kernels too narrow to connect them.
 *
 * labels: integers >= 0 are classes, -1 unlabelled.
 */
export function propagateLabels(features: FeatureRows | DenseMatrix, labels: ArrayLike<number>, options: PropagateOptions = {}): PropagationResult {
  const dense = 'data' in features ? features : toDenseMatrix(features);
  const n = dense.rows;
  if (labels.length !== n) throw new LearnInputError('labels', `expected ${n} labels (one per row), got ${labels.length}`);
  let classes = 0;
  let labelled = 0;
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (!Number.isInteger(l) || l < -1) throw new LearnInputError(`labels[${i}]`, `expected an integer >= 0 (a class) or -1 (unlabelled), got ${l}`);
    if (l >= 0) {
      labelled++;
      classes = Math.max(classes, l + 1);
    }
  }
  if (labelled === 0) throw new LearnInputError('labels', 'expected at least one labelled point');
  const alpha = options.alpha ?? 0.2;
  if (!(alpha > 0 && alpha < 1)) throw new LearnInputError('alpha', `expected a number in (0, 1), got ${alpha}`);
  const neighbours = options.neighbours ?? (n <= DENSE_GRAPH_MAX_POINTS ? 'all' : DEFAULT_GRAPH_NEIGHBOURS);
  if (neighbours !== 'all' && (!Number.isInteger(neighbours) || neighbours < 1))
    throw new LearnInputError('neighbours', `expected 'all' or an integer >= 1, got ${neighbours}`);
  const prepared = options.standardise === false ? { matrix: dense, notes: [] as string[] } : standardiseColumns(dense);
  const graph = distanceGraph(prepared.matrix, neighbours);
  const iteration = { alpha, maxIterations: options.maxIterations, tolerance: options.tolerance };
  const algorithm = options.algorithm ?? 'spreading';
  const run = (gamma: number) => iterateLabels(graph, rbfWeights(graph, gamma), labels, classes, algorithm, iteration);

  let gamma: number;
  let gammaSearch: Array<{ gamma: number; meanEntropy: number }> | undefined;
  let result;
  if (options.gamma === undefined || options.gamma === 'tune') {
    const tuned = tuneGamma(graph, labels, classes, options.gammaGrid ?? DEFAULT_GAMMA_GRID, run);
    ({ gamma, gammaSearch, result } = tuned);
  } else {
    if (!(options.gamma > 0)) throw new LearnInputError('gamma', `expected a number > 0 or 'tune', got ${options.gamma}`);
    gamma = options.gamma;
    result = run(gamma);
  }
  const summary = summariseDistributions(result.distributions, n, classes);
  const notes = [...prepared.notes];
  if (result.unreached > 0) notes.push(`${result.unreached} point${result.unreached === 1 ? '' : 's'} not connected to any label (uniform soft label)`);
  if (!result.converged) notes.push(`did not converge in ${result.iterations} iterations`);
  return {
    classes,
    distributions: result.distributions,
    ...summary,
    gamma,
    gammaSearch,
    iterations: result.iterations,
    converged: result.converged,
    unreached: result.unreached,
    notes,
  };
}

function tuneGamma(
  graph: DistanceGraph,
  labels: ArrayLike<number>,
  classes: number,
  grid: readonly number[],
  run: (gamma: number) => ReturnType<typeof iterateLabels>,
) {
  if (grid.length === 0 || grid.some((g) => !(g > 0))) throw new LearnInputError('gammaGrid', 'expected a non-empty list of numbers > 0');
  let best: { gamma: number; meanEntropy: number; result: ReturnType<typeof iterateLabels> } | undefined;
  const gammaSearch: Array<{ gamma: number; meanEntropy: number }> = [];
  for (const factor of grid) {
    const gamma = factor / graph.scale;
    const result = run(gamma);
    const { entropy } = summariseDistributions(result.distributions, graph.n, classes);
    let sum = 0;
    let count = 0;
    for (let i = 0; i < graph.n; i++) {
      if (labels[i] >= 0) continue;
      sum += entropy[i];
      count++;
    }
    const meanEntropy = count > 0 ? sum / count : 0;
    gammaSearch.push({ gamma, meanEntropy });
    // Strict improvement: on ties the wider kernel (earlier in the grid) wins, the smoother labelling.
    if (!best || meanEntropy < best.meanEntropy - 1e-12) best = { gamma, meanEntropy, result };
  }
  return { gamma: best!.gamma, gammaSearch, result: best!.result };
}
