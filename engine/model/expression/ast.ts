/**
 * Abstract syntax tree of a rate-law expression such as `alpha1/(1+V^beta)`.
 *
 * Every node carries `pos`, the 0-based character offset in the source text of
 * the token that introduced it: the number or name itself, the operator of a
 * unary or binary node, the function name of a call, the `?` of a conditional.
 */
import type { FunctionName } from './functions.js';

export type UnaryOp = '-' | '+' | '!';

export type BinaryOp = '+' | '-' | '*' | '/' | '^' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&&' | '||';

export interface NumberNode {
  readonly type: 'number';
  readonly value: number;
  readonly pos: number;
}

export interface IdentifierNode {
  readonly type: 'identifier';
  readonly name: string;
  readonly pos: number;
}

export interface UnaryNode {
  readonly type: 'unary';
  readonly op: UnaryOp;
  readonly arg: ExprNode;
  readonly pos: number;
}

export interface BinaryNode {
  readonly type: 'binary';
  readonly op: BinaryOp;
  readonly left: ExprNode;
  readonly right: ExprNode;
  readonly pos: number;
}

export interface CallNode {
  readonly type: 'call';
  readonly fn: FunctionName;
  readonly args: readonly ExprNode[];
  readonly pos: number;
}

/** `test ? then : otherwise`; `test` counts as true when it is nonzero. */
export interface ConditionalNode {
  readonly type: 'conditional';
  readonly test: ExprNode;
  readonly then: ExprNode;
  readonly otherwise: ExprNode;
  readonly pos: number;
}

export type ExprNode = NumberNode | IdentifierNode | UnaryNode | BinaryNode | CallNode | ConditionalNode;
