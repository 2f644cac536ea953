/**
 * Walks over an expression tree with an explicit stack instead of recursion.
 *
 * Why: a left-associative chain (`a+b+c+...`) is parsed by a loop, so its
 * tree is as deep as the chain is long; a sum of 100,000 terms is legal and
 * would overflow the call stack of any recursive walk. Every walk of the
 * expression module (evaluation, code generation, names, constants) goes
 * through these two functions, so none of them recurses on the input.
 */
import type { ExprNode } from './ast.js';

const NO_CHILDREN: readonly ExprNode[] = Object.freeze([]);
const NO_VALUES: readonly never[] = Object.freeze([]);

/** A node's operands in source order: test, then, otherwise for a conditional. */
export function childrenOf(node: ExprNode): readonly ExprNode[] {
  switch (node.type) {
    case 'number':
    case 'identifier':
      return NO_CHILDREN;
    case 'unary':
      return [node.arg];
    case 'binary':
      return [node.left, node.right];
    case 'call':
      return node.args;
    case 'conditional':
      return [node.test, node.then, node.otherwise];
  }
}

interface Frame<T> {
  readonly node: ExprNode;
  readonly children: readonly ExprNode[];
  next: number;
  readonly values: T[];
}

/**
 * Post-order fold: `combine(node, values)` receives the folded values of the
 * node's children (in `childrenOf` order) and returns the node's value.
 * Nodes are combined in the order a recursive walk would return from them,
 * so a `combine` that throws (an unknown name) fails at the same node.
 */
export function foldExpression<T>(root: ExprNode, combine: (node: ExprNode, values: readonly T[]) => T): T {
  const stack: Frame<T>[] = [{ node: root, children: childrenOf(root), next: 0, values: [] }];
  for (;;) {
    const top = stack[stack.length - 1];
    if (top.next < top.children.length) {
      const child = top.children[top.next++];
      const children = childrenOf(child);
      if (children.length === 0) top.values.push(combine(child, NO_VALUES));
      else stack.push({ node: child, children, next: 0, values: [] });
      continue;
    }
    stack.pop();
    const value = combine(top.node, top.values);
    if (stack.length === 0) return value;
    stack[stack.length - 1].values.push(value);
  }
}

/** Pre-order visit in source order (a node before its operands, operands left to right). */
export function forEachNode(root: ExprNode, visit: (node: ExprNode) => void): void {
  const pending: ExprNode[] = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    visit(node);
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
  }
}
