/**
 * The numeric meaning shared by `evaluateExpression` and `emitJs`. Both import
 * these rules so the tree walker and the generated code agree bit for bit.
 */
import type { BinaryNode } from './ast.js';

/** Truth of a number in conditions and logic: any nonzero value (NaN included) is true. */
export function isTrue(x: number): boolean {
  return x !== 0;
}

/** Result of a comparison or logical operator: 1 for true, 0 for false. */
export function fromBoolean(b: boolean): number {
  return b ? 1 : 0;
}

/**
 * How many factors `a^n` is expanded to instead of calling `Math.pow`: 2 or 3
 * when the exponent is the literal 2 or 3 and the base is a name or a number
 * (so repeating it costs nothing), otherwise 0 (use `Math.pow`).
 */
export function repeatedFactors(node: BinaryNode): 0 | 2 | 3 {
  const { left, right } = node;
  if (right.type !== 'number' || (left.type !== 'identifier' && left.type !== 'number')) return 0;
  return right.value === 2 ? 2 : right.value === 3 ? 3 : 0;
}

/** `a^n` as `evaluateExpression` computes it, matching the code `emitJs` writes. */
export function power(base: number, exponent: number, factors: 0 | 2 | 3): number {
  if (factors === 2) return base * base;
  if (factors === 3) return base * base * base;
  return Math.pow(base, exponent);
}
