import type { Proposal, ProposalOptions } from '../../explore/activeLearning.js';
import type { LearnBackend } from '../../learn/backend.js';
import type { EpochProgress, LearnedStatistics, LearnStatisticsOptions, TrainingSet } from '../../learn/nn/index.js';
import type { DenseMatrix } from '../../learn/reduce/featureMatrix.js';
import type { ReduceOptions, Reduction } from '../../learn/reduce/reduceDimension.js';
import type { PropagateOptions, PropagationResult } from '../../learn/semiSupervised/propagateLabels.js';
import type { Rows } from '../../learn/surrogate/GaussianProcess.js';
import type { GaussianProcessJson, GaussianProcessOptions } from '../../learn/surrogate/gpOptions.js';
import type { FlowEpoch, FlowTrainingData, FlowTrainingOptions, FlowTrainingResult, TrainedFlow } from '../../infer/npe/trainFlow.js';

/**
 * The engine's CPU-heavy tasks by name, each with plain (structured-clone)
 * input, progress and output, so that the very same function runs on the
 * caller's thread (inThreadCompute) or on a compute thread (ComputeThreads):
 * the same code on the same seed gives the same numbers either way.
 *
 * Modules load on first use (TensorFlow.js only for training), and the file
 * itself needs no Node built-in.
 */
export interface ComputeTaskTypes {
  /** Train a network's summary statistics on a simulated training set (learnSummaryStatistics). */
  trainStatistics: {
    input: { readonly set: TrainingSet; readonly options: Omit<LearnStatisticsOptions, 'signal' | 'onEpoch'> };
    progress: EpochProgress;
    output: LearnedStatistics;
  };
  /** Train (or keep training) a neural posterior's flow on (θ, x) pairs: one round of NPE (trainFlow). */
  trainFlow: {
    input: { readonly start: TrainedFlow; readonly data: FlowTrainingData; readonly options: Omit<FlowTrainingOptions, 'signal' | 'onEpoch'> };
    progress: FlowEpoch;
    output: FlowTrainingResult;
  };
  /** Initialise the training backend and name it. */
  learnBackend: { input: Record<string, never>; progress: never; output: LearnBackend };
  /** PCA, UMAP or t-SNE of a dense feature matrix to 2-D (reduceDimension). */
  reduceDimension: {
    input: { readonly features: DenseMatrix; readonly options: Omit<ReduceOptions, 'signal' | 'onProgress'> };
    progress: { readonly done: number; readonly total: number };
    output: Reduction;
  };
  /** Label spreading / propagation over an RBF graph of the features (propagateLabels). */
  propagateLabels: {
    input: { readonly features: DenseMatrix; readonly labels: Int32Array; readonly options: PropagateOptions };
    progress: never;
    output: PropagationResult;
  };
  /**
   * Active-learning proposals: a kNN soft classifier over the points' unit-cube
   * coordinates and soft labels scores candidates (proposePoints); O(n²) to build.
   */
  proposePoints: {
    input: {
      readonly points: Float64Array;
      readonly distributions: Float64Array;
      readonly dimension: number;
      readonly classes: number;
      readonly options: ProposalOptions;
    };
    progress: never;
    output: Proposal;
  };
  /** A Gaussian process fitted by type-II maximum likelihood, as its JSON (GaussianProcess.fromJSON rebuilds it exactly). */
  fitGaussianProcess: {
    input: { readonly x: Rows; readonly y: Float64Array | readonly number[]; readonly options: GaussianProcessOptions };
    progress: never;
    output: GaussianProcessJson;
  };
}

export type ComputeTaskName = keyof ComputeTaskTypes;
export type TaskInput<K extends ComputeTaskName> = ComputeTaskTypes[K]['input'];
export type TaskProgress<K extends ComputeTaskName> = ComputeTaskTypes[K]['progress'];
export type TaskOutput<K extends ComputeTaskName> = ComputeTaskTypes[K]['output'];

/** What a task gets besides its input: the cancel signal and where to report progress. */
export interface TaskContext<P> {
  readonly signal?: AbortSignal;
  readonly progress: (progress: P) => void;
}

type TaskTable = { readonly [K in ComputeTaskName]: (input: TaskInput<K>, context: TaskContext<TaskProgress<K>>) => Promise<TaskOutput<K>> };

export const COMPUTE_TASK_NAMES: readonly ComputeTaskName[] = [
  'trainStatistics',
  'trainFlow',
  'learnBackend',
  'reduceDimension',
  'propagateLabels',
  'proposePoints',
  'fitGaussianProcess',
];

export const computeTasks: TaskTable = {
  async trainStatistics({ set, options }, { signal, progress }) {
    const { learnSummaryStatistics } = await import('../../learn/nn/learnStatistics.js');
    return learnSummaryStatistics(set, { ...options, signal, onEpoch: progress });
  },
  async trainFlow({ start, data, options }, { signal, progress }) {
    const { initLearnBackend } = await import('../../learn/backend.js');
    const { trainFlow } = await import('../../infer/npe/trainFlow.js');
    await initLearnBackend();
    return trainFlow(start, data, { ...options, signal, onEpoch: progress });
  },
  async learnBackend() {
    const { initLearnBackend } = await import('../../learn/backend.js');
    return initLearnBackend();
  },
  async reduceDimension({ features, options }, { signal, progress }) {
    const { reduceDimension } = await import('../../learn/reduce/reduceDimension.js');
    const { rowsOf } = await import('../../learn/reduce/featureMatrix.js');
    return reduceDimension(rowsOf(features), { ...options, signal, onProgress: (done, total) => progress({ done, total }) });
  },
  async propagateLabels({ features, labels, options }) {
    const { propagateLabels } = await import('../../learn/semiSupervised/propagateLabels.js');
    return propagateLabels(features, labels, options);
  },
  async proposePoints({ points, distributions, dimension, classes, options }) {
    const { KnnSoftClassifier } = await import('../../explore/knnClassifier.js');
    const { proposePoints } = await import('../../explore/activeLearning.js');
    return proposePoints(new KnnSoftClassifier(points, distributions, dimension, classes), options);
  },
  async fitGaussianProcess({ x, y, options }) {
    const { GaussianProcess } = await import('../../learn/surrogate/GaussianProcess.js');
    return GaussianProcess.fit(x, y, options).toJSON();
  },
};
