/**
 * Precedence-climbing (Pratt) parser for rate-law expressions.
 *
 * Precedence, loosest first: `?:` < `||` < `&&` < comparisons < `+ -` <
 * `* /` < unary `- + !` < `^` (also written `**`). `^` is right-associative
 * and binds tighter than a unary minus on its left, as in mathematics:
 * `-x^2` is `-(x^2)`, `2^3^2` is `2^(3^2)`, and `2^-1` is `2^(-1)`.
 * `?:` is right-associative; comparisons cannot be chained (`a < b < c`).
 *
 * Bounded work: the parser recurses once per nesting level (brackets, unary
 * operators, right operands, `?:` branches) and refuses more than
 * MAX_NESTING levels at the column where the excess level starts, so no text
 * overflows the stack. Left-associative chains (`a+b+c+...`) are parsed by a
 * loop and may be any length: every walk of the tree is iterative (walk.ts).
 * The finished tree is also refused when the code emitJs would write for it
 * nests deeper than MAX_NESTING, which V8 could not parse.
 */
import { ExpressionSyntaxError } from '../../errors/index.js';
import type { BinaryOp, ExprNode } from './ast.js';
import { findNestedDeeperThan } from './emitJs.js';
import { describeArity, FUNCTION_NAMES, functionSpec, isFunctionName } from './functions.js';
import { describeToken, tokenize, type OperatorText, type Token } from './tokenize.js';

interface BinaryRule {
  readonly prec: number;
  readonly rightAssoc: boolean;
}

const BINARY_RULES: Partial<Record<OperatorText, BinaryRule>> = {
  '||': { prec: 1, rightAssoc: false },
  '&&': { prec: 2, rightAssoc: false },
  '<': { prec: 3, rightAssoc: false },
  '<=': { prec: 3, rightAssoc: false },
  '>': { prec: 3, rightAssoc: false },
  '>=': { prec: 3, rightAssoc: false },
  '==': { prec: 3, rightAssoc: false },
  '!=': { prec: 3, rightAssoc: false },
  '+': { prec: 4, rightAssoc: false },
  '-': { prec: 4, rightAssoc: false },
  '*': { prec: 5, rightAssoc: false },
  '/': { prec: 5, rightAssoc: false },
  '^': { prec: 7, rightAssoc: true },
};

const COMPARISON_PREC = 3;
/** Operand of a unary operator: only `^` binds tighter. */
const UNARY_OPERAND_PREC = 7;

const OPERAND = "an operand (number, name or '(')";

/** Nesting (brackets, unary operators, powers, conditionals) deeper than this is refused rather than overflowing the stack. */
export const MAX_NESTING = 256;

/**
 * Arguments of one call. V8 refuses calls with more than 65,535 arguments and
 * `min`/`max` spread theirs, so a bound keeps generated code compilable.
 */
export const MAX_ARGUMENTS = 10_000;

/** Parses `text` into an expression tree; throws `ExpressionSyntaxError` with the position of the problem. */
export function parseExpression(text: string): ExprNode {
  const tokens = tokenize(text);
  if (tokens[0].kind === 'end') throw new ExpressionSyntaxError(`empty expression: expected ${OPERAND}`, text, 0);
  const tree = new Parser(text, tokens).parseAll();
  const deep = findNestedDeeperThan(tree, MAX_NESTING);
  if (deep) throw new ExpressionSyntaxError(tooDeep(), text, deep.pos);
  return tree;
}

function tooDeep(): string {
  return `expression nested too deeply (more than ${MAX_NESTING} levels)`;
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
  ) {}

  parseAll(): ExprNode {
    const node = this.parseConditional();
    const next = this.peek();
    if (next.kind !== 'end') {
      if (isOp(next, ')')) this.fail("unbalanced parenthesis: ')' has no matching '('", next.pos);
      this.fail(`expected an operator or end of expression but found ${describeToken(next)}`, next.pos);
    }
    return node;
  }

  private parseConditional(): ExprNode {
    const test = this.parseBinary(1);
    const question = this.peek();
    if (!isOp(question, '?')) return test;
    this.index++;
    const then = this.nested(question.pos, () => this.parseConditional());
    this.expect(':', `':' of the conditional started by '?' at column ${question.pos + 1}`);
    const otherwise = this.nested(question.pos, () => this.parseConditional());
    return { type: 'conditional', test, then, otherwise, pos: question.pos };
  }

  private parseBinary(minPrec: number): ExprNode {
    let left = this.parsePrefix();
    for (;;) {
      const token = this.peek();
      const rule = token.kind === 'operator' ? BINARY_RULES[token.op] : undefined;
      if (token.kind !== 'operator' || !rule || rule.prec < minPrec) return left;
      this.index++;
      const right = this.nested(token.pos, () => this.parseBinary(rule.rightAssoc ? rule.prec : rule.prec + 1));
      left = { type: 'binary', op: token.op as BinaryOp, left, right, pos: token.pos };
      const after = this.peek();
      if (rule.prec === COMPARISON_PREC && after.kind === 'operator' && BINARY_RULES[after.op]?.prec === COMPARISON_PREC) {
        this.fail(`comparisons cannot be chained; write 'a ${token.text} b && b ${after.text} c'`, after.pos);
      }
    }
  }

  private parsePrefix(): ExprNode {
    return this.nested(this.peek().pos, () => this.parseOperand());
  }

  /** Runs `parse` one nesting level deeper; past MAX_NESTING, fails at `pos` (where that level starts). */
  private nested(pos: number, parse: () => ExprNode): ExprNode {
    if (++this.depth > MAX_NESTING) this.fail(tooDeep(), pos);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private parseOperand(): ExprNode {
    const token = this.next();
    switch (token.kind) {
      case 'number':
        return { type: 'number', value: token.value, pos: token.pos };
      case 'name':
        return isOp(this.peek(), '(') ? this.parseCall(token) : { type: 'identifier', name: token.text, pos: token.pos };
      case 'end':
        return this.fail(`unexpected end of expression: expected ${OPERAND}`, token.pos);
      case 'operator':
        if (token.op === '-' || token.op === '+' || token.op === '!') {
          return { type: 'unary', op: token.op, arg: this.parseBinary(UNARY_OPERAND_PREC), pos: token.pos };
        }
        if (token.op === '(') {
          const inner = this.parseConditional();
          this.close(token, "')' or an operator");
          return inner;
        }
        return this.fail(`expected ${OPERAND} but found ${describeToken(token)}`, token.pos);
    }
  }

  private parseCall(name: Token): ExprNode {
    if (!isFunctionName(name.text)) {
      this.fail(`unknown function '${name.text}'; allowed functions are ${FUNCTION_NAMES.join(', ')}`, name.pos);
    }
    const fn = name.text;
    const open = this.next();
    const args: ExprNode[] = [];
    if (isOp(this.peek(), ')')) {
      this.index++;
    } else {
      for (;;) {
        args.push(this.parseConditional());
        if (args.length > MAX_ARGUMENTS) this.fail(`a call takes at most ${MAX_ARGUMENTS} arguments`, name.pos);
        if (isOp(this.peek(), ',')) {
          this.index++;
          continue;
        }
        this.close(open, `',' or ')' in the call to '${fn}'`);
        break;
      }
    }
    const spec = functionSpec(fn);
    if (args.length < spec.minArgs || args.length > spec.maxArgs) {
      const hint = spec.hint ? `; ${spec.hint}` : '';
      this.fail(`function '${fn}' takes ${describeArity(spec)} but was given ${args.length}${hint}`, name.pos);
    }
    return { type: 'call', fn, args, pos: name.pos };
  }

  /** Consumes the `)` matching `open`; at the end of the text, blames the unclosed `(`. */
  private close(open: Token, expected: string): void {
    const token = this.peek();
    if (isOp(token, ')')) {
      this.index++;
      return;
    }
    if (token.kind === 'end') this.fail("unbalanced parenthesis: '(' is never closed", open.pos);
    this.fail(`expected ${expected} but found ${describeToken(token)}`, token.pos);
  }

  private expect(op: OperatorText, what: string): void {
    const token = this.peek();
    if (isOp(token, op)) {
      this.index++;
      return;
    }
    if (token.kind === 'end') this.fail(`unexpected end of expression: expected ${what}`, token.pos);
    this.fail(`expected ${what} but found ${describeToken(token)}`, token.pos);
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private fail(message: string, position: number): never {
    throw new ExpressionSyntaxError(message, this.text, position);
  }
}

function isOp(token: Token, op: OperatorText): boolean {
  return token.kind === 'operator' && token.op === op;
}
