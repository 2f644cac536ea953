import type { CompiledNetwork } from '../../model/compile.js';
import { propensityJs } from '../codegen/propensityJs.js';
import { ruleLocalNames, ruleLocalsJs } from './algebraicRules.js';

/** dx = S · a(x), with c the rate constants (see tau/propensityVector.ts, compileRateConstants). */
export type DerivativeFn = (x: Float64Array, p: Float64Array, vol: number, c: Float64Array, dx: Float64Array) => void;

/**
 * Source of the mass-action rate equations dx/dt = S · a(x) with the
 * deterministic propensities (powers instead of falling factorials; see
 * codegen/propensityJs.ts), as straight-line code: each propensity once into
 * a local, then each species' derivative as a sum of stoichiometry × local.
 * Assignment rules are algebraic: they are evaluated first, into locals the
 * propensities read (algebraicRules.ts). Boundary species have no terms
 * (`changes` excludes them), so their derivative is 0.
 */
export function derivativeSource(network: CompiledNetwork): string {
  const lines = ['"use strict";', 'return function derivative(x, p, vol, c, dx) {'];
  const reactions = network.reactions;
  const names = ruleLocalNames(network);
  const rules = ruleLocalsJs(network, names);
  if (rules !== '') lines.push(rules);
  if (reactions.length > 0) {
    lines.push(`const ${reactions.map((_, j) => `a${j}=${propensityJs(network, j, names, 'deterministic')}`).join(',\n')};`);
  }
  const terms: string[][] = network.speciesIds.map(() => []);
  reactions.forEach((r, j) => {
    for (const { species, delta } of r.changes) {
      const list = terms[species];
      const sign = delta < 0 ? '-' : list.length > 0 ? '+' : '';
      const magnitude = Math.abs(delta);
      list.push(`${sign}${magnitude === 1 ? '' : `${magnitude}*`}a${j}`);
    }
  });
  terms.forEach((list, s) => lines.push(`dx[${s}]=${list.length > 0 ? list.join('') : '0'};`));
  lines.push('};');
  return lines.join('\n');
}

export function compileDerivative(network: CompiledNetwork): DerivativeFn {
  // Generated from validated ASTs: identifiers map to array slots, numbers are re-printed; no user text is evaluated.
  return new Function(derivativeSource(network))() as DerivativeFn;
}

/** (x, p, vol, c, a) → void: every deterministic propensity at state x into a, rules evaluated first as in the derivative. */
export type PropensitiesFn = (x: Float64Array, p: Float64Array, vol: number, c: Float64Array, a: Float64Array) => void;

export function propensitiesSource(network: CompiledNetwork): string {
  const names = ruleLocalNames(network);
  const lines = ['"use strict";', 'return function propensities(x, p, vol, c, a) {', ruleLocalsJs(network, names)];
  network.reactions.forEach((_, j) => lines.push(`a[${j}]=${propensityJs(network, j, names, 'deterministic')};`));
  lines.push('};');
  return lines.filter((line) => line !== '').join('\n');
}

export function compilePropensities(network: CompiledNetwork): PropensitiesFn {
  // Generated from validated ASTs, as the derivative.
  return new Function(propensitiesSource(network))() as PropensitiesFn;
}
