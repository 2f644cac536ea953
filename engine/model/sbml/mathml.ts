/**
 * libSBML MathML trees → the engine's expression tree (`ExprNode`).
 *
 * Names are resolved by the caller's scope (local parameters get their
 * unique ids, a reaction id becomes its kinetic law...); function
 * definitions are inlined; the csymbols become `t`, the number avogadro,
 * `delay(x, tau)` and `rateOf(x)`; MathML the expression language lacks is
 * rewritten when an exact equivalent exists (sec = 1/cos, arcsec x =
 * arccos(1/x), log with a base, root with a degree, n-ary comparisons, xor,
 * quotient...) and reported otherwise (<infinity/>, <notanumber/>). The
 * converter never throws for unsupported math: it reports and goes on, so one
 * import lists every problem.
 *
 * Bounded work: the converter recurses once per MathML level (an inlined
 * function's body counts as a level deeper), so it reports math nested deeper
 * than MAX_MATH_NESTING instead of converting it; and since inlining can
 * expand a small document into a huge tree (f(x) = f'(x) + f'(x), nested 40
 * deep, has 2^40 terms), it stops after MAX_EXPANDED_NODES conversions, and
 * a result beyond MAX_EXPANDED_NODES nodes (arguments used more than once are
 * shared, so the tree can outgrow the conversions) is reported too.
 */
import { childrenOf, type BinaryOp, type ExprNode, type FunctionName } from '../expression/index.js';
import type { AstNode, FunctionDefinition, LibsbmlModule } from './libsbml.js';

/** How a conversion treats names and time, and where its problems go. */
export interface MathScope {
  /** An SBML id (a `ci`) as an engine expression, or why it cannot be used. */
  resolve(name: string): ExprNode | Unresolved;
  /** The csymbol time: `t` (allowed, the default), the value 0, or a reason it is not allowed here. */
  time?: 'allowed' | 'zero' | { notAllowed: string };
  /** `sbml`: the math is invalid SBML; `unsupported` (the default): valid, but the engine cannot run it. */
  report(message: string, kind?: 'sbml' | 'unsupported'): void;
}

/** A name that cannot be used: invalid SBML (an unknown id) or a construct the engine lacks. */
export interface Unresolved {
  problem: string;
  kind: 'sbml' | 'unsupported';
}

export const num = (value: number): ExprNode => ({ type: 'number', value, pos: 0 });
export const ident = (name: string): ExprNode => ({ type: 'identifier', name, pos: 0 });
export const bin = (op: BinaryOp, left: ExprNode, right: ExprNode): ExprNode => ({ type: 'binary', op, left, right, pos: 0 });
const neg = (arg: ExprNode): ExprNode => ({ type: 'unary', op: '-', arg, pos: 0 });
const not = (arg: ExprNode): ExprNode => ({ type: 'unary', op: '!', arg, pos: 0 });
const call = (fn: FunctionName, args: ExprNode[]): ExprNode => ({ type: 'call', fn, args, pos: 0 });

const SAME_FUNCTIONS: Record<string, FunctionName> = {
  AST_FUNCTION_ABS: 'abs',
  AST_FUNCTION_CEILING: 'ceil',
  AST_FUNCTION_FLOOR: 'floor',
  AST_FUNCTION_EXP: 'exp',
  AST_FUNCTION_LN: 'log',
  AST_FUNCTION_SIN: 'sin',
  AST_FUNCTION_COS: 'cos',
  AST_FUNCTION_TAN: 'tan',
  AST_FUNCTION_SINH: 'sinh',
  AST_FUNCTION_COSH: 'cosh',
  AST_FUNCTION_TANH: 'tanh',
  AST_FUNCTION_ARCSIN: 'asin',
  AST_FUNCTION_ARCCOS: 'acos',
  AST_FUNCTION_ARCTAN: 'atan',
  AST_FUNCTION_ARCSINH: 'asinh',
  AST_FUNCTION_ARCCOSH: 'acosh',
  AST_FUNCTION_ARCTANH: 'atanh',
  AST_FUNCTION_FACTORIAL: 'factorial',
};
/** f(x) = 1 / g(x). */
const RECIPROCAL_FUNCTIONS: Record<string, FunctionName> = {
  AST_FUNCTION_SEC: 'cos',
  AST_FUNCTION_CSC: 'sin',
  AST_FUNCTION_COT: 'tan',
  AST_FUNCTION_SECH: 'cosh',
  AST_FUNCTION_CSCH: 'sinh',
  AST_FUNCTION_COTH: 'tanh',
};
/**
 * Inverse reciprocal functions: f(x) = g(1/x), e.g. arcsec x = arccos(1/x)
 * (Abramowitz & Stegun 4.4.8-4.4.9, 4.6.15-4.6.17). For arccot this is the
 * branch with values in (-π/2, π/2], the one the SBML Test Suite's results
 * use (libSBML evaluates arccot as atan(1/x)).
 */
const INVERSE_RECIPROCAL_FUNCTIONS: Record<string, FunctionName> = {
  AST_FUNCTION_ARCSEC: 'acos',
  AST_FUNCTION_ARCCSC: 'asin',
  AST_FUNCTION_ARCCOT: 'atan',
  AST_FUNCTION_ARCSECH: 'acosh',
  AST_FUNCTION_ARCCSCH: 'asinh',
  AST_FUNCTION_ARCCOTH: 'atanh',
};
/** The value of the csymbol avogadro in SBML Level 3 (the 2006 CODATA value the specification and the Test Suite use). */
export const AVOGADRO = 6.02214179e23;
const RELATIONS: Record<string, BinaryOp> = {
  AST_RELATIONAL_EQ: '==',
  AST_RELATIONAL_NEQ: '!=',
  AST_RELATIONAL_LT: '<',
  AST_RELATIONAL_LEQ: '<=',
  AST_RELATIONAL_GT: '>',
  AST_RELATIONAL_GEQ: '>=',
};

/** MathML levels converted; deeper math is reported (the expression language itself allows 256, see MAX_NESTING). */
export const MAX_MATH_NESTING = 256;
/** Nodes of one converted expression once function definitions are inlined (a flat sum of 100,000 species fits). */
export const MAX_EXPANDED_NODES = 250_000;

export class MathConverter {
  private readonly typeNames = new Map<number, string>();
  private readonly inlining: string[] = [];
  /** Levels of the conversion in progress, and whether it went too deep (reported once, by the top level). */
  private depth = 0;
  private tooDeep = false;
  /** MathML nodes converted for the current top-level expression; past MAX_EXPANDED_NODES, conversion stops. */
  private converted = 0;

  constructor(
    module: LibsbmlModule,
    private readonly functions: ReadonlyMap<string, FunctionDefinition>,
  ) {
    for (const key of Object.keys(module)) if (key.startsWith('AST_')) this.typeNames.set(module[key as `AST_${string}`], key);
  }

  convert(node: AstNode, scope: MathScope): ExprNode {
    if (this.depth > 0) return this.convertNested(node, scope);
    this.tooDeep = false;
    this.converted = 0;
    const result = this.convertNested(node, scope);
    // Reported here, on the caller's scope: once, and not wrapped in every function definition it went through.
    if (this.tooDeep) scope.report(`MathML nested deeper than ${MAX_MATH_NESTING} levels (counting inlined function definitions)`);
    const tooLarge = this.converted > MAX_EXPANDED_NODES || expandedSize(result) > MAX_EXPANDED_NODES;
    if (tooLarge) scope.report(`MathML expands to more than ${MAX_EXPANDED_NODES} terms once function definitions are inlined`);
    return this.tooDeep || tooLarge ? num(0) : result;
  }

  private convertNested(node: AstNode, scope: MathScope): ExprNode {
    if (++this.converted > MAX_EXPANDED_NODES) return num(0);
    if (this.depth >= MAX_MATH_NESTING) {
      this.tooDeep = true;
      return num(0);
    }
    this.depth++;
    try {
      return this.convertLevel(node, scope);
    } finally {
      this.depth--;
    }
  }

  private convertLevel(node: AstNode, scope: MathScope): ExprNode {
    const type = this.typeNames.get(node.getType()) ?? 'AST_UNKNOWN';
    const children = (): ExprNode[] => Array.from({ length: node.getNumChildren() }, (_, i) => this.convert(node.getChild(i), scope));
    const wrongArity = (got: number, expected: string): ExprNode => {
      scope.report(`MathML <${mathName(node, type)}> with ${got} argument${got === 1 ? '' : 's'} (expected ${expected})`);
      return num(0);
    };
    const arity = (n: number, build: (args: ExprNode[]) => ExprNode): ExprNode => {
      const args = children();
      return args.length === n ? build(args) : wrongArity(args.length, String(n));
    };

    if (SAME_FUNCTIONS[type]) return arity(1, ([x]) => call(SAME_FUNCTIONS[type], [x]));
    if (RECIPROCAL_FUNCTIONS[type]) return arity(1, ([x]) => bin('/', num(1), call(RECIPROCAL_FUNCTIONS[type], [x])));
    if (INVERSE_RECIPROCAL_FUNCTIONS[type]) return arity(1, ([x]) => call(INVERSE_RECIPROCAL_FUNCTIONS[type], [bin('/', num(1), x)]));
    if (RELATIONS[type]) return relation(RELATIONS[type], children(), scope);
    switch (type) {
      case 'AST_NAME_AVOGADRO':
        return num(AVOGADRO);
      case 'AST_FUNCTION_DELAY':
        return arity(2, ([x, tau]) => call('delay', [x, tau]));
      case 'AST_FUNCTION_RATE_OF':
        return arity(1, ([x]) => call('rateOf', [x]));
      case 'AST_INTEGER':
      case 'AST_REAL':
      case 'AST_REAL_E':
      case 'AST_RATIONAL': {
        const value = node.getValue();
        if (Number.isFinite(value)) return num(value);
        scope.report(`MathML <${Number.isNaN(value) ? 'notanumber' : 'infinity'}/> is not supported`);
        return num(0);
      }
      case 'AST_CONSTANT_E':
        return num(Math.E);
      case 'AST_CONSTANT_PI':
        return num(Math.PI);
      case 'AST_CONSTANT_TRUE':
        return num(1);
      case 'AST_CONSTANT_FALSE':
        return num(0);
      case 'AST_NAME': {
        const resolved = scope.resolve(node.getName().trim());
        if (!('problem' in resolved)) return resolved;
        scope.report(resolved.problem, resolved.kind);
        return num(0);
      }
      case 'AST_NAME_TIME':
        if (scope.time === undefined || scope.time === 'allowed') return ident('t');
        if (scope.time === 'zero') return num(0);
        scope.report(scope.time.notAllowed);
        return num(0);
      case 'AST_PLUS':
        return fold('+', children(), 0);
      case 'AST_TIMES':
        return fold('*', children(), 1);
      case 'AST_MINUS': {
        const args = children();
        if (args.length === 1) return neg(args[0]);
        return args.length === 2 ? bin('-', args[0], args[1]) : wrongArity(args.length, '1 or 2');
      }
      case 'AST_DIVIDE':
        return arity(2, ([a, b]) => bin('/', a, b));
      case 'AST_POWER':
      case 'AST_FUNCTION_POWER':
        return arity(2, ([a, b]) => bin('^', a, b));
      case 'AST_FUNCTION_LOG': // libSBML gives the base first (10 when <logbase> is absent)
        return arity(2, ([base, x]) => (base.type === 'number' && base.value === 10 ? call('log10', [x]) : bin('/', call('log', [x]), call('log', [base]))));
      case 'AST_FUNCTION_ROOT': // the degree first (2 when <degree> is absent)
        return arity(2, ([degree, x]) => (degree.type === 'number' && degree.value === 2 ? call('sqrt', [x]) : bin('^', x, bin('/', num(1), degree))));
      case 'AST_FUNCTION_PIECEWISE': {
        const args = children();
        if (args.length === 1) return args[0];
        return args.length > 1 ? call('piecewise', args) : wrongArity(0, 'at least 1');
      }
      case 'AST_FUNCTION_MAX':
      case 'AST_FUNCTION_MIN': {
        const args = children();
        if (args.length === 1) return args[0];
        return args.length > 1 ? call(type === 'AST_FUNCTION_MAX' ? 'max' : 'min', args) : wrongArity(0, 'at least 1');
      }
      case 'AST_FUNCTION_QUOTIENT':
        return arity(2, ([a, b]) => quotient(a, b));
      case 'AST_FUNCTION_REM':
        return arity(2, ([a, b]) => bin('-', a, bin('*', b, quotient(a, b))));
      case 'AST_LOGICAL_AND':
        return fold('&&', children(), 1);
      case 'AST_LOGICAL_OR':
        return fold('||', children(), 0);
      case 'AST_LOGICAL_NOT':
        return arity(1, ([x]) => not(x));
      case 'AST_LOGICAL_XOR': {
        const args = children();
        return args.length === 0 ? num(0) : args.slice(1).reduce((acc, x) => bin('!=', bin('!=', acc, num(0)), bin('!=', x, num(0))), args[0]);
      }
      case 'AST_LOGICAL_IMPLIES':
        return arity(2, ([a, b]) => bin('||', not(a), b));
      case 'AST_FUNCTION':
        return this.inline(node, children(), scope);
      default:
        scope.report(`MathML <${mathName(node, type)}> is not supported`);
        return num(0);
    }
  }

  /** A call of a function definition: its body with the arguments in place of its bound variables. */
  private inline(node: AstNode, args: ExprNode[], scope: MathScope): ExprNode {
    const id = node.getName().trim();
    const definition = this.functions.get(id);
    if (!definition) {
      scope.report(`call to "${id}", which is not a function definition of the model`, 'sbml');
      return num(0);
    }
    if (this.inlining.includes(id)) {
      scope.report(`function definition "${id}" calls itself (${[...this.inlining, id].join(' → ')})`);
      return num(0);
    }
    const names = Array.from({ length: definition.getNumArguments() }, (_, i) => definition.getArgument(i).getName().trim());
    if (names.length !== args.length) {
      scope.report(`function "${id}" takes ${names.length} argument${names.length === 1 ? '' : 's'} but is called with ${args.length}`);
      return num(0);
    }
    const body = definition.getBody();
    if (!body || body.ptr === 0) {
      scope.report(`function definition "${id}" has no body`);
      return num(0);
    }
    const bound = new Map(names.map((name, i) => [name, args[i]]));
    this.inlining.push(id);
    try {
      return this.convert(body, {
        ...scope,
        resolve: (name) => bound.get(name) ?? { problem: `uses "${name}", which is not one of its arguments`, kind: 'sbml' },
        report: (message, kind) => scope.report(`in function definition "${id}": ${message}`, kind),
      });
    } finally {
      this.inlining.pop();
    }
  }
}

/** Nodes of the tree `root` stands for, counting shared subtrees (inlined arguments) once per use; each node object is visited once. */
function expandedSize(root: ExprNode): number {
  const size = new Map<ExprNode, number>();
  const pending: ExprNode[] = [root];
  while (pending.length > 0) {
    const node = pending[pending.length - 1];
    if (size.has(node)) {
      pending.pop();
      continue;
    }
    const children = childrenOf(node);
    const before = pending.length;
    for (const child of children) if (!size.has(child)) pending.push(child);
    if (pending.length > before) continue;
    size.set(
      node,
      children.reduce((sum, child) => sum + size.get(child)!, 1),
    );
    pending.pop();
  }
  return size.get(root)!;
}

function fold(op: BinaryOp, args: ExprNode[], empty: number): ExprNode {
  return args.length === 0 ? num(empty) : args.slice(1).reduce((acc, x) => bin(op, acc, x), args[0]);
}

/** MathML relations are n-ary: a < b < c means a < b && b < c. */
function relation(op: BinaryOp, args: ExprNode[], scope: MathScope): ExprNode {
  if (args.length < 2 || (op === '!=' && args.length !== 2)) {
    scope.report(`MathML relation "${op}" with ${args.length} argument${args.length === 1 ? '' : 's'}`);
    return num(0);
  }
  const pairs = args.slice(1).map((right, i) => bin(op, args[i], right));
  return pairs.slice(1).reduce((acc, x) => bin('&&', acc, x), pairs[0]);
}

/** MathML quotient: a/b truncated towards zero. */
function quotient(a: ExprNode, b: ExprNode): ExprNode {
  const q = bin('/', a, b);
  return { type: 'conditional', test: bin('>=', q, num(0)), then: call('floor', [q]), otherwise: call('ceil', [q]), pos: 0 };
}

function mathName(node: AstNode, type: string): string {
  const name = node.getName().trim();
  return name || type.replace(/^AST_(FUNCTION_|LOGICAL_|RELATIONAL_)?/, '').toLowerCase();
}
