/**
 * Splits expression text into tokens: numbers, names and operators. Throws
 * `ExpressionSyntaxError` at the first character that cannot start a token.
 */
import { ExpressionSyntaxError } from '../../errors/index.js';

export type OperatorText = '+' | '-' | '*' | '/' | '^' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&&' | '||' | '!' | '?' | ':' | '(' | ')' | ',';

export type Token =
  | { readonly kind: 'number'; readonly value: number; readonly text: string; readonly pos: number }
  | { readonly kind: 'name'; readonly text: string; readonly pos: number }
  /** `op` is normalised (`**` becomes `^`); `text` is what was written. */
  | { readonly kind: 'operator'; readonly op: OperatorText; readonly text: string; readonly pos: number }
  | { readonly kind: 'end'; readonly text: ''; readonly pos: number };

const TWO_CHAR_OPERATORS: Record<string, OperatorText> = {
  '**': '^',
  '<=': '<=',
  '>=': '>=',
  '==': '==',
  '!=': '!=',
  '&&': '&&',
  '||': '||',
};

const ONE_CHAR_OPERATORS = new Set<string>(['+', '-', '*', '/', '^', '<', '>', '!', '?', ':', '(', ')', ',']);

/** Single characters that are close to a real operator, with the fix to suggest. */
const NEAR_MISSES: Record<string, string> = {
  '=': "use '==' to compare",
  '&': "use '&&' for 'and'",
  '|': "use '||' for 'or'",
};

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isNameStart = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isNamePart = (c: string): boolean => isNameStart(c) || isDigit(c);
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** Human-readable description of a token for "expected ... but found ..." messages. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'number':
      return `number '${token.text}'`;
    case 'name':
      return `name '${token.text}'`;
    case 'operator':
      return `'${token.text}'`;
    case 'end':
      return 'end of expression';
  }
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (isSpace(c)) {
      i++;
    } else if (isDigit(c) || (c === '.' && isDigit(text[i + 1] ?? ''))) {
      const end = scanNumber(text, i);
      const literal = text.slice(i, end);
      tokens.push({ kind: 'number', value: Number(literal), text: literal, pos: i });
      i = end;
    } else if (isNameStart(c)) {
      let end = i + 1;
      while (end < text.length && isNamePart(text[end])) end++;
      tokens.push({ kind: 'name', text: text.slice(i, end), pos: i });
      i = end;
    } else if (TWO_CHAR_OPERATORS[text.slice(i, i + 2)] !== undefined) {
      const written = text.slice(i, i + 2);
      tokens.push({ kind: 'operator', op: TWO_CHAR_OPERATORS[written], text: written, pos: i });
      i += 2;
    } else if (ONE_CHAR_OPERATORS.has(c)) {
      tokens.push({ kind: 'operator', op: c as OperatorText, text: c, pos: i });
      i++;
    } else {
      const shown = String.fromCodePoint(text.codePointAt(i) ?? 0);
      const hint = NEAR_MISSES[c] ? `; ${NEAR_MISSES[c]}` : '';
      throw new ExpressionSyntaxError(`unexpected character '${shown}'${hint}`, text, i);
    }
  }
  tokens.push({ kind: 'end', text: '', pos: text.length });
  return tokens;
}

/**
 * Scans `digits [. digits] [(e|E) [+|-] digits]` (or `.digits ...`) from
 * `start` and returns the end offset. A second `.` or an exponent without
 * digits is an error naming the whole malformed literal.
 */
function scanNumber(text: string, start: number): number {
  let i = start;
  const digits = (): void => {
    while (i < text.length && isDigit(text[i])) i++;
  };
  digits();
  if (text[i] === '.') {
    i++;
    digits();
  }
  if (text[i] === 'e' || text[i] === 'E') {
    let j = i + 1;
    if (text[j] === '+' || text[j] === '-') j++;
    if (!isDigit(text[j] ?? '')) {
      throw malformed(text, start, j, `expected digits after the exponent '${text[i]}'`);
    }
    i = j;
    digits();
  }
  if (text[i] === '.') throw malformed(text, start, i, "unexpected '.'");
  return i;
}

function malformed(text: string, start: number, at: number, why: string): ExpressionSyntaxError {
  let end = at;
  while (end < text.length && (isNamePart(text[end]) || text[end] === '.')) end++;
  return new ExpressionSyntaxError(`malformed number '${text.slice(start, end)}': ${why}`, text, at);
}
