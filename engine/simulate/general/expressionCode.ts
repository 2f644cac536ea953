import { SimulationError } from '../../errors/index.js';
import { emitJs, foldExpression, identifiersOf, parseExpression, type ExprNode } from '../../model/expression/index.js';
import { emitNumber } from '../../model/expression/emitJs.js';

/**
 * Expressions of a general model compiled to JavaScript over one array of
 * values: `v[i]` is symbol i as expressions read it (species per amountOnly,
 * parameters, compartment sizes), `t` the time. `delay(x, tau)` and
 * `rateOf(x)` have no closed form: they are rewritten into calls of the
 * simulator's hooks `H.delay(k, t, tau, v)` (x, the k-th delayed expression, as
 * it was at t - tau) and `H.rateOf(i, t, v)` (the time derivative of symbol i),
 * which the simulator implements from the state history and the derivative.
 */
export interface DelayedExpression {
  /** x, already rewritten (it may itself contain delay or rateOf). */
  readonly x: ExprNode;
  /** Every symbol x names, also inside nested calls: what must be refreshed at the past time to evaluate it. */
  readonly reads: readonly number[];
}

export class ExpressionCompiler {
  readonly delayed: DelayedExpression[] = [];
  /** Symbols whose rateOf some expression reads. */
  readonly rateOfSymbols = new Set<number>();
  private readonly hookCode = new Map<string, string>();

  constructor(
    private readonly index: ReadonlyMap<string, number>,
    private readonly volume: number,
  ) {}

  /** JavaScript for an expression given as model text or a number; `where` names it in errors. */
  js(expression: string | number, where: string): string {
    return this.emit(this.rewrite(parseExpression(String(expression)), where), where);
  }

  /** JavaScript for a parsed tree not yet rewritten. */
  jsOfTree(ast: ExprNode, where: string): string {
    return this.emit(this.rewrite(ast, where), where);
  }

  /** JavaScript for an already parsed (and rewritten) tree. */
  emit(ast: ExprNode, where: string): string {
    return emitJs(ast, (name) => {
      if (name === 't' || name === 'time') return 't';
      if (name === 'vol') return emitNumber(this.volume);
      const i = this.index.get(name);
      if (i !== undefined) return `v[${i}]`;
      const hook = this.hookCode.get(name);
      if (hook !== undefined) return hook;
      throw new SimulationError('UNKNOWN_NAME', `${where}: unknown name ${name}`, { where, name });
    });
  }

  /** Every symbol an expression reads at the current time (not those inside delay() or rateOf(), which read the past or the derivative). */
  symbolsRead(expression: string | number): number[] {
    return foldExpression<number[]>(parseExpression(String(expression)), (n, values) => {
      if (n.type === 'identifier') {
        const i = this.index.get(n.name);
        return i === undefined ? [] : [i];
      }
      // delay() reads the past; rateOf(x) reads the derivative, but x itself must be current first.
      if (n.type === 'call' && n.fn === 'delay') return [];
      if (n.type === 'call' && n.fn === 'rateOf') return values[0];
      return values.flat();
    });
  }

  /** Replace delay() and rateOf() calls by hook identifiers (names no model id can take). */
  private rewrite(ast: ExprNode, where: string): ExprNode {
    return foldExpression<ExprNode>(ast, (n, values) => {
      switch (n.type) {
        case 'number':
        case 'identifier':
          return n;
        case 'unary':
          return { ...n, arg: values[0] };
        case 'binary':
          return { ...n, left: values[0], right: values[1] };
        case 'conditional':
          return { ...n, test: values[0], then: values[1], otherwise: values[2] };
        case 'call': {
          if (n.fn === 'delay') {
            const reads = [...identifiersOf(n.args[0]).keys()].flatMap((id) => (this.index.has(id) ? [this.index.get(id)!] : []));
            const k = this.delayed.push({ x: values[0], reads }) - 1;
            const name = `#delay${k}`;
            this.hookCode.set(name, `H.delay(${k},t,${this.emit(values[1], where)},v)`);
            return { type: 'identifier', name, pos: n.pos };
          }
          if (n.fn === 'rateOf') {
            const arg = values[0];
            const i = arg.type === 'identifier' ? this.index.get(arg.name) : undefined;
            if (i === undefined) {
              throw new SimulationError('RATEOF_UNSUPPORTED', `${where}: rateOf() needs the name of a species, parameter or compartment`, { where });
            }
            this.rateOfSymbols.add(i);
            const name = `#rateOf${i}`;
            this.hookCode.set(name, `H.rateOf(${i},t,v)`);
            return { type: 'identifier', name, pos: n.pos };
          }
          return { ...n, args: values };
        }
      }
    });
  }
}

/** `v[c]`, or the model volume for a species without compartment. */
export function sizeJs(compartment: number, volume: number): string {
  return compartment >= 0 ? `v[${compartment}]` : emitNumber(volume);
}
