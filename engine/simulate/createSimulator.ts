import type { CompiledNetwork } from '../model/compile.js';
import { SimulationSettingsError } from '../errors/index.js';
import { DirectMethod } from './ssa/DirectMethod.js';
import { TauLeaping } from './tau/TauLeaping.js';
import { OdeSolver } from './ode/OdeSolver.js';
import { HybridSimulator } from './hybrid/HybridSimulator.js';
import type { SimulationMethod, Simulator } from './types.js';

export const SIMULATION_METHODS: readonly SimulationMethod[] = ['ssa', 'tau', 'ode', 'hybrid'];

/** Settings every method understands. */
export interface SimulatorOptions {
  /**
   * Event budget per trajectory: reaction events (ssa), leaps and exact steps
   * (tau) or accepted steps (ode); more throw SimulationBudgetError (code
   * EVENT_BUDGET). Default: DEFAULT_MAX_EVENTS[method] (budget.ts).
   */
  readonly maxEvents?: number;
}

/** The simulator for `method`: exact SSA, tau-leaping or deterministic ODE. */
export function createSimulator(network: CompiledNetwork, method: SimulationMethod = 'ssa', options: SimulatorOptions = {}): Simulator {
  const { maxEvents } = options;
  switch (method) {
    case 'ssa':
      return new DirectMethod(network, { maxEvents });
    case 'tau':
      return new TauLeaping(network, { maxEvents });
    case 'ode':
      return new OdeSolver(network, { maxEvents });
    case 'hybrid':
      return new HybridSimulator(network, { maxEvents });
    default:
      throw new SimulationSettingsError('method', `unknown method "${method}"; expected one of ${SIMULATION_METHODS.join(', ')}`);
  }
}
