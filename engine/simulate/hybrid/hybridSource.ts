import type { CompiledNetwork } from '../../model/compile.js';
import { emitJs, type ExprNode } from '../../model/expression/index.js';
import { propensityJs, rateConstantJs, type NameScheme } from '../codegen/propensityJs.js';
import { ruleLocalsJs } from '../ode/algebraicRules.js';
import type { HybridRateRule } from './hybridModel.js';

/**
 * Generated functions of the hybrid method over its ODE state vector
 *   y = [species counts (nS) | rate-rule parameters (in rule order) | G],
 * where G is the integral of the total propensity of the discrete reactions
 * since the integrator was last reset. Assignment rules are evaluated into
 * locals first (as in the ODE solver, algebraicRules.ts), rate constants are
 * inlined (a rate-rule parameter may change them continuously), and user
 * text never reaches the output: identifiers map to array slots or
 * generated locals, numbers are re-printed by the emitter.
 */

/** dy/dt at (t, y); m[j] = 1 for a continuous reaction, 0 for a discrete one. */
export type HybridDerivativeFn = (t: number, y: Float64Array, p: Float64Array, vol: number, m: Uint8Array, dy: Float64Array) => void;

/** The stochastic propensity of every reaction at (t, y) into a. */
export type HybridPropensitiesFn = (t: number, y: Float64Array, p: Float64Array, vol: number, a: Float64Array) => void;

export interface HybridLayout {
  /** Slot in y of each rate-rule parameter, by parameter index (absent: read from p). */
  readonly parameterSlot: ReadonlyMap<number, number>;
  /** Slot of G, the integrated discrete propensity (the last one). */
  readonly gSlot: number;
  readonly size: number;
}

export function hybridLayout(network: CompiledNetwork, rateRules: readonly HybridRateRule[]): HybridLayout {
  const nS = network.speciesIds.length;
  const parameterSlot = new Map<number, number>();
  for (const rule of rateRules) if (rule.variable.kind === 'parameter') parameterSlot.set(rule.variable.index, nS + parameterSlot.size);
  const gSlot = nS + parameterSlot.size;
  return { parameterSlot, gSlot, size: gSlot + 1 };
}

function hybridNames(network: CompiledNetwork, layout: HybridLayout): NameScheme {
  const ruleSpecies = new Set(network.rules.filter((r) => r.variable.kind === 'species').map((r) => r.variable.index));
  const ruleParameters = new Set(network.rules.filter((r) => r.variable.kind === 'parameter').map((r) => r.variable.index));
  const names: NameScheme = {
    species: (i) => (ruleSpecies.has(i) ? `rs${i}` : `y[${i}]`),
    parameter: (i) => (ruleParameters.has(i) ? `rp${i}` : layout.parameterSlot.has(i) ? `y[${layout.parameterSlot.get(i)}]` : `p[${i}]`),
    constant: (j) => `(${rateConstantJs(network, network.reactions[j], names)})`,
  };
  return names;
}

function expressionJs(network: CompiledNetwork, names: NameScheme, ast: ExprNode): string {
  const species = new Map(network.speciesIds.map((id, i) => [id, i]));
  const parameters = new Map(network.parameterIds.map((id, i) => [id, i]));
  return emitJs(ast, (name) => {
    if (name === 'vol') return 'vol';
    if (name === 't' || name === 'time') return 't';
    if (species.has(name)) return names.species(species.get(name)!);
    if (parameters.has(name)) return names.parameter(parameters.get(name)!);
    throw new Error(`unresolved name in expression: ${name}`);
  });
}

export function hybridDerivativeSource(network: CompiledNetwork, rateRules: readonly HybridRateRule[], layout: HybridLayout): string {
  const names = hybridNames(network, layout);
  const reactions = network.reactions;
  const lines = ['"use strict";', 'return function hybridDerivative(t, y, p, vol, m, dy) {', ruleLocalsJs(network, names)];
  lines.push(`let g=0${reactions.map((_, j) => `,k${j}=0`).join('')};`);
  reactions.forEach((_, j) => {
    lines.push(`if(m[${j}]===1)k${j}=${propensityJs(network, j, names, 'deterministic')};else g+=${propensityJs(network, j, names, 'stochastic')};`);
  });
  const terms: string[][] = Array.from({ length: layout.size }, () => []);
  reactions.forEach((r, j) => {
    for (const { species, delta } of r.changes) terms[species].push(`${delta < 0 ? '-' : '+'}${Math.abs(delta) === 1 ? '' : `${Math.abs(delta)}*`}k${j}`);
  });
  for (const rule of rateRules) {
    const slot = rule.variable.kind === 'species' ? rule.variable.index : layout.parameterSlot.get(rule.variable.index)!;
    terms[slot].push(`+(${expressionJs(network, names, rule.expression)})`);
  }
  for (let i = 0; i < layout.gSlot; i++) lines.push(`dy[${i}]=${terms[i].length > 0 ? terms[i].join('') : '0'};`);
  lines.push(`dy[${layout.gSlot}]=g;`);
  lines.push('};');
  return lines.filter((line) => line !== '').join('\n');
}

export function hybridPropensitiesSource(network: CompiledNetwork, layout: HybridLayout): string {
  const names = hybridNames(network, layout);
  const lines = ['"use strict";', 'return function hybridPropensities(t, y, p, vol, a) {', ruleLocalsJs(network, names)];
  network.reactions.forEach((_, j) => lines.push(`a[${j}]=${propensityJs(network, j, names, 'stochastic')};`));
  lines.push('};');
  return lines.filter((line) => line !== '').join('\n');
}

export function compileHybridFunctions(
  network: CompiledNetwork,
  rateRules: readonly HybridRateRule[],
  layout: HybridLayout,
): { derivative: HybridDerivativeFn; propensities: HybridPropensitiesFn } {
  // Generated from validated ASTs (see the header): no user text is evaluated.
  return {
    derivative: new Function(hybridDerivativeSource(network, rateRules, layout))() as HybridDerivativeFn,
    propensities: new Function(hybridPropensitiesSource(network, layout))() as HybridPropensitiesFn,
  };
}
