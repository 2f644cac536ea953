import { initLearnBackend, tf, type LearnBackend } from '../backend.js';
import type { NeuralNetworkSpec } from '../../stats/index.js';
import { architectureGraph, type ArchitectureOptions } from './architectures.js';
import { buildModel } from './buildModel.js';
import { toNetworkSpec } from './networkSpec.js';
import { fitNormalisation, normalise } from './normalisation.js';
import { trainModel, type TrainingHistory, type TrainingOptions } from './train.js';
import type { TrainingSet } from './trainingSet.js';

export interface LearnStatisticsOptions extends TrainingOptions {
  /** Network family and its sizes (default: the CNN of Åkesson et al. 2021). */
  readonly architecture?: ArchitectureOptions;
  /** Input transform before per-species standardisation (default log1p). */
  readonly transform?: 'log1p' | 'none';
  /** Seeds the initial weights and the shuffles (default 0). */
  readonly seed?: number;
}

export interface LearnedStatistics {
  /** The `neural-network` statistics spec, weights included: use it as a study's or a job's summaries. */
  readonly spec: NeuralNetworkSpec;
  readonly history: TrainingHistory;
  readonly backend: LearnBackend;
  readonly trainingSize: number;
}

/**
 * Learn summary statistics from a training set: fit the input
 * normalisation, build the network, train it to predict the [0, 1]-scaled
 * parameters (Åkesson et al. 2021, doi:10.1109/TCBB.2021.3108695) and export
 * it as a spec whose forward pass needs no TensorFlow.js.
 */
export async function learnSummaryStatistics(set: TrainingSet, options: LearnStatisticsOptions = {}): Promise<LearnedStatistics> {
  const backend = await initLearnBackend();
  const architecture = options.architecture ?? { architecture: 'cnn' };
  const graph = architectureGraph(set.parameters.length, architecture);
  const channels = set.species.length;
  const normalisation = fitNormalisation(set.inputs, channels, options.transform ?? 'log1p');
  const seed = options.seed ?? 0;
  const built = buildModel(graph, set.timePoints, channels, seed);
  const x = tf.tensor3d(normalise(set.inputs, channels, normalisation), [set.size, set.timePoints, channels]);
  const y = tf.tensor2d(set.targets, [set.size, set.parameters.length]);
  try {
    const history = await trainModel(built.model, x, y, { ...options, seed });
    const spec = toNetworkSpec(built, {
      architecture: architecture.architecture, graph, species: set.species, timePoints: set.timePoints,
      parameters: set.parameters, lower: set.lower, upper: set.upper, normalisation,
    });
    return { spec, history, backend, trainingSize: set.size };
  } finally {
    tf.dispose([x, y]);
    built.model.dispose();
  }
}
