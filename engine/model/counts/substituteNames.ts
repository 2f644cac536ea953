/**
 * Expression-tree surgery for the count conversion: replace names by
 * sub-expressions (a species' amount by count / F), and build products.
 * Iterative (foldExpression), like every walk of the expression module.
 */
import { foldExpression, type ExprNode } from '../expression/index.js';

/** `node` with every identifier that `replace` maps to a tree replaced by that tree; untouched subtrees are shared. */
export function substituteNames(node: ExprNode, replace: (name: string) => ExprNode | undefined): ExprNode {
  return foldExpression<ExprNode>(node, (n, children) => {
    switch (n.type) {
      case 'number':
        return n;
      case 'identifier':
        return replace(n.name) ?? n;
      case 'unary':
        return children[0] === n.arg ? n : { ...n, arg: children[0] };
      case 'binary':
        return children[0] === n.left && children[1] === n.right ? n : { ...n, left: children[0], right: children[1] };
      case 'call':
        return children.every((c, i) => c === n.args[i]) ? n : { ...n, args: children };
      case 'conditional':
        return children[0] === n.test && children[1] === n.then && children[2] === n.otherwise
          ? n
          : { ...n, test: children[0], then: children[1], otherwise: children[2] };
    }
  });
}

export const numberNode = (value: number): ExprNode => ({ type: 'number', value, pos: 0 });
export const nameNode = (name: string): ExprNode => ({ type: 'identifier', name, pos: 0 });
export const binaryNode = (op: '*' | '/' | '^' | '-' | '+', left: ExprNode, right: ExprNode): ExprNode => ({ type: 'binary', op, left, right, pos: 0 });

/** `factor × node`, leaving out a factor of exactly 1. */
export function scaled(factor: number, node: ExprNode): ExprNode {
  return factor === 1 ? node : binaryNode('*', numberNode(factor), node);
}

/** The product of `factors`; 1 when there are none. */
export function productOf(factors: readonly ExprNode[]): ExprNode {
  if (factors.length === 0) return numberNode(1);
  return factors.slice(1).reduce((acc, f) => binaryNode('*', acc, f), factors[0]);
}

/** Whether the tree calls `fn` anywhere. */
export function callsFunction(node: ExprNode, fn: string): boolean {
  return foldExpression<boolean>(node, (n, children) => (n.type === 'call' && n.fn === fn) || children.some(Boolean));
}
