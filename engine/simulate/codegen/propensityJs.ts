import type { CompiledNetwork, CompiledReaction } from '../../model/compile.js';
import { emitJs } from '../../model/expression/index.js';

/**
 * JS source snippets for rate constants and propensities, shared by the
 * code-generated simulators. Identifiers in user expressions are resolved to
 * generated local names only; user text never reaches the output.
 *
 * Mass-action convention (GillesPy2's): a reaction with reactant
 * stoichiometries n_i has stochastic propensity
 *   c · Π_i X_i (X_i − 1) ··· (X_i − n_i + 1),   c = k / vol^(order − 1),
 * so k·vol for ∅ → …, k·X for X → …, k·X·Y/vol for X + Y → …, and
 * k·X·(X−1)/vol for 2X → …. The deterministic (ODE) form replaces the
 * falling factorial by the power X^n.
 */
export interface NameScheme {
  species(index: number): string;
  parameter(index: number): string;
  /** Generated name of reaction j's mass-action constant. */
  constant(reaction: number): string;
}

export const LOCAL_NAMES: NameScheme = {
  species: (i) => `s${i}`,
  parameter: (i) => `p${i}`,
  constant: (j) => `c${j}`,
};

function resolver(network: CompiledNetwork, names: NameScheme, allowSpecies: boolean) {
  const species = new Map(network.speciesIds.map((id, i) => [id, i]));
  const parameters = new Map(network.parameterIds.map((id, i) => [id, i]));
  return (name: string): string => {
    if (name === 'vol') return 'vol';
    const p = parameters.get(name);
    if (p !== undefined) return names.parameter(p);
    const s = species.get(name);
    if (s !== undefined && allowSpecies) return names.species(s);
    // validateModel rejects these; reaching here is a programming error.
    throw new Error(`unresolved name in expression: ${name}`);
  };
}

/** The value of reaction j's mass-action constant c (volume scaling included). */
export function rateConstantJs(network: CompiledNetwork, reaction: CompiledReaction, names: NameScheme): string {
  const k = emitJs(reaction.rate!, resolver(network, names, false));
  if (reaction.order === 0) return `(${k})*vol`;
  if (reaction.order === 1) return `(${k})`;
  if (reaction.order === 2) return `(${k})/vol`;
  return `(${k})/Math.pow(vol,${reaction.order - 1})`;
}

export function propensityJs(network: CompiledNetwork, j: number, names: NameScheme, mode: 'stochastic' | 'deterministic'): string {
  const reaction = network.reactions[j];
  if (reaction.propensity) return emitJs(reaction.propensity, resolver(network, names, true));
  const factors = [names.constant(j)];
  for (const { species, count } of reaction.reactants) {
    const x = names.species(species);
    for (let m = 0; m < count; m++) {
      if (m === 0 || mode === 'deterministic') factors.push(x);
      else factors.push(`(${x}-${m})`);
    }
  }
  return factors.join('*');
}
