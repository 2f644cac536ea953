export type { Prior, PriorSpec, JointPrior, RandomSource } from './types.js';
export { UniformPrior, LogUniformPrior, NormalPrior, LogNormalPrior } from './univariate.js';
export { TruncatedNormalPrior } from './TruncatedNormalPrior.js';
export { IndependentPrior, type IndependentPriorSpec } from './IndependentPrior.js';
export { createPrior, createIndependentPrior, registerPriorKind, priorKinds, PriorSpecError } from './registry.js';
export { erfc, erfcx, normalCdf, normalLogCdf, normalPdf, normalQuantile } from './normalDistribution.js';
