export { npe, SEQUENTIAL_METHODS, type NpeOptions, type SequentialMethod } from './npe.js';
export { NeuralPosterior, type NeuralPosteriorJSON, type NeuralSamples, type NpeRound, type SampleOptions } from './NeuralPosterior.js';
export { MaskedAutoregressiveFlow, initialWeights, type FlowArchitecture, type NamedWeight } from './maskedAutoregressiveFlow.js';
export {
  createFlow,
  trainFlow,
  type FlowEpoch,
  type FlowTrainingData,
  type FlowTrainingOptions,
  type FlowTrainingResult,
  type Standardisation,
  type TrainedFlow,
} from './trainFlow.js';
export { madeMasks, type MadeMasks } from './madeMasks.js';
export {
  highDensityThreshold,
  validateTruncation,
  sampleTruncatedPrior,
  type DensityEstimate,
  type TruncatedPriorSample,
  type TruncationOptions,
} from './truncatedProposal.js';
