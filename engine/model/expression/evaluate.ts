/**
 * Tree-walking evaluation of an expression, with exactly the semantics of the
 * code `emitJs` writes (see `semantics.ts`). Used for one-off values such as
 * rate constants, and by tests to check `emitJs`.
 *
 * Every identifier is looked up, in taken branches or not, just as `emitJs`
 * resolves every identifier; `lookup` may throw for unknown names. The walk
 * is iterative (walk.ts), so any depth of tree evaluates.
 */
import type { BinaryNode, ExprNode } from './ast.js';
import { functionSpec } from './functions.js';
import { fromBoolean, isTrue, power, repeatedFactors } from './semantics.js';
import { foldExpression } from './walk.js';

export type IdentifierLookup = (name: string, pos: number) => number;

export function evaluateExpression(node: ExprNode, lookup: IdentifierLookup): number {
  return foldExpression<number>(node, (n, values) => (n.type === 'identifier' ? lookup(n.name, n.pos) : evaluateOperation(n, values)));
}

/** The value of one node other than a name, from the values of its operands (in `childrenOf` order). */
export function evaluateOperation(n: Exclude<ExprNode, { type: 'identifier' }>, values: readonly number[]): number {
  switch (n.type) {
    case 'number':
      return n.value;
    case 'unary': {
      const arg = values[0];
      if (n.op === '-') return -arg;
      if (n.op === '!') return fromBoolean(arg === 0);
      return +arg;
    }
    case 'binary':
      return evaluateBinary(n, values[0], values[1]);
    case 'call':
      return functionSpec(n.fn).evaluate(values);
    case 'conditional':
      return isTrue(values[0]) ? values[1] : values[2];
  }
}

function evaluateBinary(node: BinaryNode, a: number, b: number): number {
  switch (node.op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '^':
      return power(a, b, repeatedFactors(node));
    case '<':
      return fromBoolean(a < b);
    case '<=':
      return fromBoolean(a <= b);
    case '>':
      return fromBoolean(a > b);
    case '>=':
      return fromBoolean(a >= b);
    case '==':
      return fromBoolean(a === b);
    case '!=':
      return fromBoolean(a !== b);
    case '&&':
      return fromBoolean(isTrue(a) && isTrue(b));
    case '||':
      return fromBoolean(isTrue(a) || isTrue(b));
  }
}
