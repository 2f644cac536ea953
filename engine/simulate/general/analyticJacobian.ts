import { childrenOf, differentiate, emitJs, identifiersOf, MAX_NESTING, NotDifferentiableError, type ExprNode } from '../../model/expression/index.js';
import { emitNumber, findNestedDeeperThan } from '../../model/expression/emitJs.js';
import type { DerivativeGraph } from './derivativeGraph.js';

/** ∂(dy/dt)/∂y at the point whose values v are refreshed (GeneratedModel.refresh), row-major: jac[s·n + j]. */
export type JacobianFunction = (t: number, v: Float64Array, jac: Float64Array) => void;

/** How the stiff integrator gets ∂f/∂y and ∂f/∂t for a model. */
export interface JacobianPlan {
  /** No expression the derivative reaches reads the time (nor delay() or rateOf()): ∂f/∂t = 0. */
  readonly autonomous: boolean;
  /** The generated Jacobian, or null: finite differences. */
  readonly jacobian: JacobianFunction | null;
  /** Why there is no generated Jacobian (null when there is one). */
  readonly fallback: string | null;
  /** The generated function body (for tests and debugging). */
  readonly source: string | null;
}

/**
 * Expanded tree nodes the generated code may hold (rate laws and partial
 * derivatives; a subtree the derivative shares is counted each time it is
 * written out), and node visits differentiation may spend. Beyond either the
 * model falls back to finite differences: derivatives of nested abs() or
 * min() grow exponentially, and a Jacobian that large would cost more to
 * generate and run than it saves (V8 takes ~1 s to optimise a generated
 * function of ~1,000 lines; until then it is interpreted). 200,000 nodes is
 * some megabytes of code, far beyond the models the dense n×n Jacobian of
 * the Rosenbrock method is meant for.
 */
const MAX_EMITTED_NODES = 200_000;
const MAX_DIFFERENTIATION_WORK = 5_000_000;
/**
 * Bracket depth of one emitted partial derivative: twice what the parser
 * allows model text (MAX_NESTING), well below the 1,000–3,000 levels where
 * V8's parser gives up (see emitJs.ts NESTED_CHAIN_LIMIT).
 */
const MAX_EMITTED_NESTING = 2 * MAX_NESTING;

/** Raised inside the writer when the model is not worth (or not possible) to differentiate; becomes `fallback`. */
class JacobianFallback extends Error {}

/**
 * The analytic Jacobian of a general model's right-hand side, generated
 * once per model. Method: the chain rule in forward mode over the
 * definitions the simulator evaluates (derivativeGraph.ts), in dependency
 * order. Every node k (assigned symbol, amount read as a concentration,
 * reaction rate) gets a sparse gradient G_k = ∂v_k/∂y = Σ_m (∂e_k/∂v_m) G_m
 * over the names m its expression e_k reads, each partial ∂e_k/∂v_m by
 * symbolic differentiation of the tree (model/expression/differentiate.ts),
 * emitted as JavaScript over the refreshed values v. A state symbol's
 * gradient is the unit vector of its slot (over its compartment's size for
 * an amount read as a concentration, minus v/size times the size's gradient
 * when the size depends on y); the rows of J are the gradients of the dy
 * trees. Gradient entries (and partials that multiply several) are locals,
 * so a chain of assignment rules costs code in proportion to its length
 * instead of being substituted into ever larger trees.
 *
 * Falls back to finite differences (jacobian null, `fallback` says why) when
 * the derivative reads delay() or rateOf() (they depend on the trajectory,
 * not only on y), an algebraic unknown (it depends on y only implicitly,
 * through a Newton solve), or when the code would be too large or too deeply
 * nested (the limits above), or would not compile.
 */
export function planJacobian(graph: DerivativeGraph, volume: number): JacobianPlan {
  const reach = graph.reach();
  const autonomous = graph.autonomous;
  const fallback = (reason: string): JacobianPlan => ({ autonomous, jacobian: null, fallback: reason, source: null });
  if (reach.trajectoryCall !== null) return fallback(`the derivative reads ${reach.trajectoryCall}(), which depends on the trajectory`);
  if (reach.algebraic !== null) return fallback(`the derivative reads ${reach.algebraic}, an algebraic rule's unknown`);
  let source: string;
  try {
    source = new JacobianWriter(graph, volume).write(reach.order);
  } catch (error) {
    if (error instanceof JacobianFallback) return fallback(error.message);
    if (error instanceof NotDifferentiableError) return fallback(error.message);
    throw error;
  }
  try {
    // Generated from parsed trees: identifiers map to array slots and locals, numbers are re-printed; no user text is evaluated.
    const jacobian = new Function('t', 'v', 'jac', source) as JacobianFunction;
    return { autonomous, jacobian, fallback: null, source };
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof RangeError) return fallback(`the generated Jacobian does not compile (${error.message})`);
    throw error;
  }
}

/** A sparse gradient: state slot → a JavaScript operand (a local, a number, `v[i]`). */
type Gradient = ReadonlyMap<number, string>;
const EMPTY: Gradient = new Map();
/** A partial derivative (JavaScript) and the gradient it multiplies. */
type Term = readonly [string, Gradient];
/** Code that is cheap to repeat: a local, a value, the time, a number as emitNumber prints it. */
const SIMPLE_OPERAND = /^(?:[ga]\d+|v\[\d+\]|t|\d+(?:\.\d+)?|\((?:-?\d+(?:\.\d+)?(?:e[-+]?\d+)?|0\/0|-?1\/0|-0)\))$/;

class JacobianWriter {
  private readonly lines: string[] = [];
  private readonly gradients = new Map<number, Gradient>();
  private readonly rateLocals = new Set<number>();
  private readonly inverses = new Map<number, string>();
  private locals = 0;
  private emitted = 0;
  private work = 0;

  constructor(
    private readonly graph: DerivativeGraph,
    private readonly volume: number,
  ) {}

  /** The function body: zero jac, rate locals, partials and gradients, then the nonzero entries. */
  write(order: readonly number[]): string {
    for (const k of order) this.gradients.set(k, this.gradientOfNode(k));
    const n = this.graph.rows.length;
    const writes: string[] = [];
    this.graph.rows.forEach((terms, s) => {
      for (const [j, list] of this.products(this.chain(terms))) writes.push(`jac[${s * n + j}]=${list.join('+')};`);
    });
    const rates = [...this.rateLocals].sort((a, b) => a - b).map((r) => `const a${r}=${this.emit(this.graph.rates[r])};`);
    return ['"use strict";', 'jac.fill(0);', ...rates, ...this.lines, ...writes].join('\n');
  }

  private gradientOfNode(k: number): Gradient {
    const { symbols } = this.graph.symbols;
    if (k >= symbols.length) return this.gradient(this.chain([this.graph.rates[k - symbols.length]]));
    const s = symbols[k];
    switch (s.role) {
      case 'assigned':
        return this.gradient(this.chain([this.graph.assigned.get(k)!]));
      case 'rate':
        return new Map([[s.slot, '1']]);
      case 'reaction':
      case 'fixed': {
        if (!s.holdsAmount) return s.role === 'reaction' ? new Map([[s.slot, '1']]) : EMPTY;
        // v = amount / size: ∂v/∂amount = 1/size, ∂v/∂size = −v/size.
        const inverse = this.inverseSize(s.compartment);
        const terms: Term[] = [];
        if (s.role === 'reaction') terms.push([inverse, new Map([[s.slot, '1']])]);
        const sizeGradient = s.compartment >= 0 ? this.gradients.get(s.compartment)! : EMPTY;
        if (sizeGradient.size > 0) terms.push([this.coefficient(`(-v[${k}]*${inverse})`, sizeGradient), sizeGradient]);
        return this.gradient(terms);
      }
      case 'algebraic':
        throw new JacobianFallback(`the derivative reads ${s.id}, an algebraic rule's unknown`);
    }
  }

  /** The terms of the gradient of a sum of trees: for each summand and each name m it reads, (∂summand/∂v_m, G_m). */
  private chain(trees: readonly ExprNode[]): Term[] {
    const terms: Term[] = [];
    for (const tree of trees.flatMap(summands)) {
      for (const name of identifiersOf(tree).keys()) {
        const k = this.graph.nodeOf(name);
        if (k === null || k === 'time') continue;
        const gradient = this.gradients.get(k)!;
        if (gradient.size === 0) continue;
        this.work += nodeCount(tree, MAX_DIFFERENTIATION_WORK);
        if (this.work > MAX_DIFFERENTIATION_WORK)
          throw new JacobianFallback(`differentiating its expressions would take more than ${MAX_DIFFERENTIATION_WORK} node visits`);
        const partial = differentiate(tree, name);
        if (partial.type === 'number' && partial.value === 0) continue;
        terms.push([this.coefficient(this.emit(partial), gradient), gradient]);
      }
    }
    return terms;
  }

  /** A partial as a factor: inline when it multiplies one entry only, else computed once into a local. */
  private coefficient(js: string, gradient: Gradient): string {
    return gradient.size === 1 || SIMPLE_OPERAND.test(js) ? js : this.local(js);
  }

  /** 1/size of a compartment (−1: the model volume), one local per compartment. */
  private inverseSize(compartment: number): string {
    let name = this.inverses.get(compartment);
    if (name === undefined) {
      name = this.local(`1/${compartment >= 0 ? `v[${compartment}]` : emitNumber(this.volume)}`);
      this.inverses.set(compartment, name);
    }
    return name;
  }

  /** Σ coefficient · gradient, entry by entry, as lists of products. */
  private products(terms: readonly Term[]): Map<number, string[]> {
    const products = new Map<number, string[]>();
    for (const [coefficient, gradient] of terms) {
      for (const [j, g] of gradient) {
        const product = coefficient === '1' ? g : g === '1' ? coefficient : `${coefficient}*${g}`;
        const list = products.get(j);
        if (list) list.push(product);
        else products.set(j, [product]);
        this.charge(1);
      }
    }
    return products;
  }

  /** A node's gradient: an entry that is one plain operand is used as it is, others become locals (later nodes may read them often). */
  private gradient(terms: readonly Term[]): Gradient {
    const out = new Map<number, string>();
    for (const [j, list] of this.products(terms)) out.set(j, list.length === 1 && SIMPLE_OPERAND.test(list[0]) ? list[0] : this.local(list.join('+')));
    return out;
  }

  private local(js: string): string {
    const name = `g${this.locals++}`;
    this.lines.push(`const ${name}=${js};`);
    return name;
  }

  private emit(tree: ExprNode): string {
    this.charge(nodeCount(tree, MAX_EMITTED_NODES));
    if (findNestedDeeperThan(tree, MAX_EMITTED_NESTING) !== null)
      throw new JacobianFallback(`a partial derivative nests deeper than ${MAX_EMITTED_NESTING} levels`);
    return emitJs(tree, (name) => {
      if (name === 't' || name === 'time') return 't';
      if (name === 'vol') return emitNumber(this.volume);
      const k = this.graph.nodeOf(name);
      const S = this.graph.symbols.symbols.length;
      if (typeof k !== 'number') throw new JacobianFallback(`it reads ${name}, which is no species, parameter, compartment or reaction rate`);
      if (k < S) return `v[${k}]`;
      this.rateLocals.add(k - S);
      return `a${k - S}`;
    });
  }

  private charge(nodes: number): void {
    this.emitted += nodes;
    if (this.emitted > MAX_EMITTED_NODES) throw new JacobianFallback(`its Jacobian would be more than ${MAX_EMITTED_NODES} expression nodes of code`);
  }
}

/** The top-level summands of a tree (a − b gives a and −b), so that each is differentiated only by the names it reads. */
function summands(tree: ExprNode): ExprNode[] {
  const out: ExprNode[] = [];
  const pending: Array<{ node: ExprNode; negate: boolean }> = [{ node: tree, negate: false }];
  while (pending.length > 0) {
    const { node, negate } = pending.pop()!;
    if (node.type === 'binary' && (node.op === '+' || node.op === '-')) {
      pending.push({ node: node.right, negate: node.op === '-' ? !negate : negate }, { node: node.left, negate });
    } else out.push(negate ? { type: 'unary', op: '-', arg: node, pos: node.pos } : node);
  }
  return out;
}

/** Nodes of the tree written out (shared subtrees counted each time), counting stops just past `cap`. */
function nodeCount(root: ExprNode, cap: number): number {
  let count = 0;
  const stack = [root];
  while (stack.length > 0 && count <= cap) {
    count++;
    stack.push(...childrenOf(stack.pop()!));
  }
  return count;
}
