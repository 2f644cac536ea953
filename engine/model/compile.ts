import type { ExprNode } from './expression/index.js';
import { identifiersOf, parseExpression } from './expression/index.js';
import { assertCountModel } from './countModel.js';
import { timeTrigger } from './timeTrigger.js';
import type { ReactionNetwork, TimeSpan } from './schema.js';

/**
 * A model variable by index: species 0..nS-1 and parameters share one
 * numbering in `variables`, species first, so rules and events can target
 * either.
 */
export type VariableRef = { kind: 'species'; index: number } | { kind: 'parameter'; index: number };

/** A reaction resolved to indices, ready for code generation. */
export interface CompiledReaction {
  readonly id: string;
  /** Reactant species indices and their stoichiometries (mass action uses them). */
  readonly reactants: ReadonlyArray<{ species: number; count: number }>;
  /** Net change of each non-boundary species the reaction alters (delta never 0). */
  readonly changes: ReadonlyArray<{ species: number; delta: number }>;
  /** Mass action: constant expression over parameters and vol. */
  readonly rate: ExprNode | null;
  /** Custom propensity over species, parameters and vol. */
  readonly propensity: ExprNode | null;
  /** Species whose counts the propensity reads, directly or through rules, ascending. */
  readonly reads: readonly number[];
  /** Parameters the propensity or rate reads directly or through rules (rule-assigned parameters change at run time). */
  readonly readsParameters: readonly number[];
  /** Reaction order (sum of reactant stoichiometries); used for volume scaling of mass action. */
  readonly order: number;
}

/** An assignment rule, in an order where every rule comes after the rules it reads. */
export interface CompiledRule {
  readonly variable: VariableRef;
  readonly expression: ExprNode;
  /** Species read directly or through earlier rules. */
  readonly reads: readonly number[];
}

export interface CompiledEvent {
  readonly id: string;
  readonly trigger: ExprNode;
  /** For a trigger on time alone (`t >= T` or `t > T`): T, an expression over parameters, and whether it is strict. */
  readonly time: { at: ExprNode; strict: boolean } | null;
  readonly assignments: ReadonlyArray<{ variable: VariableRef; expression: ExprNode }>;
  readonly initialValue: boolean;
  /** Species the trigger reads, directly or through rules. */
  readonly reads: readonly number[];
}

/** A validated network with names resolved to indices and the reaction dependency graph. */
export interface CompiledNetwork {
  readonly name: string;
  readonly speciesIds: readonly string[];
  readonly parameterIds: readonly string[];
  /** Numeric initial counts; species with an initial expression hold 0 here. */
  readonly initialState: Float64Array;
  /** Per species: an initial expression over parameters (SBML initial assignment), or null. */
  readonly initialExpressions: ReadonlyArray<ExprNode | null>;
  readonly parameterValues: Float64Array;
  readonly volume: number;
  readonly reactions: readonly CompiledReaction[];
  readonly rules: readonly CompiledRule[];
  readonly events: readonly CompiledEvent[];
  /**
   * dependents[j]: reactions whose propensity reads a species that reaction j
   * changes, directly or through a rule, i.e. those to recompute after j
   * fires (Gibson & Bruck 2000, doi:10.1021/jp993732q, the dependency graph).
   */
  readonly dependents: ReadonlyArray<readonly number[]>;
  /** rulesAfter[j]: rules to re-evaluate after reaction j fires, in evaluation order. */
  readonly rulesAfter: ReadonlyArray<readonly number[]>;
  /** eventsAfter[j]: state-triggered events whose trigger reaction j can change. */
  readonly eventsAfter: ReadonlyArray<readonly number[]>;
  readonly time: TimeSpan | undefined;
}

/** True when the network needs more than plain reactions (rules, events, initial expressions). */
export function hasDiscreteDynamics(network: CompiledNetwork): boolean {
  return network.rules.length > 0 || network.events.length > 0 || network.initialExpressions.some((e) => e !== null);
}

/**
 * Resolve a validated count model (see validateModel) to indices. A model
 * beyond counts (countModel.ts) is refused with every reason (ModelNotCountsError);
 * `method` names the simulator in that message.
 */
export function compileNetwork(model: ReactionNetwork, method = 'ssa'): CompiledNetwork {
  assertCountModel(model, method);
  // After assertCountModel: every rule is an assignment rule with a variable, every coefficient a whole number.
  const count = (n: number | string): number => n as number;
  const speciesIndex = new Map(model.species.map((s, i) => [s.id, i]));
  const parameterIndex = new Map(model.parameters.map((p, i) => [p.id, i]));
  const boundary = model.species.map((s) => s.boundary === true);
  const variable = (id: string): VariableRef =>
    speciesIndex.has(id) ? { kind: 'species', index: speciesIndex.get(id)! } : { kind: 'parameter', index: parameterIndex.get(id)! };
  const parse = (text: string | number) => parseExpression(String(text));

  // Rules: order so each comes after the rules whose variables it reads (validateModel rejects cycles).
  const ruleAsts = model.rules.map((r) => ({ id: r.variable!, ast: parse(r.expression) }));
  const ruleOf = new Map(ruleAsts.map((r, i) => [r.id, i]));
  const ruleNames = ruleAsts.map((r) => [...identifiersOf(r.ast).keys()]);
  const ruleReads = ruleNames.map((names) => names.filter((name) => ruleOf.has(name)).map((name) => ruleOf.get(name)!));
  const ordered = dependencyOrder(ruleReads, (i) => ruleAsts[i].id);

  // Species an expression reads, directly or through rules (transitively), and parameters likewise. Iterative: a
  // chain of rules may be any length. Each rule's species are computed once, in evaluation order (a rule's
  // dependencies come first); they are part of the result (CompiledRule.reads). Parameters are only needed per
  // reaction, so they are collected by a walk over the rules the expression reaches, not stored per rule.
  const speciesThroughRule: Set<number>[] = [];
  const readsOf = (ast: ExprNode, withParameters: boolean): { species: Set<number>; parameters: Set<number> } => {
    const species = new Set<number>();
    const parameters = new Set<number>();
    const names = [...identifiersOf(ast).keys()];
    for (const name of names) {
      if (speciesIndex.has(name)) species.add(speciesIndex.get(name)!);
      const rule = ruleOf.get(name);
      if (rule !== undefined) speciesThroughRule[rule].forEach((s) => species.add(s));
    }
    if (!withParameters) return { species, parameters };
    const seen = new Set<number>();
    for (let pending = names; pending.length > 0; ) {
      const next: string[] = [];
      for (const name of pending) {
        if (parameterIndex.has(name)) parameters.add(parameterIndex.get(name)!);
        const rule = ruleOf.get(name);
        if (rule !== undefined && !seen.has(rule)) {
          seen.add(rule);
          for (const inner of ruleNames[rule]) next.push(inner);
        }
      }
      pending = next;
    }
    return { species, parameters };
  };
  for (const i of ordered) speciesThroughRule[i] = readsOf(ruleAsts[i].ast, false).species;
  const sorted = (set: Set<number>) => [...set].sort((a, b) => a - b);

  const rules: CompiledRule[] = ordered.map((i) => ({
    variable: variable(ruleAsts[i].id),
    expression: ruleAsts[i].ast,
    reads: sorted(speciesThroughRule[i]),
  }));

  const reactions = model.reactions.map((r): CompiledReaction => {
    const reactants = Object.entries(r.reactants).map(([id, n]) => ({ species: speciesIndex.get(id)!, count: count(n) }));
    const net = new Map<number, number>();
    for (const { species, count } of reactants) net.set(species, (net.get(species) ?? 0) - count);
    for (const [id, n] of Object.entries(r.products)) {
      const s = speciesIndex.get(id)!;
      net.set(s, (net.get(s) ?? 0) + count(n));
    }
    const changes = [...net]
      .filter(([s, d]) => d !== 0 && !boundary[s])
      .map(([species, delta]) => ({ species, delta }))
      .sort((a, b) => a.species - b.species);
    const order = reactants.reduce((sum, x) => sum + x.count, 0);
    if (r.propensity !== undefined) {
      const propensity = parse(r.propensity);
      const reads = readsOf(propensity, true);
      return { id: r.id, reactants, changes, rate: null, propensity, reads: sorted(reads.species), readsParameters: sorted(reads.parameters), order };
    }
    const rate = parse(r.rate!);
    const reads = readsOf(rate, true);
    reactants.forEach((x) => reads.species.add(x.species));
    return { id: r.id, reactants, changes, rate, propensity: null, reads: sorted(reads.species), readsParameters: sorted(reads.parameters), order };
  });

  const events = model.events.map((e): CompiledEvent => {
    const trigger = parse(e.trigger);
    return {
      id: e.id,
      trigger,
      time: timeTrigger(trigger),
      assignments: Object.entries(e.assignments).map(([id, text]) => ({ variable: variable(id), expression: parse(text) })),
      initialValue: e.initialValue,
      reads: sorted(readsOf(trigger, false).species),
    };
  });

  const readers = model.species.map(() => [] as number[]);
  reactions.forEach((r, j) => r.reads.forEach((s) => readers[s].push(j)));
  const changedBy = (j: number) => new Set(reactions[j].changes.map((c) => c.species));
  const dependents = reactions.map((_, j) => {
    const set = new Set<number>();
    for (const s of changedBy(j)) for (const k of readers[s]) set.add(k);
    return sorted(set);
  });
  const touches = (reads: readonly number[], changed: Set<number>) => reads.some((s) => changed.has(s));
  const rulesAfter = reactions.map((_, j) => rules.flatMap((rule, i) => (touches(rule.reads, changedBy(j)) ? [i] : [])));
  const eventsAfter = reactions.map((_, j) => events.flatMap((event, k) => (event.time === null && touches(event.reads, changedBy(j)) ? [k] : [])));

  return {
    name: model.name,
    speciesIds: model.species.map((s) => s.id),
    parameterIds: model.parameters.map((p) => p.id),
    initialState: Float64Array.from(model.species, (s) => (typeof s.initial === 'number' ? s.initial : 0)),
    initialExpressions: model.species.map((s) => (typeof s.initial === 'string' ? parse(s.initial) : null)),
    parameterValues: Float64Array.from(model.parameters, (p) => p.value),
    volume: model.volume,
    reactions,
    rules,
    events,
    dependents,
    rulesAfter,
    eventsAfter,
    time: model.time,
  };
}

/**
 * Depth-first post-order of a dependency graph (reads[i]: the nodes i reads),
 * roots in index order: the order the recursive version gave, computed with
 * an explicit stack so a long chain of rules cannot overflow the call stack.
 */
function dependencyOrder(reads: ReadonlyArray<readonly number[]>, name: (i: number) => string): number[] {
  const ordered: number[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  for (let root = 0; root < reads.length; root++) {
    if (state.has(root)) continue;
    const stack = [{ node: root, next: 0 }];
    state.set(root, 'visiting');
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < reads[top.node].length) {
        const read = reads[top.node][top.next++];
        if (state.get(read) === 'visiting') throw new Error(`cyclic assignment rules through ${name(read)}`);
        if (state.get(read) === undefined) {
          state.set(read, 'visiting');
          stack.push({ node: read, next: 0 });
        }
        continue;
      }
      state.set(top.node, 'done');
      ordered.push(top.node);
      stack.pop();
    }
  }
  return ordered;
}

export { timeTrigger } from './timeTrigger.js';
