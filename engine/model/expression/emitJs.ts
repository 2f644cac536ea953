/**
 * Compiles an expression tree to JavaScript source text by walking it.
 *
 * Only three things reach the output: numbers (re-printed from their parsed
 * value, never copied from the user's text), fixed operator and `Math.*`
 * templates, and whatever `resolve` returns for each identifier. The result is
 * fully parenthesised, so it can be spliced into any larger expression.
 * Conditions follow `semantics.ts`: nonzero is true, comparisons give 1 or 0.
 */
import type { BinaryNode, ExprNode } from './ast';
import { functionSpec } from './functions';
import { repeatedFactors } from './semantics';

/** Maps an identifier to JavaScript (e.g. `s3` or `p[2]`); may throw for unknown names. */
export type IdentifierResolver = (name: string, pos: number) => string;

const COMPARISON_JS: Partial<Record<BinaryNode['op'], string>> = {
  '<': '<', '<=': '<=', '>': '>', '>=': '>=', '==': '===', '!=': '!==',
};

/** A resolved name that is already a single operand: `s3`, `p[2]`, `this.x`. */
const SIMPLE_OPERAND = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\])*$/;

export function emitJs(node: ExprNode, resolve: IdentifierResolver): string {
  const emit = (n: ExprNode): string => {
    switch (n.type) {
      case 'number':
        return emitNumber(n.value);
      case 'identifier': {
        const js = resolve(n.name, n.pos);
        return SIMPLE_OPERAND.test(js) ? js : `(${js})`;
      }
      case 'unary': {
        const arg = emit(n.arg);
        if (n.op === '-') return `(-${arg})`;
        if (n.op === '!') return `(${arg}===0?1:0)`;
        return `(+${arg})`;
      }
      case 'binary':
        return emitBinary(n, emit(n.left), emit(n.right));
      case 'call':
        return functionSpec(n.fn).emit(n.args.map(emit));
      case 'conditional':
        return `(${emit(n.test)}!==0?${emit(n.then)}:${emit(n.otherwise)})`;
    }
  };
  return emit(node);
}

function emitBinary(node: BinaryNode, a: string, b: string): string {
  switch (node.op) {
    case '+':
    case '-':
    case '*':
    case '/':
      return `(${a}${node.op}${b})`;
    case '^': {
      const factors = repeatedFactors(node);
      if (factors === 2) return `(${a}*${a})`;
      if (factors === 3) return `(${a}*${a}*${a})`;
      return `Math.pow(${a},${b})`;
    }
    case '&&':
      return `(${a}!==0&&${b}!==0?1:0)`;
    case '||':
      return `(${a}!==0||${b}!==0?1:0)`;
    default:
      return `(${a}${COMPARISON_JS[node.op]}${b}?1:0)`;
  }
}

/**
 * Prints a number so that it reads back as exactly the same double.
 * `String` gives the shortest round-tripping form; -0, NaN and the infinities
 * need spelling out, and signed or exponent forms are wrapped in parentheses.
 */
export function emitNumber(value: number): string {
  if (Number.isNaN(value)) return '(0/0)';
  if (value === Infinity) return '(1/0)';
  if (value === -Infinity) return '(-1/0)';
  if (Object.is(value, -0)) return '(-0)';
  const text = String(value);
  return /[-+e]/.test(text) ? `(${text})` : text;
}
