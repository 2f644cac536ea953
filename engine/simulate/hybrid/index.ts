/** Hybrid stochastic/deterministic simulation (Haseltine & Rawlings 2002; Salis & Kaznessis 2005; GillesPy2's TauHybridSolver partition). */
import type { CompiledNetwork } from '../../model/compile.js';
import { beyondCounts } from '../../model/countModel.js';
import { toMoleculeCounts } from '../../model/counts/index.js';
import type { ReactionNetwork } from '../../model/schema.js';
import { compileHybridModel } from './hybridModel.js';
import { HybridSimulator } from './HybridSimulator.js';
import type { HybridOptions } from './options.js';

export { HybridSimulator } from './HybridSimulator.js';
export { compileHybridModel, type HybridNetwork, type HybridRateRule } from './hybridModel.js';
export { HYBRID_METHOD, DEFAULT_HYBRID_MAX_EVENTS, type HybridMethodName, type HybridOptions } from './options.js';

/** The hybrid simulator of a compiled count network (rate rules, if any, in options.rateRules; see compileHybridModel). */
export function createHybridSimulator(network: CompiledNetwork, options: HybridOptions = {}): HybridSimulator {
  return new HybridSimulator(network, options);
}

/**
 * The hybrid simulator of a validated model: a model beyond counts is first
 * converted to molecule counts keeping its rate rules (toMoleculeCounts with
 * rateRules: 'keep'); the rate rules are then integrated continuously.
 */
export function createHybridModelSimulator(model: ReactionNetwork, options: Omit<HybridOptions, 'rateRules'> = {}): HybridSimulator {
  const counts = beyondCounts(model).length > 0 ? toMoleculeCounts(model, { rateRules: 'keep' }).model : model;
  const { network, rateRules } = compileHybridModel(counts);
  return new HybridSimulator(network, { ...options, rateRules });
}
