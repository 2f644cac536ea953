/**
 * Tree-walking evaluation of an expression, with exactly the semantics of the
 * code `emitJs` writes (see `semantics.ts`). Used for one-off values such as
 * rate constants, and by tests to check `emitJs`.
 *
 * Every identifier is looked up, in taken branches or not, just as `emitJs`
 * resolves every identifier; `lookup` may throw for unknown names.
 */
import type { BinaryNode, ExprNode } from './ast';
import { functionSpec } from './functions';
import { fromBoolean, isTrue, power, repeatedFactors } from './semantics';

export type IdentifierLookup = (name: string, pos: number) => number;

export function evaluateExpression(node: ExprNode, lookup: IdentifierLookup): number {
  const evaluate = (n: ExprNode): number => {
    switch (n.type) {
      case 'number':
        return n.value;
      case 'identifier':
        return lookup(n.name, n.pos);
      case 'unary': {
        const arg = evaluate(n.arg);
        if (n.op === '-') return -arg;
        if (n.op === '!') return fromBoolean(arg === 0);
        return +arg;
      }
      case 'binary':
        return evaluateBinary(n, evaluate(n.left), evaluate(n.right));
      case 'call':
        return functionSpec(n.fn).evaluate(n.args.map(evaluate));
      case 'conditional': {
        const test = evaluate(n.test);
        const then = evaluate(n.then);
        const otherwise = evaluate(n.otherwise);
        return isTrue(test) ? then : otherwise;
      }
    }
  };
  return evaluate(node);
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
