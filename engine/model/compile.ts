import type { ExprNode } from './expression/index.js';
import { identifiersOf, parseExpression } from './expression/index.js';
import type { ReactionNetwork, TimeSpan } from './schema.js';

/** A reaction resolved to indices, ready for code generation. */
export interface CompiledReaction {
  readonly id: string;
  /** Reactant species indices and their stoichiometries (mass action uses them). */
  readonly reactants: ReadonlyArray<{ species: number; count: number }>;
  /** Net change of each species the reaction alters (delta never 0). */
  readonly changes: ReadonlyArray<{ species: number; delta: number }>;
  /** Mass action: constant expression over parameters and vol. */
  readonly rate: ExprNode | null;
  /** Custom propensity over species, parameters and vol. */
  readonly propensity: ExprNode | null;
  /** Species whose counts the propensity reads, ascending. */
  readonly reads: readonly number[];
  /** Reaction order (sum of reactant stoichiometries); used for volume scaling of mass action. */
  readonly order: number;
}

/** A validated network with names resolved to indices and the reaction dependency graph. */
export interface CompiledNetwork {
  readonly name: string;
  readonly speciesIds: readonly string[];
  readonly parameterIds: readonly string[];
  readonly initialState: Float64Array;
  readonly parameterValues: Float64Array;
  readonly volume: number;
  readonly reactions: readonly CompiledReaction[];
  /**
   * dependents[j]: reactions whose propensity reads a species that reaction j
   * changes, i.e. those to recompute after j fires (Gibson & Bruck 2000,
   * doi:10.1021/jp993732q, the dependency graph).
   */
  readonly dependents: ReadonlyArray<readonly number[]>;
  readonly time: TimeSpan | undefined;
}

/** Resolve a validated network (see validateModel) to indices. */
export function compileNetwork(model: ReactionNetwork): CompiledNetwork {
  const speciesIndex = new Map(model.species.map((s, i) => [s.id, i]));
  const reactions = model.reactions.map((r): CompiledReaction => {
    const reactants = Object.entries(r.reactants).map(([id, count]) => ({ species: speciesIndex.get(id)!, count }));
    const net = new Map<number, number>();
    for (const { species, count } of reactants) net.set(species, (net.get(species) ?? 0) - count);
    for (const [id, count] of Object.entries(r.products)) {
      const s = speciesIndex.get(id)!;
      net.set(s, (net.get(s) ?? 0) + count);
    }
    const changes = [...net].filter(([, d]) => d !== 0).map(([species, delta]) => ({ species, delta })).sort((a, b) => a.species - b.species);
    const order = reactants.reduce((sum, r) => sum + r.count, 0);
    if (r.propensity !== undefined) {
      const propensity = parseExpression(String(r.propensity));
      const reads = [...identifiersOf(propensity).keys()].filter((n) => speciesIndex.has(n)).map((n) => speciesIndex.get(n)!);
      return { id: r.id, reactants, changes, rate: null, propensity, reads: reads.sort((a, b) => a - b), order };
    }
    const rate = parseExpression(String(r.rate));
    return { id: r.id, reactants, changes, rate, propensity: null, reads: reactants.map((x) => x.species).sort((a, b) => a - b), order };
  });
  const readers = model.species.map(() => [] as number[]);
  reactions.forEach((r, j) => r.reads.forEach((s) => readers[s].push(j)));
  const dependents = reactions.map((r) => {
    const set = new Set<number>();
    for (const { species } of r.changes) for (const j of readers[species]) set.add(j);
    return [...set].sort((a, b) => a - b);
  });
  return {
    name: model.name,
    speciesIds: model.species.map((s) => s.id),
    parameterIds: model.parameters.map((p) => p.id),
    initialState: Float64Array.from(model.species, (s) => s.initial),
    parameterValues: Float64Array.from(model.parameters, (p) => p.value),
    volume: model.volume,
    reactions,
    dependents,
    time: model.time,
  };
}
