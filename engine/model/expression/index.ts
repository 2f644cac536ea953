/**
 * The rate-law expression language: parse user text such as
 * `alpha1/(1+V^beta)` to a tree, evaluate it, or compile it to JavaScript.
 */
export type {
  BinaryNode,
  BinaryOp,
  CallNode,
  ConditionalNode,
  ExprNode,
  IdentifierNode,
  NumberNode,
  UnaryNode,
  UnaryOp,
} from './ast';
export { parseExpression } from './parse';
export { emitJs, type IdentifierResolver } from './emitJs';
export { evaluateExpression, type IdentifierLookup } from './evaluate';
export { identifiersOf } from './identifiers';
export { FUNCTION_NAMES, type FunctionName } from './functions';
export { nonFiniteConstant, type NonFiniteConstant } from './constants';
export { childrenOf, foldExpression, forEachNode } from './walk';
export { MAX_ARGUMENTS, MAX_NESTING } from './parse';
export { differentiate, jacobianExpressions, NotDifferentiableError } from './differentiate';
