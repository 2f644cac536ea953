/**
 * Surrogate models: Gaussian-process regression (RBF / Matérn kernels,
 * type-II maximum likelihood), one GP per output, an MLP regressor in plain
 * TypeScript, and BOLFI acquisition (lower confidence bound) for
 * likelihood-free inference. Free of Node built-ins: runs in workers and browsers.
 */
export { GaussianProcess, type Prediction, type Rows } from './GaussianProcess.js';
export { MultiOutputGp } from './MultiOutputGp.js';
export {
  gaussianProcessOptionsSchema,
  gaussianProcessJsonSchema,
  type GaussianProcessOptions,
  type GaussianProcessJson,
  type GpHyperparameters,
} from './gpOptions.js';
export { KERNEL_KINDS, kernelProfile, covarianceMatrix, crossCovariance, type KernelKind, type KernelProfile } from './kernels.js';
export { logMarginalLikelihood, likelihoodWorkspace, type LikelihoodWorkspace, type MarginalLikelihood } from './marginalLikelihood.js';
export { defaultRestarts } from './fitHyperparameters.js';
export { lbfgs, type LbfgsOptions, type LbfgsResult, type Objective } from './optimise/lbfgs.js';
export { choleskyInPlace, choleskyWithJitter, choleskySolve, choleskyInverse, solveLower, solveUpper } from './linalg/cholesky.js';
export { MlpRegressor } from './mlp/MlpRegressor.js';
export { mlpOptionsSchema, mlpJsonSchema, type MlpOptions, type MlpJson } from './mlp/mlpOptions.js';
export { lcbExplorationWeight, lowerConfidenceBound } from './bolfi/acquisition.js';
export { proposeNext, proposeOptionsSchema, type ProposeOptions } from './bolfi/proposeNext.js';
export { bolfi, bolfiOptionsSchema, type BolfiOptions, type BolfiProgress, type BolfiResult } from './bolfi/bolfi.js';
export { patternSearch, type PatternSearchOptions } from './bolfi/patternSearch.js';
export { SurrogateError, SurrogateSpecError, SurrogateNumericalError } from './SurrogateError.js';
