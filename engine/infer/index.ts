export type {
  AbcOptions,
  DistanceFunction,
  EpsilonContext,
  EpsilonFunction,
  EpsilonSchedule,
  Generation,
  InferenceProgress,
  KernelContext,
  PerturbationKernel,
  SimulationSettings,
  StopReason,
} from './types.js';
export { abcRejection, type AbcRejectionOptions } from './abcRejection.js';
export { smcAbc, type SmcAbcOptions } from './smcAbc.js';
export { replenishmentSmcAbc, type ReplenishmentSmcAbcOptions } from './replenishmentSmcAbc.js';
export { Posterior, type PosteriorJSON, type GenerationJSON, type ParameterSummary, type DensityEstimate } from './Posterior.js';
export { QuantileEpsilon, ListEpsilon, createEpsilon } from './parts/epsilon.js';
export { MultivariateNormalKernel, LocalCovarianceKernel, createKernel, covarianceFactor, type CovarianceScale } from './parts/kernels.js';
export { NearestNeighbourKernel } from './parts/nearestNeighbourKernel.js';
export { resolveDistance } from './parts/distance.js';
export { parseObservedCsv, type ObservedData, type ObservedCsvOptions } from './observedData.js';
export { InferenceError, ObservedDataError, StudyError } from './errors.js';
export {
  parseStudy,
  runStudy,
  studyWithRegressionAdjustment,
  DEFAULT_STUDY_SUMMARIES,
  DEFAULT_STUDY_DISTANCE,
  DEFAULT_STUDY_REGRESSION_ADJUSTMENT,
  type Study,
  type StudyInput,
  type StudyRunOptions,
  type AlgorithmSettings,
} from './study.js';
export { effectiveSampleSize, weightedQuantile } from './weighted.js';
export {
  adjustGeneration,
  regressionAdjustmentSpec,
  type RegressionAdjustmentSpec,
  type RegressionAdjustmentOption,
  type AdjustmentFit,
} from './regressionAdjustment.js';
export { PROPOSAL_STREAM } from './sampleTrials.js';
