export { EuclideanDistance, type EuclideanDistanceSpec, type NormalisableDistanceOptions } from './EuclideanDistance.js';
export { ManhattanDistance, type ManhattanDistanceSpec } from './ManhattanDistance.js';
export { WeightedEuclideanDistance, type WeightedEuclideanDistanceSpec } from './WeightedEuclideanDistance.js';
export { AdaptiveDistance, type AdaptiveDistanceSpec, type AdaptiveScale } from './AdaptiveDistance.js';
export { RunningMaxScale } from './RunningMaxScale.js';
export { medianAbsoluteDeviation } from './medianAbsoluteDeviation.js';
export { NAN_POLICY, observedNaNWarnings } from './nanPolicy.js';
