import { SimulationError } from '../../errors/index.js';
import { identifiersOf, parseExpression, type ExprNode } from '../../model/expression/index.js';
import type { ReactionNetwork } from '../../model/schema.js';

/**
 * What determines each named quantity of a general model (SBML semantics):
 * - `assigned`: an assignment rule, evaluated whenever values are read;
 * - `rate`: a rate rule, integrated (for a concentration species the state is its concentration);
 * - `reaction`: a species changed by reactions, integrated as an amount;
 * - `algebraic`: fixed by an algebraic rule, solved by Newton iteration at each evaluation;
 * - `fixed`: nothing continuous; only events change it (its primary value lives in the discrete store).
 */
export type SymbolRole = 'assigned' | 'rate' | 'reaction' | 'algebraic' | 'fixed';
export type SymbolKind = 'species' | 'parameter' | 'compartment';

export interface ModelSymbol {
  readonly id: string;
  readonly kind: SymbolKind;
  readonly role: SymbolRole;
  /** Species: symbol index of its compartment, or -1 (the model's `volume`). */
  readonly compartment: number;
  /** A species whose name means its concentration (amountOnly false). */
  readonly concentration: boolean;
  /** Integrated-state slot (rate, reaction), algebraic-unknown slot (algebraic), else -1. */
  readonly slot: number;
  /**
   * The primary value kept for it (state or discrete store) is an amount that expressions read divided by
   * the compartment size: concentration species with role reaction or fixed (so a compartment that
   * changes size leaves the amount alone, SBML).
   */
  readonly holdsAmount: boolean;
  /** Nothing may change it (SBML constant). */
  readonly constant: boolean;
}

export interface ModelSymbols {
  readonly symbols: readonly ModelSymbol[];
  readonly index: ReadonlyMap<string, number>;
  /** Symbol indices of the integrated state, by slot. */
  readonly stateSymbols: readonly number[];
  /** Symbol indices of the algebraic unknowns, by slot. */
  readonly algebraicSymbols: readonly number[];
  /** Indices into model.rules of the algebraic rules, in the order of their residuals. */
  readonly algebraicRules: readonly number[];
}

/** Classify every species, parameter and compartment of a validated model. */
export function analyseSymbols(model: ReactionNetwork): ModelSymbols {
  const entries: Array<{ id: string; kind: SymbolKind; constant: boolean; explicitlyVariable: boolean }> = [
    ...model.species.map((s) => ({ id: s.id, kind: 'species' as const, constant: s.constant === true, explicitlyVariable: s.constant !== true })),
    ...model.parameters.map((p) => ({ id: p.id, kind: 'parameter' as const, constant: p.constant === true, explicitlyVariable: p.constant === false })),
    ...model.compartments.map((c) => ({ id: c.id, kind: 'compartment' as const, constant: c.constant, explicitlyVariable: !c.constant })),
  ];
  const index = new Map(entries.map((e, i) => [e.id, i]));
  const role = new Map<string, SymbolRole>();
  for (const rule of model.rules) {
    if (rule.type === 'algebraic' || rule.variable === undefined) continue;
    role.set(rule.variable, rule.type === 'rate' ? 'rate' : 'assigned');
  }
  for (const reaction of model.reactions) {
    for (const id of [...Object.keys(reaction.reactants), ...Object.keys(reaction.products)]) {
      const species = model.species.find((s) => s.id === id);
      if (!species || species.boundary === true || species.constant === true || role.has(id)) continue;
      role.set(id, 'reaction');
    }
  }
  const algebraicRules = model.rules.flatMap((r, i) => (r.type === 'algebraic' ? [i] : []));
  const unknowns = matchAlgebraicUnknowns(model, algebraicRules, entries, role);
  unknowns.forEach((id) => role.set(id, 'algebraic'));

  const stateSymbols: number[] = [];
  const algebraicSymbols: number[] = [];
  const symbols = entries.map((e, i): ModelSymbol => {
    const r = role.get(e.id) ?? 'fixed';
    const species = e.kind === 'species' ? model.species.find((s) => s.id === e.id)! : undefined;
    const concentration = species !== undefined && species.amountOnly === false;
    let slot = -1;
    if (r === 'rate' || r === 'reaction') slot = stateSymbols.push(i) - 1;
    return {
      id: e.id,
      kind: e.kind,
      role: r,
      compartment: species?.compartment !== undefined ? (index.get(species.compartment) ?? -1) : -1,
      concentration,
      slot,
      holdsAmount: concentration && (r === 'reaction' || r === 'fixed'),
      constant: e.constant,
    };
  });
  // Algebraic unknowns in the order of the rules that determine them.
  for (const id of unknowns) {
    const i = index.get(id)!;
    (symbols[i] as { slot: number }).slot = algebraicSymbols.push(i) - 1;
  }
  return { symbols, index, stateSymbols, algebraicSymbols, algebraicRules };
}

/**
 * The variable each algebraic rule determines: a maximum bipartite matching
 * (Kuhn's augmenting paths) between rules and the variables they read,
 * directly or through assignment rules, that nothing else determines. First
 * among variables declared non-constant, then among those whose constancy is
 * not stated. Returns the variables in rule order; throws naming a rule left
 * without a variable (the system is over-determined, not index 1).
 */
function matchAlgebraicUnknowns(
  model: ReactionNetwork,
  algebraicRules: readonly number[],
  entries: ReadonlyArray<{ id: string; constant: boolean; explicitlyVariable: boolean }>,
  role: ReadonlyMap<string, SymbolRole>,
): string[] {
  if (algebraicRules.length === 0) return [];
  const byId = new Map(entries.map((e) => [e.id, e]));
  const assignedExpression = new Map<string, ExprNode>();
  for (const r of model.rules) if (r.type === 'assignment' && r.variable) assignedExpression.set(r.variable, parseExpression(String(r.expression)));
  const reads = (ast: ExprNode): Set<string> => {
    const out = new Set<string>();
    const seen = new Set<string>();
    const pending = [...identifiersOf(ast).keys()];
    while (pending.length > 0) {
      const name = pending.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const inner = assignedExpression.get(name);
      if (inner) pending.push(...identifiersOf(inner).keys());
      else if (byId.has(name)) out.add(name);
    }
    return out;
  };
  const ruleReads = algebraicRules.map((i) => [...reads(parseExpression(String(model.rules[i].expression)))]);
  for (const strict of [true, false]) {
    const candidates = ruleReads.map((names) =>
      names.filter((id) => !role.has(id) && !byId.get(id)!.constant && (!strict || byId.get(id)!.explicitlyVariable)),
    );
    const owner = new Map<string, number>();
    const tryRule = (r: number, visited: Set<string>): boolean => {
      for (const id of candidates[r]) {
        if (visited.has(id)) continue;
        visited.add(id);
        const current = owner.get(id);
        if (current === undefined || tryRule(current, visited)) {
          owner.set(id, r);
          return true;
        }
      }
      return false;
    };
    const unmatched = candidates.map((_, r) => r).filter((r) => !tryRule(r, new Set()));
    if (unmatched.length === 0) {
      const out: string[] = new Array(algebraicRules.length);
      for (const [id, r] of owner) out[r] = id;
      return out;
    }
    if (!strict) {
      const r = unmatched[0];
      throw new SimulationError(
        'ALGEBRAIC_RULE_UNDETERMINED',
        `algebraic rule ${algebraicRules[r] + 1} (0 = ${model.rules[algebraicRules[r]].expression}) determines no variable: every variable it reads is constant, set by another rule or by reactions, or already determined by another algebraic rule (the system is not index 1)`,
        { rule: algebraicRules[r] },
      );
    }
  }
  return [];
}
