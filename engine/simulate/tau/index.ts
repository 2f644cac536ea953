export { TauLeaping, type TauLeapingOptions } from './TauLeaping.js';
export { leapStructure, type LeapStructure } from './leapStructure.js';
export { leapTau, markCritical, orderFactor } from './stepSize.js';
export { compilePropensityVector, compileRateConstants, type PropensityVectorFn, type RateConstantsFn } from '../codegen/propensityVector.js';
