/** engine/learn/nn: neural-network summary statistics (training with TensorFlow.js; inference is engine/stats' `neural-network`). */
export { initLearnBackend, learnBackendName, convolutionGradients, type LearnBackend } from '../backend.js';
export { NeuralNetworkError } from './errors.js';
export {
  cnnGraph,
  dnnGraph,
  penGraph,
  architectureGraph,
  type ArchitectureOptions,
  type CnnOptions,
  type DnnOptions,
  type PenOptions,
} from './architectures.js';
export { buildModel, exportWeights, type BuiltModel, type BuildModelOptions, type ConvolutionPath } from './buildModel.js';
export { UnfoldConv1D, TimeWindows, SumOverTime, LeadingPoints, SeededDropout, unfoldTime } from './layers.js';
export { toNetworkSpec, type NetworkSpecFields } from './networkSpec.js';
export { fitNormalisation, normalise, signedLog1p } from './normalisation.js';
export { trainModel, type TrainingOptions, type TrainingHistory, type EpochProgress } from './train.js';
export { simulateTrainingSet, type SimulateTrainingSetOptions, type TrainingSet, type BoxedPrior } from './trainingSet.js';
export { learnSummaryStatistics, DNN_REGULARISATION, type LearnStatisticsOptions, type LearnedStatistics } from './learnStatistics.js';
export { validationReport, LEARNED_FRACTION, type ValidationReport } from './priorReference.js';
export { storeNetwork, loadNetwork, type NetworkRepository } from './networkStore.js';
export { resolveStudySummaries, type ResolveSummariesOptions } from './studySummaries.js';
