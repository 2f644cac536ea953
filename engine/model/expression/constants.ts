/**
 * Finds constants that are not finite numbers: a literal too large for a
 * double (`1e309` reads as Infinity) or an operation on constants only that
 * overflows or is undefined (`1/0`, `0/0`, `exp(1000)`, `log(0)`).
 *
 * Why: such a value makes a propensity infinite or NaN at every event, which
 * the simulators can only detect at run time; a constant can be refused with
 * its column before anything runs. Values follow `evaluateExpression`.
 */
import type { ExprNode } from './ast.js';
import { evaluateOperation } from './evaluate.js';
import { foldExpression } from './walk.js';

export interface NonFiniteConstant {
  /** The innermost constant node that is not finite: a number literal or the operator (or call) that produced the value. */
  readonly node: ExprNode;
  readonly value: number;
}

/** The first (innermost, leftmost) constant sub-expression whose value is ±Infinity or NaN, or null. */
export function nonFiniteConstant(root: ExprNode): NonFiniteConstant | null {
  let found: NonFiniteConstant | null = null;
  // Fold to the node's value when it uses no names, else null; stop computing once something is found.
  foldExpression<number | null>(root, (node, values) => {
    if (found !== null || node.type === 'identifier' || values.some((v) => v === null)) return null;
    const value = evaluateOperation(node, values as readonly number[]);
    if (!Number.isFinite(value)) found = { node, value };
    return value;
  });
  return found;
}
