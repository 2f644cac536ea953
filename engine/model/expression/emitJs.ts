/**
 * Compiles an expression tree to JavaScript source text by walking it.
 *
 * Only three things reach the output: numbers (re-printed from their parsed
 * value, never copied from the user's text), fixed operator and `Math.*`
 * templates, and whatever `resolve` returns for each identifier. The result is
 * fully parenthesised, so it can be spliced into any larger expression.
 * Conditions follow `semantics.ts`: nonzero is true, comparisons give 1 or 0.
 * The walk is iterative (walk.ts) and long chains are written flat, so neither
 * this walk nor V8's parser of the output recurses on the length of a sum.
 */
import type { BinaryNode, ExprNode } from './ast.js';
import { functionSpec } from './functions.js';
import { repeatedFactors } from './semantics.js';
import { childrenOf, foldExpression } from './walk.js';

/** Maps an identifier to JavaScript (e.g. `s3` or `p[2]`); may throw for unknown names. */
export type IdentifierResolver = (name: string, pos: number) => string;

const COMPARISON_JS: Partial<Record<BinaryNode['op'], string>> = {
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '==': '===',
  '!=': '!==',
};

/** A resolved name that is already a single operand: `s3`, `p[2]`, `this.x`. */
const SIMPLE_OPERAND = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\])*$/;

/**
 * Left-nested chains of these operators, `(a+b)-c` or `(a&&b)&&c`, can be
 * written flat (`a+b-c`): JavaScript evaluates them left to right, exactly as
 * the tree nests them, so the value is the same to the bit.
 */
type ChainGroup = 'additive' | 'multiplicative' | 'and' | 'or';

const CHAIN_GROUP: Partial<Record<BinaryNode['op'], ChainGroup>> = {
  '+': 'additive',
  '-': 'additive',
  '*': 'multiplicative',
  '/': 'multiplicative',
  '&&': 'and',
  '||': 'or',
};

/**
 * Chains of up to this many operators keep one bracket per operator, the form
 * all generated code had before long chains existed; longer ones are written
 * flat. Why: V8's parser recurses on brackets and gives up between 1,000 and
 * 3,000 levels (Node 20, default stack), while a flat sum of 100,000 terms
 * parses fine.
 */
export const NESTED_CHAIN_LIMIT = 8;

/** What a child hands its parent: its code, and if it is (part of) a chain, the chain so far. */
interface Emitted {
  /** Code that is safe as an operand. */
  readonly js: string;
  readonly chain: Chain | null;
}

interface Chain {
  readonly group: ChainGroup;
  readonly operators: number;
  /** The chain without its outer wrapper: `a+b-c`, or `a!==0&&b!==0` for logic. */
  readonly flat: string;
}

export function emitJs(node: ExprNode, resolve: IdentifierResolver): string {
  return foldExpression<Emitted>(node, (n, values) => {
    const operand = (i: number) => values[i].js;
    switch (n.type) {
      case 'number':
        return plain(emitNumber(n.value));
      case 'identifier': {
        const js = resolve(n.name, n.pos);
        return plain(SIMPLE_OPERAND.test(js) ? js : `(${js})`);
      }
      case 'unary': {
        const arg = operand(0);
        if (n.op === '-') return plain(`(-${arg})`);
        if (n.op === '!') return plain(`(${arg}===0?1:0)`);
        return plain(`(+${arg})`);
      }
      case 'binary':
        return emitBinary(n, values[0], values[1].js);
      case 'call':
        return plain(functionSpec(n.fn).emit(values.map((v) => v.js)));
      case 'conditional':
        return plain(`(${operand(0)}!==0?${operand(1)}:${operand(2)})`);
    }
  }).js;
}

function plain(js: string): Emitted {
  return { js, chain: null };
}

function emitBinary(node: BinaryNode, left: Emitted, b: string): Emitted {
  const group = CHAIN_GROUP[node.op];
  if (group === undefined) return plain(emitOperator(node, left.js, b));
  const logic = group === 'and' || group === 'or';
  const next = logic ? `${group === 'and' ? '&&' : '||'}${b}!==0` : `${node.op}${b}`;
  const continues = left.chain !== null && left.chain.group === group;
  const chain: Chain = continues
    ? { group, operators: left.chain!.operators + 1, flat: left.chain!.flat + next }
    : { group, operators: 1, flat: (logic ? `${left.js}!==0` : left.js) + next };
  const js = chain.operators > NESTED_CHAIN_LIMIT ? (logic ? `(${chain.flat}?1:0)` : `(${chain.flat})`) : emitOperator(node, left.js, b);
  return { js, chain };
}

function emitOperator(node: BinaryNode, a: string, b: string): string {
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

/** Bracket depth of a node's emitted code, and of its chain written flat when it is (part of) a chain. */
interface Depth {
  readonly depth: number;
  readonly chain: { readonly group: ChainGroup; readonly operators: number; readonly operandDepth: number } | null;
}

/**
 * The first node (innermost first) whose code from `emitJs` would nest
 * brackets and calls deeper than `limit`, or null. It mirrors `emitJs`
 * without building any text, so the parser can refuse such trees before any
 * code is generated (V8 cannot parse deeply nested code; see NESTED_CHAIN_LIMIT).
 * A resolved name counts as one level, since the resolver may wrap it.
 */
export function findNestedDeeperThan(root: ExprNode, limit: number): ExprNode | null {
  let found: ExprNode | null = null;
  const check = (node: ExprNode, depth: number) => {
    if (found === null && depth > limit) found = node;
  };
  const result = foldExpression<Depth>(root, (n, values) => {
    switch (n.type) {
      case 'number': // `(1e-7)` or `(-0)` at most
      case 'identifier':
        return LEAF;
      case 'binary': {
        const group = CHAIN_GROUP[n.op];
        const [left, right] = values;
        const continues = group !== undefined && left.chain !== null && left.chain.group === group;
        if (!continues) check(n.left, left.depth);
        check(n.right, right.depth);
        if (group === undefined) return { depth: 1 + Math.max(left.depth, right.depth), chain: null };
        const chain = continues
          ? { group, operators: left.chain!.operators + 1, operandDepth: Math.max(left.chain!.operandDepth, right.depth) }
          : { group, operators: 1, operandDepth: Math.max(left.depth, right.depth) };
        const depth = chain.operators > NESTED_CHAIN_LIMIT ? 1 + chain.operandDepth : 1 + Math.max(left.depth, right.depth);
        return { depth, chain };
      }
      default: {
        const children = childrenOf(n);
        let deepest = 0;
        for (let i = 0; i < values.length; i++) {
          check(children[i], values[i].depth);
          deepest = Math.max(deepest, values[i].depth);
        }
        const wrappers = n.type === 'call' ? functionSpec(n.fn).nesting(values.length) : 1;
        return { depth: wrappers + deepest, chain: null };
      }
    }
  });
  check(root, result.depth);
  return found;
}

const LEAF: Depth = Object.freeze({ depth: 1, chain: null });

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
