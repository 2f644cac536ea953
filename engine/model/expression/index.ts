/**
 * The rate-law expression language: parse user text such as
 * `alpha1/(1+V^beta)` to a tree, evaluate it, or compile it to JavaScript.
 */
export type { BinaryNode, BinaryOp, CallNode, ConditionalNode, ExprNode, IdentifierNode, NumberNode, UnaryNode, UnaryOp } from './ast.js';
export { parseExpression } from './parse.js';
export { emitJs, type IdentifierResolver } from './emitJs.js';
export { evaluateExpression, type IdentifierLookup } from './evaluate.js';
export { identifiersOf } from './identifiers.js';
export { FUNCTION_NAMES, type FunctionName } from './functions.js';
export { nonFiniteConstant, type NonFiniteConstant } from './constants.js';
export { childrenOf, foldExpression, forEachNode } from './walk.js';
export { MAX_ARGUMENTS, MAX_NESTING } from './parse.js';
export { differentiate, jacobianExpressions, NotDifferentiableError } from './differentiate.js';
