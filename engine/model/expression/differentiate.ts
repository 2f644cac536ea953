/**
 * Symbolic derivative of an expression tree with respect to one name, for
 * analytic Jacobians of rate equations (a stiff integrator needs ∂f/∂y, and
 * finite differences cost one evaluation of f per state and lose half the
 * digits).
 *
 * The rules are the textbook ones (chain, product, quotient, general power
 * u^v = exp(v log u)); results are simplified as they are built (0 and 1
 * folded, constant subtrees of numbers computed), so the derivative of a
 * mass-action term stays a short product. Functions that are piecewise
 * constant or piecewise smooth (abs, min, max, floor, ceil, factorial,
 * piecewise, `?:`) differentiate branch by branch, choosing the branch with
 * the same test as the value (their derivative at the kinks is that of one
 * side, as a finite difference would see it); comparisons and logic are
 * constant almost everywhere, so their derivative is 0. `delay(x, tau)` and
 * `rateOf(x)` depend on the trajectory, not on the current state alone:
 * differentiating an expression that contains them throws
 * NotDifferentiableError, and the caller falls back to finite differences.
 *
 * The walk is iterative (walk.ts), so trees of any depth differentiate; the
 * derivative shares subtrees with the input (trees are immutable).
 */
import { EngineError } from '../../errors/index.js';
import type { BinaryOp, CallNode, ExprNode } from './ast.js';
import type { FunctionName } from './functions.js';
import { forEachNode, foldExpression } from './walk.js';

/** An expression whose derivative has no closed form here (code EXPRESSION_NOT_DIFFERENTIABLE). */
export class NotDifferentiableError extends EngineError {
  constructor(fn: string, pos: number) {
    super(
      'EXPRESSION_NOT_DIFFERENTIABLE',
      `${fn}() depends on the trajectory, not only on the current state, so it has no symbolic derivative (use finite differences)`,
      { fn, pos },
    );
  }
}

const TRAJECTORY_FUNCTIONS: ReadonlySet<string> = new Set(['delay', 'rateOf']);

/** d expr / d name, simplified. Throws NotDifferentiableError for delay() and rateOf(). */
export function differentiate(expr: ExprNode, name: string): ExprNode {
  return foldExpression<ExprNode>(expr, (node, derivatives) => derivativeOf(node, derivatives, name));
}

/**
 * The Jacobian of the right-hand sides `rhs` with respect to `names`:
 * result[i][j] = ∂rhs[i]/∂names[j] (the number 0 where rhs[i] does not
 * mention names[j]). Throws NotDifferentiableError when any rhs calls
 * delay() or rateOf().
 */
export function jacobianExpressions(rhs: readonly ExprNode[], names: readonly string[]): ExprNode[][] {
  return rhs.map((f) => {
    const mentioned = new Set<string>();
    forEachNode(f, (node) => {
      if (node.type === 'identifier') mentioned.add(node.name);
      else if (node.type === 'call' && TRAJECTORY_FUNCTIONS.has(node.fn)) throw new NotDifferentiableError(node.fn, node.pos);
    });
    return names.map((name) => (mentioned.has(name) ? differentiate(f, name) : num(0, f.pos)));
  });
}

function derivativeOf(node: ExprNode, d: readonly ExprNode[], name: string): ExprNode {
  const pos = node.pos;
  switch (node.type) {
    case 'number':
      return num(0, pos);
    case 'identifier':
      return num(node.name === name ? 1 : 0, pos);
    case 'unary':
      return node.op === '-' ? neg(d[0], pos) : node.op === '+' ? d[0] : num(0, pos);
    case 'conditional':
      return isZero(d[1]) && isZero(d[2]) ? num(0, pos) : { type: 'conditional', test: node.test, then: d[1], otherwise: d[2], pos };
    case 'binary':
      return binaryDerivative(node.op, node.left, node.right, d[0], d[1], node, pos);
    case 'call':
      return callDerivative(node, d, pos);
  }
}

function binaryDerivative(op: BinaryOp, u: ExprNode, v: ExprNode, du: ExprNode, dv: ExprNode, whole: ExprNode, pos: number): ExprNode {
  switch (op) {
    case '+':
      return add(du, dv, pos);
    case '-':
      return sub(du, dv, pos);
    case '*':
      return add(mul(du, v, pos), mul(u, dv, pos), pos);
    case '/':
      // (u/v)' = u'/v − u v'/v²
      return sub(div(du, v, pos), div(mul(u, dv, pos), pow(v, num(2, pos), pos), pos), pos);
    case '^':
      return powerDerivative(u, v, du, dv, whole, pos);
    default:
      // Comparisons and logic: piecewise constant.
      return num(0, pos);
  }
}

/** (u^v)' = v u^(v−1) u' + u^v log(u) v'; each term only when its factor is not 0. */
function powerDerivative(u: ExprNode, v: ExprNode, du: ExprNode, dv: ExprNode, whole: ExprNode, pos: number): ExprNode {
  const baseTerm = isZero(du) ? num(0, pos) : mul(mul(v, pow(u, sub(v, num(1, pos), pos), pos), pos), du, pos);
  const exponentTerm = isZero(dv) ? num(0, pos) : mul(mul(whole, call('log', [u], pos), pos), dv, pos);
  return add(baseTerm, exponentTerm, pos);
}

function callDerivative(node: CallNode, d: readonly ExprNode[], pos: number): ExprNode {
  const [u] = node.args;
  const du = d[0];
  /** f'(u) · u', skipping the work when u' is 0. */
  const chain = (outer: () => ExprNode): ExprNode => (isZero(du) ? num(0, pos) : mul(outer(), du, pos));
  const square = (x: ExprNode): ExprNode => pow(x, num(2, pos), pos);
  switch (node.fn) {
    case 'exp':
      return chain(() => node);
    case 'log':
      return isZero(du) ? num(0, pos) : div(du, u, pos);
    case 'log10':
      return isZero(du) ? num(0, pos) : div(du, mul(u, num(Math.LN10, pos), pos), pos);
    case 'sqrt':
      return isZero(du) ? num(0, pos) : div(du, mul(num(2, pos), node, pos), pos);
    case 'pow':
      return powerDerivative(node.args[0], node.args[1], d[0], d[1], node, pos);
    case 'sin':
      return chain(() => call('cos', [u], pos));
    case 'cos':
      return chain(() => neg(call('sin', [u], pos), pos));
    case 'tan':
      return isZero(du) ? num(0, pos) : div(du, square(call('cos', [u], pos)), pos);
    case 'sinh':
      return chain(() => call('cosh', [u], pos));
    case 'cosh':
      return chain(() => call('sinh', [u], pos));
    case 'tanh':
      return isZero(du) ? num(0, pos) : div(du, square(call('cosh', [u], pos)), pos);
    case 'asin':
      return isZero(du) ? num(0, pos) : div(du, call('sqrt', [sub(num(1, pos), square(u), pos)], pos), pos);
    case 'acos':
      return isZero(du) ? num(0, pos) : neg(div(du, call('sqrt', [sub(num(1, pos), square(u), pos)], pos), pos), pos);
    case 'atan':
      return isZero(du) ? num(0, pos) : div(du, add(num(1, pos), square(u), pos), pos);
    case 'asinh':
      return isZero(du) ? num(0, pos) : div(du, call('sqrt', [add(square(u), num(1, pos), pos)], pos), pos);
    case 'acosh':
      return isZero(du) ? num(0, pos) : div(du, call('sqrt', [sub(square(u), num(1, pos), pos)], pos), pos);
    case 'atanh':
      return isZero(du) ? num(0, pos) : div(du, sub(num(1, pos), square(u), pos), pos);
    case 'abs':
      // sign(u) u', with the branch tests of abs itself; 0 at u = 0 (the symmetric difference).
      return isZero(du)
        ? num(0, pos)
        : conditional(binary('>', u, num(0, pos), pos), du, conditional(binary('<', u, num(0, pos), pos), neg(du, pos), num(0, pos), pos), pos);
    case 'min':
    case 'max':
      return extremumDerivative(node, d, pos);
    case 'floor':
    case 'ceil':
    case 'factorial':
      // Piecewise constant (factorial is defined on whole numbers only).
      return num(0, pos);
    case 'hill':
      return hillDerivative(node, d, pos);
    case 'piecewise':
      return piecewiseDerivative(node, d, pos);
    case 'delay':
    case 'rateOf':
      throw new NotDifferentiableError(node.fn, pos);
  }
}

/**
 * min(a1..an)' is the derivative of the argument that is the minimum: the
 * last argument strictly below the minimum of those before it wins, so ties
 * go to the first one, as Math.min's value does (max alike).
 */
function extremumDerivative(node: CallNode, d: readonly ExprNode[], pos: number): ExprNode {
  if (d.every(isZero)) return num(0, pos);
  const op = node.fn === 'min' ? '<' : '>';
  let out = d[0];
  for (let k = 1; k < node.args.length; k++) {
    const before = k === 1 ? node.args[0] : call(node.fn, node.args.slice(0, k), pos);
    out = conditional(binary(op, node.args[k], before, pos), d[k], out, pos);
  }
  return out;
}

/** piecewise(v1, c1, ..., otherwise)' = piecewise(v1', c1, ..., otherwise'): the same conditions choose the branch. */
function piecewiseDerivative(node: CallNode, d: readonly ExprNode[], pos: number): ExprNode {
  // Values sit at even indices (the last one is `otherwise` when the count is odd), conditions at odd ones.
  const args = node.args.map((arg, i) => (i % 2 === 0 ? d[i] : arg));
  // Without `otherwise` the value is NaN when no condition holds; the derivative keeps that.
  if (node.args.length % 2 === 1 && args.every((arg, i) => i % 2 === 1 || isZero(arg))) return num(0, pos);
  return call('piecewise', args, pos);
}

/**
 * hill(x, K, n) = 1/(1 + r), r = (K/x)^n: hill' = −hill² r' with
 * r' = r (n' log(K/x) + n (K'/K − x'/x)).
 */
function hillDerivative(node: CallNode, d: readonly ExprNode[], pos: number): ExprNode {
  const [x, k, n] = node.args;
  const [dx, dk, dn] = d;
  if (isZero(dx) && isZero(dk) && isZero(dn)) return num(0, pos);
  const ratio = div(k, x, pos);
  const r = pow(ratio, n, pos);
  const logarithmic = add(mul(dn, call('log', [ratio], pos), pos), mul(n, sub(div(dk, k, pos), div(dx, x, pos), pos), pos), pos);
  return neg(mul(mul(pow(node, num(2, pos), pos), r, pos), logarithmic, pos), pos);
}

// Node builders that simplify as they build.

function num(value: number, pos: number): ExprNode {
  return { type: 'number', value, pos };
}

function isNumber(e: ExprNode, value?: number): e is ExprNode & { type: 'number'; value: number } {
  return e.type === 'number' && (value === undefined || e.value === value);
}

function isZero(e: ExprNode): boolean {
  return isNumber(e, 0);
}

function binary(op: BinaryOp, left: ExprNode, right: ExprNode, pos: number): ExprNode {
  return { type: 'binary', op, left, right, pos };
}

function call(fn: FunctionName, args: readonly ExprNode[], pos: number): ExprNode {
  return { type: 'call', fn, args, pos };
}

function conditional(test: ExprNode, then: ExprNode, otherwise: ExprNode, pos: number): ExprNode {
  return { type: 'conditional', test, then, otherwise, pos };
}

function neg(a: ExprNode, pos: number): ExprNode {
  if (isNumber(a)) return num(-a.value, pos);
  if (a.type === 'unary' && a.op === '-') return a.arg;
  return { type: 'unary', op: '-', arg: a, pos };
}

function add(a: ExprNode, b: ExprNode, pos: number): ExprNode {
  if (isZero(a)) return b;
  if (isZero(b)) return a;
  if (isNumber(a) && isNumber(b)) return num(a.value + b.value, pos);
  if (b.type === 'unary' && b.op === '-') return sub(a, b.arg, pos);
  return binary('+', a, b, pos);
}

function sub(a: ExprNode, b: ExprNode, pos: number): ExprNode {
  if (isZero(b)) return a;
  if (isZero(a)) return neg(b, pos);
  if (isNumber(a) && isNumber(b)) return num(a.value - b.value, pos);
  return binary('-', a, b, pos);
}

function mul(a: ExprNode, b: ExprNode, pos: number): ExprNode {
  if (isZero(a) || isZero(b)) return num(0, pos);
  if (isNumber(a, 1)) return b;
  if (isNumber(b, 1)) return a;
  if (isNumber(a, -1)) return neg(b, pos);
  if (isNumber(b, -1)) return neg(a, pos);
  if (isNumber(a) && isNumber(b)) return num(a.value * b.value, pos);
  return binary('*', a, b, pos);
}

function div(a: ExprNode, b: ExprNode, pos: number): ExprNode {
  if (isZero(a)) return num(0, pos);
  if (isNumber(b, 1)) return a;
  if (isNumber(a) && isNumber(b) && b.value !== 0) return num(a.value / b.value, pos);
  return binary('/', a, b, pos);
}

function pow(a: ExprNode, b: ExprNode, pos: number): ExprNode {
  if (isNumber(b, 0)) return num(1, pos);
  if (isNumber(b, 1)) return a;
  return binary('^', a, b, pos);
}
