import type { CompiledNetwork } from '../model/compile.js';
import { SimulationSettingsError } from '../errors/index.js';
import { DirectMethod } from './ssa/DirectMethod.js';
import { TauLeaping } from './tau/TauLeaping.js';
import { OdeSolver } from './ode/OdeSolver.js';
import type { SimulationMethod, Simulator } from './types.js';

export const SIMULATION_METHODS: readonly SimulationMethod[] = ['ssa', 'tau', 'ode'];

/** The simulator for `method`: exact SSA, tau-leaping or deterministic ODE. */
export function createSimulator(network: CompiledNetwork, method: SimulationMethod = 'ssa'): Simulator {
  switch (method) {
    case 'ssa':
      return new DirectMethod(network);
    case 'tau':
      return new TauLeaping(network);
    case 'ode':
      return new OdeSolver(network);
    default:
      throw new SimulationSettingsError('method', `unknown method "${method}"; expected one of ${SIMULATION_METHODS.join(', ')}`);
  }
}
