import { compileNetwork } from '../model/compile.js';
import { beyondCounts } from '../model/countModel.js';
import type { ReactionNetwork } from '../model/schema.js';
import { createSimulator, type SimulatorOptions } from './createSimulator.js';
import { GeneralOdeSimulator } from './general/index.js';
import { compileHybridModel } from './hybrid/hybridModel.js';
import { HybridSimulator } from './hybrid/HybridSimulator.js';
import type { SimulationMethod, Simulator } from './types.js';

/**
 * The simulator for a validated model already in the form its method takes
 * (createModelSimulator.ts's modelForMethod): count models on the compiled
 * count simulators, a model beyond counts with `ode` on the general
 * simulator, hybrid with its rate rules integrated continuously.
 *
 * Why apart from createModelSimulator: this module does not import the count
 * conversion, which validates the models it builds and so loads the schema
 * library; a worker thread's bundle stays without it (issue 15).
 */
export function simulatorForMethodModel(model: ReactionNetwork, method: SimulationMethod, options: SimulatorOptions = {}): Simulator {
  if (method === 'hybrid') {
    const { network, rateRules } = compileHybridModel(model);
    return new HybridSimulator(network, { maxEvents: options.maxEvents, rateRules });
  }
  if (method === 'ode' && beyondCounts(model).length > 0) return new GeneralOdeSimulator(model, { maxSteps: options.maxEvents });
  return createSimulator(compileNetwork(model, method), method, options);
}
