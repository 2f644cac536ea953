import { dependencyOrder } from './dependencyOrder.js';
import { forEachNode, parseExpression, type ExprNode } from '../../model/expression/index.js';
import type { ReactionNetwork } from '../../model/schema.js';
import type { ModelSymbols } from './modelSymbols.js';

/**
 * The right-hand side of a general model as expression trees over named
 * values, the input of its symbolic Jacobian (analyticJacobian.ts). The
 * trees mean what generatedModel.ts computes:
 * - a rate-rule slot: the rule's expression;
 * - a reaction slot (an amount): Σ_r net_r · a_r · f, with net_r the net
 *   stoichiometry (numbers or expressions), a_r the reaction's rate (named
 *   `#a<r>`, a name no model id can take) and f the conversion factor, one
 *   term per reaction;
 * - a_r: the kinetic law, or the legacy mass action k · vol^(1 − order) · Π x^n;
 * - an assigned symbol: its assignment rule.
 * Nodes of the graph: symbols by index (0..S−1), then reaction rates (S + r).
 */
export class DerivativeGraph {
  /** dy_s/dt by slot, as a sum of terms. */
  readonly rows: ReadonlyArray<readonly ExprNode[]>;
  /** Reaction r's rate law. */
  readonly rates: readonly ExprNode[];
  /** Assignment rule by symbol index. */
  readonly assigned: ReadonlyMap<number, ExprNode>;
  private readonly algebraicTrees: readonly ExprNode[];
  private reached: DerivativeReach | null = null;

  constructor(
    private readonly model: ReactionNetwork,
    readonly symbols: ModelSymbols,
  ) {
    const { symbols: syms, index, stateSymbols } = symbols;
    const parse = (x: string | number): ExprNode => parseExpression(String(x));
    const assigned = new Map<number, ExprNode>();
    const rateRules = new Map<number, ExprNode>();
    for (const r of model.rules) {
      if (r.variable === undefined || !index.has(r.variable)) continue;
      if (r.type === 'assignment') assigned.set(index.get(r.variable)!, parse(r.expression));
      if (r.type === 'rate') rateRules.set(index.get(r.variable)!, parse(r.expression));
    }
    this.assigned = assigned;
    this.algebraicTrees = symbols.algebraicRules.map((k) => parse(model.rules[k].expression));
    this.rates = model.reactions.map((r) => rateLaw(r, model.volume));
    const speciesById = new Map(model.species.map((s) => [s.id, s]));
    this.rows = stateSymbols.map((i) => {
      const s = syms[i];
      if (s.role === 'rate') return [rateRules.get(i)!];
      const species = speciesById.get(s.id)!;
      const factor = species.conversionFactor ?? model.conversionFactor;
      const terms: ExprNode[] = [];
      model.reactions.forEach((r, j) => {
        let net: ExprNode | null = null;
        const reactant = r.reactants[s.id];
        const product = r.products[s.id];
        if (reactant !== undefined) net = neg(coefficient(reactant));
        if (product !== undefined) net = net === null ? coefficient(product) : binary('+', net, coefficient(product));
        if (net === null) return;
        let term = binary('*', net, identifier(rateName(j)));
        if (factor !== undefined && index.has(factor)) term = binary('*', term, identifier(factor));
        terms.push(term);
      });
      return terms;
    });
  }

  /** The node a name in a tree stands for (symbol index, S + r for a reaction rate), 'time', or null for a constant (`vol`). */
  nodeOf(name: string): number | 'time' | null {
    if (name === 't' || name === 'time') return 'time';
    if (name === 'vol') return null;
    if (name.startsWith('#a')) return this.symbols.symbols.length + Number(name.slice(2));
    const i = this.symbols.index.get(name);
    return i === undefined ? null : i;
  }

  /** The trees whose names node k reads (compartments of amounts held as concentration come in `compartmentOf`). */
  private treesOf(k: number): readonly ExprNode[] {
    const S = this.symbols.symbols.length;
    if (k >= S) return [this.rates[k - S]];
    const s = this.symbols.symbols[k];
    if (s.role === 'assigned') return [this.assigned.get(k)!];
    // An algebraic unknown depends on whatever its rules read (for the time dependence only).
    if (s.role === 'algebraic') return this.algebraicTrees;
    return [];
  }

  /** What the derivative reaches (computed once). */
  reach(): DerivativeReach {
    return (this.reached ??= this.walk());
  }

  /** No expression the derivative reaches reads the time, delay() or rateOf() (which read the past): ∂f/∂t = 0. */
  get autonomous(): boolean {
    const { usesTime, trajectoryCall } = this.reach();
    return !usesTime && trajectoryCall === null;
  }

  private walk(): DerivativeReach {
    const syms = this.symbols.symbols;
    const deps = new Map<number, number[]>();
    let usesTime = false;
    let trajectoryCall: string | null = null;
    let algebraic: string | null = null;
    const namesIn = (trees: readonly ExprNode[]): number[] => {
      const out: number[] = [];
      for (const tree of trees) {
        forEachNode(tree, (n) => {
          if (n.type === 'call' && (n.fn === 'delay' || n.fn === 'rateOf')) trajectoryCall ??= n.fn;
          if (n.type !== 'identifier') return;
          const k = this.nodeOf(n.name);
          if (k === 'time') usesTime = true;
          else if (k !== null) out.push(k);
        });
      }
      return out;
    };
    const pending = namesIn(this.rows.flat());
    while (pending.length > 0) {
      const k = pending.pop()!;
      if (deps.has(k)) continue;
      const read = namesIn(this.treesOf(k));
      if (k < syms.length) {
        const s = syms[k];
        if (s.holdsAmount && s.compartment >= 0) read.push(s.compartment);
        if (s.role === 'algebraic') algebraic ??= s.id;
      }
      deps.set(k, read);
      pending.push(...read);
    }
    // Dense renumbering for dependencyOrder; the graph has no cycles among assignment rules (compilation checked).
    const nodes = [...deps.keys()];
    const position = new Map(nodes.map((k, p) => [k, p]));
    const graph = nodes.map((k) => (syms[k]?.role === 'algebraic' ? [] : deps.get(k)!.map((d) => position.get(d)!)));
    const order = dependencyOrder(graph, (p) => String(nodes[p]), 'derivative terms').map((p) => nodes[p]);
    return { order, usesTime, trajectoryCall, algebraic };
  }
}

/**
 * What the derivative reaches: the nodes in dependency order, whether any
 * tree reads the time, the first delay() or rateOf() met, and the first
 * algebraic unknown met (its value depends on y only implicitly).
 */
export interface DerivativeReach {
  readonly order: readonly number[];
  readonly usesTime: boolean;
  readonly trajectoryCall: string | null;
  readonly algebraic: string | null;
}

export function rateName(r: number): string {
  return `#a${r}`;
}

/** A reaction's rate as generatedModel.ts's reactionRateJs computes it. */
function rateLaw(r: ReactionNetwork['reactions'][number], volume: number): ExprNode {
  if (r.propensity !== undefined) return parseExpression(String(r.propensity));
  // compileGeneralModel has already refused a reaction with neither (NO_RATE_LAW).
  let tree = parseExpression(String(r.rate));
  const reactants = Object.entries(r.reactants);
  if (reactants.every(([, c]) => typeof c === 'number')) {
    const order = reactants.reduce((sum, [, c]) => sum + (c as number), 0);
    if (order !== 1) tree = binary('*', tree, number(Math.pow(volume, 1 - order)));
  } else {
    const orderTree = reactants.map(([, c]) => coefficient(c)).reduce((a, b) => binary('+', a, b));
    tree = binary('*', tree, call('pow', [number(volume), binary('-', number(1), orderTree)]));
  }
  for (const [id, c] of reactants) {
    const x = identifier(id);
    tree = binary('*', tree, c === 1 ? x : c === 2 ? binary('*', x, x) : call('pow', [x, coefficient(c)]));
  }
  return tree;
}

function coefficient(c: string | number): ExprNode {
  return typeof c === 'number' ? number(c) : parseExpression(c);
}

function number(value: number): ExprNode {
  return { type: 'number', value, pos: 0 };
}

function identifier(name: string): ExprNode {
  return { type: 'identifier', name, pos: 0 };
}

function neg(arg: ExprNode): ExprNode {
  return arg.type === 'number' ? number(-arg.value) : { type: 'unary', op: '-', arg, pos: 0 };
}

function binary(op: '+' | '-' | '*', left: ExprNode, right: ExprNode): ExprNode {
  return { type: 'binary', op, left, right, pos: 0 };
}

function call(fn: 'pow', args: ExprNode[]): ExprNode {
  return { type: 'call', fn, args, pos: 0 };
}
