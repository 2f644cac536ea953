import type { CompiledNetwork } from '../../model/compile.js';
import { expressionJs, rulesJs } from '../codegen/discreteDynamicsJs.js';
import type { NameScheme } from '../codegen/propensityJs.js';
import { ARRAY_NAMES } from '../codegen/propensityVector.js';

/**
 * Assignment rules as algebraic equations of the rate equations: inside the
 * derivative (and the trigger evaluation used to locate state events) every
 * rule variable is recomputed from the state at hand into a local, so a
 * propensity that reads it sees its exact value at every Runge-Kutta stage.
 * The integrator's own slot of a rule-set species has derivative 0 and is
 * never read there; recorded outputs get the rule values (see OdeSolver).
 */

/** Names that read species and parameters from arrays, except rule variables, which are locals rs_i / rp_i. */
export function ruleLocalNames(network: CompiledNetwork): NameScheme {
  const species = new Set(network.rules.filter((r) => r.variable.kind === 'species').map((r) => r.variable.index));
  const parameters = new Set(network.rules.filter((r) => r.variable.kind === 'parameter').map((r) => r.variable.index));
  return {
    species: (i) => (species.has(i) ? `rs${i}` : `x[${i}]`),
    parameter: (i) => (parameters.has(i) ? `rp${i}` : `p[${i}]`),
    constant: (j) => `c[${j}]`,
  };
}

/** Declare the rule locals and evaluate every rule into them, in evaluation order. */
export function ruleLocalsJs(network: CompiledNetwork, names: NameScheme): string {
  if (network.rules.length === 0) return '';
  const locals = network.rules.map((r) => `${r.variable.kind === 'species' ? names.species(r.variable.index) : names.parameter(r.variable.index)}=0`);
  return `let ${locals.join(',')};${rulesJs(network, names)}`;
}

/** (x, p, vol, tv) → void: tv[k] = 1 if state event k's trigger holds at state x, else 0 (time events: 0). */
export type TriggersFn = (x: Float64Array, p: Float64Array, vol: number, tv: Float64Array) => void;

export function triggersSource(network: CompiledNetwork): string {
  const names = ruleLocalNames(network);
  const lines = ['"use strict";', 'return function triggers(x, p, vol, tv) {', ruleLocalsJs(network, names)];
  network.events.forEach((e, k) => lines.push(e.time ? `tv[${k}]=0;` : `tv[${k}]=(${expressionJs(network, names, e.trigger)})!==0?1:0;`));
  lines.push('};');
  return lines.filter((line) => line !== '').join('\n');
}

export function compileTriggers(network: CompiledNetwork): TriggersFn {
  // Generated from validated ASTs: identifiers map to array slots or generated locals; no user text is evaluated.
  return new Function(triggersSource(network))() as TriggersFn;
}

/** (x, p, vol) → void: write every rule's value into its species slot of x or parameter slot of p. */
export type ApplyRulesFn = (x: Float64Array, p: Float64Array, vol: number) => void;

export function compileApplyRules(network: CompiledNetwork): ApplyRulesFn {
  // Generated from validated ASTs, as above.
  return new Function(`"use strict";\nreturn function applyRules(x, p, vol) {${rulesJs(network, ARRAY_NAMES)}};`)() as ApplyRulesFn;
}
