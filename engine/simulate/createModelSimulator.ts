import { beyondCounts } from '../model/countModel.js';
import { toMoleculeCounts } from '../model/counts/index.js';
import type { ReactionNetwork } from '../model/schema.js';
import type { SimulatorOptions } from './createSimulator.js';
import { simulatorForMethodModel } from './simulatorForMethodModel.js';
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
  return simulatorForMethodModel(modelForMethod(model, method), method, options);
}

/**
 * The model in the form `method` simulates it: ssa and tau take a model
 * beyond counts converted to molecule counts, hybrid converted keeping its
 * rate rules; ode takes any model as it is. Deterministic, so the worker
 * pool converts a job's model once on its own thread (pool/validatedJob.ts)
 * and its threads build the simulator with simulatorForMethodModel alone.
 */
export function modelForMethod(model: ReactionNetwork, method: SimulationMethod): ReactionNetwork {
  if (method === 'ode' || beyondCounts(model).length === 0) return model;
  return toMoleculeCounts(model, method === 'hybrid' ? { rateRules: 'keep' } : {}).model;
}

/**
 * Whether a model is one of molecule counts in substance: a count model, or
 * one whose conversion to counts changes no number (one molecule per unit of
 * substance and of extent, nothing rounded) and that speaks of amounts, e.g.
 * an SBML model in items with its compartment listed, as the DSMTS models
 * are. A species written as a concentration counts only when its unit is
 * items: a concentration without units is more likely mol/l than molecules.
 */
export function isCountLike(model: ReactionNetwork): boolean {
  if (beyondCounts(model).length === 0) return true;
  try {
    const { report } = toMoleculeCounts(model);
    const noNumberChanges = report.rounded.length === 0 && report.extent.moleculesPerUnit === 1 && report.species.every((s) => s.moleculesPerUnit === 1);
    return noNumberChanges && report.species.every((s) => !s.concentration || s.unitFrom !== 'none');
  } catch {
    return false;
  }
}

/** The method to use when the user named none: the exact SSA for a model of counts, else the deterministic general simulator. */
export function defaultMethodFor(model: ReactionNetwork): SimulationMethod {
  return isCountLike(model) ? 'ssa' : 'ode';
}
