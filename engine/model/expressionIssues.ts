/**
 * Parsing an expression field for validation: a syntax error or a constant
 * that is not finite becomes an issue on the field, and messages quote the
 * expression, cut to an excerpt around the column when it is long.
 *
 * Why the excerpt: a hostile model can hold a 100 kB expression with
 * thousands of problems; quoting it whole in every issue would make the error
 * message itself the denial of service.
 */
import { ExpressionSyntaxError, type ValidationIssue } from '../errors/index.js';
import { nonFiniteConstant, parseExpression, type ExprNode } from './expression/index.js';

/** Expressions up to this length are quoted whole, as they always were. */
const QUOTE_WHOLE = 120;
/** Characters shown on each side of the column in a longer expression. */
const EXCERPT_SIDE = 40;

/** More unknown names than this in one expression are summed up in one issue. */
export const MAX_NAME_ISSUES = 20;

/** `"k*X"`, or `"…+x41+x42+…"` around `position` when the text is long. */
export function quoteExpression(text: string, position: number): string {
  if (text.length <= QUOTE_WHOLE) return `"${text}"`;
  const from = Math.max(0, position - EXCERPT_SIDE);
  const to = Math.min(text.length, position + EXCERPT_SIDE);
  return `"${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}" (${text.length} characters)`;
}

/** `at column C of "text"` (1-based column). */
export function atColumn(text: string, position: number): string {
  return `at column ${position + 1} of ${quoteExpression(text, position)}`;
}

/** The syntax error's message with the expression quoted by `quoteExpression`. */
function syntaxMessage(error: ExpressionSyntaxError, text: string): string {
  const suffix = ` at column ${error.position + 1} of "${text}"`;
  const reason = error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : error.message;
  return `${reason} ${atColumn(text, error.position)}`;
}

/**
 * The parsed expression of a field, or null after pushing the syntax error
 * on `path`. A constant part that is not finite is pushed too (the tree is
 * still returned, so names can be checked as well).
 */
export function parseField(text: string | number, path: string, issues: ValidationIssue[]): ExprNode | null {
  const source = String(text);
  let tree: ExprNode;
  try {
    tree = parseExpression(source);
  } catch (error) {
    if (!(error instanceof ExpressionSyntaxError)) throw error;
    issues.push({ path, message: syntaxMessage(error, source) });
    return null;
  }
  const constant = nonFiniteConstant(tree);
  if (constant) {
    const what = constant.node.type === 'number' ? 'the number' : 'the constant part';
    const why = constant.node.type === 'number' ? ' (too large for a double)' : '';
    issues.push({ path, message: `${what} ${atColumn(source, constant.node.pos)} is ${constant.value}${why}; expected a finite value` });
  }
  return tree;
}

/** A "did you mean" hint for near-miss names (case or one edit away). */
export function suggest(name: string, known: ReadonlySet<string>): string {
  for (const candidate of known) {
    if (candidate.toLowerCase() === name.toLowerCase() || editDistanceAtMostOne(candidate, name)) return ` (did you mean "${candidate}"?)`;
  }
  return '';
}

function editDistanceAtMostOne(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}
