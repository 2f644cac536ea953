import type { CompiledNetwork } from '../../model/compile.js';

/**
 * The network's stoichiometry flattened into typed arrays (compressed rows),
 * plus what Cao, Gillespie & Petzold's step-size rule needs to know about
 * each species. Built once per simulator; read-only in the hot loop.
 */
export interface LeapStructure {
  readonly species: number;
  readonly reactions: number;
  /** Net changes of reaction j: entries changeStart[j] .. changeStart[j+1]-1. */
  readonly changeStart: Int32Array;
  readonly changeSpecies: Int32Array;
  readonly changeDelta: Float64Array;
  /** Species reaction j consumes (net delta < 0) and how many per firing. */
  readonly consumeStart: Int32Array;
  readonly consumeSpecies: Int32Array;
  readonly consumeAmount: Float64Array;
  /** I_rs of the paper: the species that some propensity depends on, ascending. */
  readonly reactantSpecies: Int32Array;
  /**
   * Per species: the highest order of reaction (HOR) among the reactions it
   * is a reactant of, and the largest number of its molecules such a
   * reaction needs; both 0 for species in no reactant role.
   */
  readonly highestOrder: Float64Array;
  readonly highestOrderCount: Float64Array;
}

export function leapStructure(network: CompiledNetwork): LeapStructure {
  const nS = network.speciesIds.length;
  const reactions = network.reactions;
  const changeStart = new Int32Array(reactions.length + 1);
  const consumeStart = new Int32Array(reactions.length + 1);
  const changes: Array<{ species: number; delta: number }> = [];
  const consumes: Array<{ species: number; delta: number }> = [];
  reactions.forEach((r, j) => {
    for (const c of r.changes) {
      changes.push(c);
      if (c.delta < 0) consumes.push(c);
    }
    changeStart[j + 1] = changes.length;
    consumeStart[j + 1] = consumes.length;
  });

  const highestOrder = new Float64Array(nS);
  const highestOrderCount = new Float64Array(nS);
  const note = (species: number, order: number, count: number) => {
    if (order > highestOrder[species]) {
      highestOrder[species] = order;
      highestOrderCount[species] = count;
    } else if (order === highestOrder[species] && count > highestOrderCount[species]) {
      highestOrderCount[species] = count;
    }
  };
  for (const r of reactions) {
    for (const { species, count } of r.reactants) note(species, r.order, count);
    // A custom propensity may read species it does not consume; its order is
    // unknown, so such a species counts as a first-order reactant of it.
    if (r.propensity) for (const s of r.reads) note(s, 1, 1);
  }
  const reactantSpecies = Int32Array.from(highestOrder.reduce<number[]>((list, order, s) => (order > 0 ? [...list, s] : list), []));

  return {
    species: nS,
    reactions: reactions.length,
    changeStart,
    changeSpecies: Int32Array.from(changes, (c) => c.species),
    changeDelta: Float64Array.from(changes, (c) => c.delta),
    consumeStart,
    consumeSpecies: Int32Array.from(consumes, (c) => c.species),
    consumeAmount: Float64Array.from(consumes, (c) => -c.delta),
    reactantSpecies,
    highestOrder,
    highestOrderCount,
  };
}
