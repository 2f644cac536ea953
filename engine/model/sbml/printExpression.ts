/**
 * Expression tree → text in the engine's expression language, with as few
 * parentheses as the grammar allows (see expression/parse.ts for the
 * precedences), such that parseExpression(printExpression(e)) is e again
 * (positions aside). Used to write imported SBML math into the JSON model.
 */
import { foldExpression, type BinaryOp, type ExprNode } from '../expression/index.js';

const PRECEDENCE: Record<BinaryOp, number> = {
  '||': 1,
  '&&': 2,
  '<': 3,
  '<=': 3,
  '>': 3,
  '>=': 3,
  '==': 3,
  '!=': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '^': 7,
};
const CONDITIONAL = 0;
const COMPARISON = 3;
const UNARY = 6;
const ATOM = 8;

function precedenceOf(node: ExprNode): number {
  switch (node.type) {
    case 'number':
      return node.value < 0 || Object.is(node.value, -0) ? UNARY : ATOM;
    case 'identifier':
    case 'call':
      return ATOM;
    case 'unary':
      return UNARY;
    case 'binary':
      return PRECEDENCE[node.op];
    case 'conditional':
      return CONDITIONAL;
  }
}

/** Print a finite number so the tokenizer reads back the same double. */
function printNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`cannot write the number ${value} in an expression`);
  const text = String(Math.abs(value));
  return value < 0 || Object.is(value, -0) ? `-${text}` : text;
}

export function printExpression(node: ExprNode): string {
  // Iterative (foldExpression): an n-ary SBML <plus/> of 100,000 terms is a left chain that deep.
  return foldExpression<string>(node, (n, texts) => {
    const wrap = (i: number, needsParens: boolean) => (needsParens ? `(${texts[i]})` : texts[i]);
    switch (n.type) {
      case 'number':
        return printNumber(n.value);
      case 'identifier':
        return n.name;
      case 'call':
        return `${n.fn}(${texts.join(', ')})`;
      case 'unary':
        // The operand of a unary operator is parsed above the unary level: only ^ and atoms go bare.
        return `${n.op}${wrap(0, precedenceOf(n.arg) <= UNARY)}`;
      case 'binary': {
        const p = PRECEDENCE[n.op];
        const left = precedenceOf(n.left);
        const right = precedenceOf(n.right);
        const comparison = p === COMPARISON;
        const rightAssoc = n.op === '^';
        const leftParens = left < p || (left === p && (rightAssoc || comparison)) || (rightAssoc && left === UNARY);
        const rightParens = right < p || (right === p && (!rightAssoc || comparison)) || (rightAssoc && right === UNARY);
        const op = n.op === '^' ? '^' : ` ${n.op} `;
        return `${wrap(0, leftParens)}${op}${wrap(1, rightParens)}`;
      }
      case 'conditional':
        // The test is parsed at the level of ||; the branches are full expressions.
        return `${wrap(0, precedenceOf(n.test) === CONDITIONAL)} ? ${texts[1]} : ${texts[2]}`;
    }
  });
}
