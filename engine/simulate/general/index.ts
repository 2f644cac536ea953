/** The deterministic simulator of general models (SBML semantics): see simulateGeneral.ts. */
export type { GeneralSimulationOptions, GeneralTrajectory } from './types.js';
export { simulateGeneral, simulateCompiled } from './simulateGeneral.js';
export { CompiledGeneralModel } from './compileGeneralModel.js';
export { GeneralOdeSimulator } from './GeneralOdeSimulator.js';
