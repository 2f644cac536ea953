import type { CompiledNetwork } from '../../model/compile.js';
import { FAIL_PARAMETER, finiteNonNegativeJs, MODEL_FAILURES } from './failures.js';
import { propensityJs, rateConstantJs, type NameScheme } from './propensityJs.js';

/** Rate constants of the mass-action reactions into c (custom-propensity entries stay 0). */
export type RateConstantsFn = (p: Float64Array, vol: number, c: Float64Array) => void;

/** All propensities at state x into a; c holds the constants from RateConstantsFn. */
export type PropensityVectorFn = (x: Float64Array, p: Float64Array, vol: number, c: Float64Array, a: Float64Array) => void;

/** Names that read species, parameters and constants straight from typed arrays. */
export const ARRAY_NAMES: NameScheme = {
  species: (i) => `x[${i}]`,
  parameter: (i) => `p[${i}]`,
  constant: (j) => `c[${j}]`,
};

/**
 * Source of a function (p, vol, c) computing every mass-action constant once
 * per trajectory, with the same finiteness check as the SSA (FAIL in scope).
 */
export function rateConstantsSource(network: CompiledNetwork): string {
  const lines = ['"use strict";', 'return function rateConstants(p, vol, c) {', 'c.fill(0);'];
  network.reactions.forEach((r, j) => {
    if (!r.rate) return;
    lines.push(`c[${j}]=${rateConstantJs(network, r, ARRAY_NAMES)};`);
    // Constants are computed once, at the start of a trajectory: t = 0.
    lines.push(
      finiteNonNegativeJs(
        `c[${j}]`,
        'rate constant',
        r.id,
        '0',
        `${JSON.stringify(`reaction ${r.id}: rate constant is `)}+c[${j}]+"; expected a finite value >= 0"`,
      ),
    );
  });
  lines.push('};');
  return lines.join('\n');
}

/** Source of a function (x, p, vol, c, a) writing every propensity into a, as straight-line code. */
export function propensityVectorSource(network: CompiledNetwork, mode: 'stochastic' | 'deterministic'): string {
  const lines = ['"use strict";', 'return function propensities(x, p, vol, c, a) {'];
  network.reactions.forEach((_, j) => lines.push(`a[${j}]=${propensityJs(network, j, ARRAY_NAMES, mode)};`));
  lines.push('};');
  return lines.join('\n');
}

// The sources are generated from validated ASTs: identifiers map to array
// slots and numbers are re-printed by the emitter, so no user text is evaluated.
export function compileRateConstants(network: CompiledNetwork): RateConstantsFn {
  return new Function(FAIL_PARAMETER, rateConstantsSource(network))(MODEL_FAILURES) as RateConstantsFn;
}

export function compilePropensityVector(network: CompiledNetwork, mode: 'stochastic' | 'deterministic'): PropensityVectorFn {
  return new Function(propensityVectorSource(network, mode))() as PropensityVectorFn;
}
