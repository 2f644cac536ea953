import { compileNetwork } from '../model/compile.js';
import { beyondCounts } from '../model/countModel.js';
import { toMoleculeCounts } from '../model/counts/index.js';
import type { ReactionNetwork } from '../model/schema.js';
import { createSimulator, type SimulatorOptions } from './createSimulator.js';
import { GeneralOdeSimulator } from './general/index.js';
import type { SimulationMethod, Simulator } from './types.js';

/**
 * The simulator for a validated model and method. Count models (countModel.ts)
 * run on the compiled count simulators. A model beyond counts runs with
 * method `ode` on the general simulator (SBML semantics: compartments,
 * concentrations, rate and algebraic rules, delays); the stochastic methods
 * run it converted to molecule counts (model/counts: amounts × molecules
 * per substance unit, COPASI's way) or refuse it with every reason
 * (CountConversionError). Front doors that want the conversion's report
 * (rounded counts, expected work) or another substance unit convert
 * first and pass the count model.
 */
export function createModelSimulator(model: ReactionNetwork, method: SimulationMethod = 'ssa', options: SimulatorOptions = {}): Simulator {
  const beyond = beyondCounts(model).length > 0;
  if (method === 'ode' && beyond) return new GeneralOdeSimulator(model, { maxSteps: options.maxEvents });
  const counts = beyond ? toMoleculeCounts(model).model : model;
  return createSimulator(compileNetwork(counts, method), method, options);
}

/** The method to use when the user named none: the exact SSA for a count model, else the deterministic general simulator. */
export function defaultMethodFor(model: ReactionNetwork): SimulationMethod {
  return beyondCounts(model).length > 0 ? 'ode' : 'ssa';
}
