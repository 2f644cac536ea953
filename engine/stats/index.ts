/** engine/stats: summary statistics, feature kernels, scalers, feature selection and distances. */
export type { PartSpec, SummaryStatistics, Distance, DistanceContext } from './types.js';
export { PartSpecError, FeatureShapeError } from './errors.js';
export {
  createSummaryStatistics,
  createDistance,
  createScaler,
  DEFAULT_SUMMARY_STATISTICS_SPEC,
  DEFAULT_DISTANCE_SPEC,
  SUMMARY_STATISTICS_KINDS,
  DISTANCE_KINDS,
} from './registry.js';
export { TimeSeriesFeatures, type TimeSeriesFeaturesOptions, type TimeSeriesFeaturesSpec } from './summaries/TimeSeriesFeatures.js';
export { IdentityStatistics, type IdentityStatisticsSpec } from './summaries/IdentityStatistics.js';
export { EnsembleMoments, type EnsembleMoment, type EnsembleMomentsSpec } from './summaries/EnsembleMoments.js';
export {
  NeuralNetworkStatistics,
  NEURAL_NETWORK_ARCHITECTURES,
  type NeuralNetworkSpec,
  type NeuralNetworkArchitecture,
  type InputNormalisation,
} from './summaries/NeuralNetworkStatistics.js';
export { planNetwork, LAYER_TYPES, type LayerSpec, type LayerType, type NetworkGraph, type NetworkPlan, type PlannedLayer } from './summaries/nn/topology.js';
export { float32ToBase64, base64ToFloat32, float32Bytes, bytesToFloat32 } from './summaries/nn/float32Base64.js';
export { featureSetNames, FEATURE_SETS, MINIMAL_FEATURES, type FeatureSetName, type FeatureSetOptions } from './summaries/featureSets.js';
export { parseSeriesFeature, PLAIN_FEATURES, PAIR_CORRELATION, type SeriesFeature } from './summaries/seriesFeatureGrammar.js';
export * from './distances/index.js';
export * from './scalers/index.js';
export * from './selection/index.js';
export * as features from './features/index.js';
