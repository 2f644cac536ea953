export { OdeSolver, type OdeSolverOptions } from './OdeSolver.js';
export { DormandPrinceStep } from './dormandPrince.js';
export { compileDerivative, derivativeSource, type DerivativeFn } from './derivativeSource.js';
export { createIntegrator } from './createIntegrator.js';
export type { IntegratorMethod, IntegratorOptions, IntegratorStats, OdeIntegrator, OdeSystem } from './integrator.js';
