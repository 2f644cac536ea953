import type { ReactionNetwork } from '../../model/schema.js';
import { CompiledGeneralModel } from './compileGeneralModel.js';
import { GeneralRun } from './generalRun.js';
import type { GeneralSimulationOptions, GeneralTrajectory } from './types.js';

/**
 * Simulate a validated model of any kind deterministically (SBML semantics:
 * reactions, rules, algebraic rules, events with delays and priorities,
 * delay(), rateOf()) and report it at the output times `grid` (>= 0; the
 * model starts at t = 0). The state at an output time equal to an event time
 * is the state after the event. To simulate one model many times, compile it
 * once with `new CompiledGeneralModel(model)` and call `simulateCompiled`.
 */
export function simulateGeneral(model: ReactionNetwork, grid: Float64Array, options: GeneralSimulationOptions = {}): GeneralTrajectory {
  return simulateCompiled(new CompiledGeneralModel(model), grid, options);
}

export function simulateCompiled(compiled: CompiledGeneralModel, grid: Float64Array, options: GeneralSimulationOptions = {}): GeneralTrajectory {
  return new GeneralRun(compiled, grid, options).run();
}
