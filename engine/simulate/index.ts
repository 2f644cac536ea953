export type { SimulationMethod, Simulator, TrajectoryEnsemble } from './types.js';
export { DirectMethod, type DirectMethodOptions } from './ssa/DirectMethod.js';
export { createSimulator, SIMULATION_METHODS, type SimulatorOptions } from './createSimulator.js';
export { DEFAULT_MAX_EVENTS } from './budget.js';
export { simulateEnsemble, type EnsembleOptions } from './ensemble.js';
export { uniformTimeGrid, assertTimeGrid } from './timeGrid.js';
export { TauLeaping, type TauLeapingOptions } from './tau/index.js';
export { OdeSolver, type OdeSolverOptions } from './ode/index.js';
