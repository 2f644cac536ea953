import { describe, it, expect } from 'vitest';
import { ExpressionSyntaxError } from '../../../engine/errors';
import { emitJs, evaluateExpression, FUNCTION_NAMES, identifiersOf, parseExpression, type ExprNode } from '../../../engine/model/expression';

const VARIABLES = ['x', 'y', 'z'] as const;

/** Value of `text` by tree walking, with the given variable values. */
function valueOf(text: string, vars: Record<string, number> = {}): number {
  return evaluateExpression(parseExpression(text), (name) => {
    if (!Object.hasOwn(vars, name)) throw new Error(`unknown name ${name}`);
    return vars[name];
  });
}

/** Emits `node` with x, y, z resolved to v0, v1, v2. */
function emitWithSlots(node: ExprNode): string {
  return emitJs(node, (name) => {
    const slot = VARIABLES.indexOf(name as (typeof VARIABLES)[number]);
    if (slot < 0) throw new Error(`unknown name ${name}`);
    return `v${slot}`;
  });
}

/** Compiles `text` to a JS function of (x, y, z) the way the simulator's code generator will. */
function compile(text: string): (x: number, y: number, z: number) => number {
  return new Function('v0', 'v1', 'v2', `return ${emitWithSlots(parseExpression(text))};`) as (x: number, y: number, z: number) => number;
}

function syntaxErrorOf(text: string): ExpressionSyntaxError {
  try {
    parseExpression(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionSyntaxError);
    return error as ExpressionSyntaxError;
  }
  throw new Error(`expected '${text}' not to parse`);
}

/** Mulberry32: small seeded generator so the random inputs are the same on every run. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('precedence and associativity', () => {
  it.each([
    ['2^3^2', 512],
    ['2**3**2', 512],
    ['-2^2', -4],
    ['(-2)^2', 4],
    ['-2^-2', -0.25],
    ['2^-1', 0.5],
    ['2*3+4', 10],
    ['2+3*4', 14],
    ['(1+2)*3', 9],
    ['10-4-3', 3],
    ['64/4/2', 8],
    ['2*-3', -6],
    ['--3', 3],
    ['- -3', 3],
    ['+3', 3],
    ['2*3^2', 18],
    ['1 + 2 < 4', 1],
    ['1 + 2 > 4', 0],
    ['3 <= 3', 1],
    ['3 >= 4', 0],
    ['2 == 2', 1],
    ['2 != 2', 0],
    ['1 < 2 && 3 > 4', 0],
    ['1 < 2 || 3 > 4', 1],
    ['0 || 2', 1],
    ['0 && 2', 0],
    ['1 || 0 && 0', 1],
    ['(1 || 0) && 0', 0],
    ['!0', 1],
    ['!3', 0],
    ['!0 + 1', 2],
    ['1 ? 2 : 3', 2],
    ['0 ? 2 : 3', 3],
    ['0 ? 1 : 0 ? 2 : 3', 3],
    ['1 ? 0 ? 4 : 5 : 6', 5],
    ['1 - 1 ? 7 : 8', 8],
    ['1 < 2 ? 10 : 20', 10],
    ['(1 < 2) < 3', 1],
  ])('%s = %d', (text, expected) => {
    expect(valueOf(text)).toBe(expected);
  });

  it('unary minus applies to the power, not its base', () => {
    expect(valueOf('-x^2', { x: 3 })).toBe(-9);
    expect(parseExpression('-x^2')).toEqual({
      type: 'unary',
      op: '-',
      pos: 0,
      arg: {
        type: 'binary',
        op: '^',
        pos: 2,
        left: { type: 'identifier', name: 'x', pos: 1 },
        right: { type: 'number', value: 2, pos: 3 },
      },
    });
  });

  it('records operator, function-name and ? positions', () => {
    expect(parseExpression('a ? hill(b, K, n) : c')).toEqual({
      type: 'conditional',
      pos: 2,
      test: { type: 'identifier', name: 'a', pos: 0 },
      then: {
        type: 'call',
        fn: 'hill',
        pos: 4,
        args: [
          { type: 'identifier', name: 'b', pos: 9 },
          { type: 'identifier', name: 'K', pos: 12 },
          { type: 'identifier', name: 'n', pos: 15 },
        ],
      },
      otherwise: { type: 'identifier', name: 'c', pos: 20 },
    });
  });

  it('parses rate laws as written by users', () => {
    expect(valueOf('alpha1/(1+V^beta)', { alpha1: 10, V: 2, beta: 2 })).toBe(2);
    expect(valueOf('k*X*(X-1)/vol', { k: 0.5, X: 4, vol: 2 })).toBe(3);
  });
});

describe('number formats', () => {
  it.each([
    ['12', 12],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['1.', 1],
    ['1e-3', 0.001],
    ['2.5E+4', 25000],
    ['1E3', 1000],
    ['007', 7],
    ['0.1', 0.1],
    ['1e400', Infinity],
  ])('%s reads as %d', (text, expected) => {
    expect(valueOf(text)).toBe(expected);
  });

  it.each([0.1, 1 / 3, 5e-324, 1.7976931348623157e308, 1e21, 1.2345678901234566e-7, 123456789, -2.5, -0, NaN, Infinity, -Infinity])(
    'emits %d so that it reads back as the same double',
    (value) => {
      const js = emitJs({ type: 'number', value, pos: 0 }, () => 'unused');
      expect(Object.is(new Function(`return ${js};`)(), value)).toBe(true);
      // Signed and exponent forms are wrapped, so they are safe next to any operator.
      expect(new Function(`return 2-${js};`)()).toBe(2 - value);
    },
  );
});

describe('functions', () => {
  it('exposes the whitelist', () => {
    expect([...FUNCTION_NAMES].sort()).toEqual([
      'abs',
      'acos',
      'acosh',
      'asin',
      'asinh',
      'atan',
      'atanh',
      'ceil',
      'cos',
      'cosh',
      'delay',
      'exp',
      'factorial',
      'floor',
      'hill',
      'log',
      'log10',
      'max',
      'min',
      'piecewise',
      'pow',
      'rateOf',
      'sin',
      'sinh',
      'sqrt',
      'tan',
      'tanh',
    ]);
  });

  it.each(['exp', 'log', 'log10', 'sqrt', 'abs', 'floor', 'ceil', 'sin', 'cos', 'tan', 'tanh', 'sinh', 'cosh'] as const)('%s matches Math.%s', (name) => {
    for (const x of [0.7, 2.5, -1.25, 0]) {
      expect(Object.is(valueOf(`${name}(x)`, { x }), Math[name](x))).toBe(true);
    }
  });

  it.each([
    ['pow(2, 10)', 1024],
    ['pow(4, 0.5)', 2],
    ['min(3, 1, 2)', 1],
    ['max(3, 1, 2)', 3],
    ['min(4, -4)', -4],
    ['max(4, -4)', 4],
    ['log(1)', 0],
    ['log10(1000)', 3],
    ['sqrt(16)', 4],
    ['abs(-3)', 3],
    ['floor(-1.5)', -2],
    ['ceil(-1.5)', -1],
    ['exp(0)', 1],
  ])('%s = %d', (text, expected) => {
    expect(valueOf(text)).toBe(expected);
  });

  it('hill(x, K, n) = x^n/(K^n+x^n)', () => {
    expect(valueOf('hill(2, 2, 4)')).toBe(0.5);
    expect(valueOf('hill(0, 1, 2)')).toBe(0);
    expect(valueOf('hill(5, 0, 2)')).toBe(1);
    for (const x of [0.1, 1, 3.7, 20]) {
      for (const K of [0.5, 2, 10]) {
        for (const n of [1, 2, 3.5]) {
          const definition = Math.pow(x, n) / (Math.pow(K, n) + Math.pow(x, n));
          // Computed as 1/(1+(K/x)^n): a few rounding steps differ, so allow a few ulps.
          expect(valueOf('hill(x, K, n)', { x, K, n })).toBeCloseTo(definition, 14);
        }
      }
    }
  });

  it('hill does not overflow when x and K are large', () => {
    expect(valueOf('hill(1e200, 1e200, 2)')).toBe(0.5);
  });

  it.each([
    ['piecewise(10, 0, 20, 1, 30)', 20],
    ['piecewise(10, 1, 20, 1, 30)', 10],
    ['piecewise(10, 0, 20, 0, 30)', 30],
    ['piecewise(5, 1)', 5],
    ['piecewise(5, 2 > 1, 6)', 5],
    ['piecewise(5, 2 < 1, 6)', 6],
  ])('%s = %d', (text, expected) => {
    expect(valueOf(text)).toBe(expected);
    expect(compile(text)(0, 0, 0)).toBe(expected);
  });

  it.each(['piecewise(10, 0)', 'piecewise(10, 0, 20, 0)'])('%s with no true condition and no otherwise is NaN', (text) => {
    expect(valueOf(text)).toBeNaN();
    expect(compile(text)(0, 0, 0)).toBeNaN();
  });
});

describe('emitJs agrees with evaluateExpression', () => {
  const expressions = [
    'x + y',
    'x - y - 1',
    'x*y/(1+x)',
    'x^2',
    'x^3',
    'x**3',
    '2^2',
    '(x+y)^2',
    '(x+y)^3',
    'y^2.5',
    'x^y',
    '-x^2',
    '2^-x',
    '-(-x)',
    '+x',
    '!x',
    'exp(-x)',
    'log(abs(x)+1)',
    'log10(x)',
    'sqrt(abs(y))',
    'pow(x, 3)',
    'min(x, y, 0)',
    'max(x, y)',
    'floor(x) + ceil(y)',
    'sin(x)*cos(y) + tan(x)',
    'tanh(x) - sinh(y)/cosh(x)',
    'hill(abs(x), 2, 3)',
    'hill(x, y, 2)',
    'piecewise(x, x > y, y, y > 0, 0)',
    'piecewise(1, x < 0)',
    'x > y ? x - y : y - x',
    'x ? y : z',
    'x < 0 || y < 0',
    '!(x > 0) && y != 0',
    'x == y',
    'x <= y',
    'x >= y',
    'z*x*(x-1)/2',
    '1e-7*x + 2.5E+4*y - .5',
    'x/0',
  ];
  const special = [0, -0, 1, -1, 2, 0.5, NaN, Infinity, -Infinity];
  const random = seededRandom(20240611);
  const inputs: [number, number, number][] = [];
  for (const x of special) for (const y of special) inputs.push([x, y, special[inputs.length % special.length]]);
  for (let i = 0; i < 300; i++) inputs.push([random() * 10 - 5, random() * 10 - 5, Math.floor(random() * 6) - 2]);

  it.each(expressions)('%s', (text) => {
    const fn = compile(text);
    for (const [x, y, z] of inputs) {
      // Exact equality (Object.is, so NaN = NaN and 0 != -0): both sides perform
      // the same IEEE operations in the same order, so no tolerance is needed.
      const expected = valueOf(text, { x, y, z });
      const actual = fn(x, y, z);
      if (!Object.is(actual, expected)) throw new Error(`${text} at x=${x}, y=${y}, z=${z}: js ${actual}, tree ${expected}`);
    }
  });

  it('expands small literal powers of names and numbers, and uses Math.pow otherwise', () => {
    expect(emitWithSlots(parseExpression('x^2'))).toBe('(v0*v0)');
    expect(emitWithSlots(parseExpression('x^3'))).toBe('(v0*v0*v0)');
    expect(emitWithSlots(parseExpression('(x+1)^2'))).toBe('Math.pow((v0+1),2)');
    expect(emitWithSlots(parseExpression('x^4'))).toBe('Math.pow(v0,4)');
  });

  it('emits comparisons and logic as 1/0 and conditions as nonzero tests', () => {
    expect(emitWithSlots(parseExpression('x < y'))).toBe('(v0<v1?1:0)');
    expect(emitWithSlots(parseExpression('x == y'))).toBe('(v0===v1?1:0)');
    expect(emitWithSlots(parseExpression('x && y'))).toBe('(v0!==0&&v1!==0?1:0)');
    expect(emitWithSlots(parseExpression('x ? y : z'))).toBe('(v0!==0?v1:v2)');
  });
});

describe('user text never reaches the emitted code', () => {
  const allowedWords = new Set(['Math.pow', 'Math.max', 'v0', 'v1', 'v2']);

  it('sends every identifier, even constructor or __proto__, through the resolver', () => {
    const seen: [string, number][] = [];
    const names = ['constructor', '__proto__', 'this', 'Math'];
    const js = emitJs(parseExpression('constructor + __proto__*this - Math'), (name, pos) => {
      seen.push([name, pos]);
      return `v${names.indexOf(name)}`;
    });
    expect(seen).toEqual([
      ['constructor', 0],
      ['__proto__', 14],
      ['this', 24],
      ['Math', 31],
    ]);
    expect(js).toBe('((v0+(v1*v2))-v3)');
    expect(new Function('v0', 'v1', 'v2', 'v3', `return ${js};`)(1, 2, 3, 4)).toBe(3);
  });

  it.each(['constructor(1)', '__proto__(1)', 'toString(1)', 'hasOwnProperty(x)', 'eval(1)'])('%s is an unknown function', (text) => {
    expect(syntaxErrorOf(text).message).toContain('unknown function');
  });

  it('re-prints numbers from their value rather than copying the text', () => {
    expect(emitWithSlots(parseExpression('007 + 1.50 + 1E3 + .5'))).toBe('(((7+1.5)+1000)+0.5)');
  });

  it('emits only operators, numbers, Math functions and resolved names', () => {
    const text = 'hill(x, y, 2) + piecewise(x, x > y, 3) - max(x, y, z) ^ 2 * (x ? !y : -z) / 1e-9 && x <= 2 || y != 3';
    const js = emitWithSlots(parseExpression(text));
    // Numbers are consumed first so the `e` of `1e-9` is not taken for a name.
    const tokens = js.match(/\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?|[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*/g) ?? [];
    const words = tokens.filter((token) => /^[A-Za-z_$]/.test(token));
    expect(words.length).toBeGreaterThan(0);
    for (const word of words) expect(allowedWords).toContain(word);
    expect(js).toMatch(/^[\w$.()+\-*/<>=!?:,&|]*$/);
  });

  it('wraps resolver output that is not a single operand', () => {
    expect(emitJs(parseExpression('x*2'), () => '1+1')).toBe('((1+1)*2)');
    expect(emitJs(parseExpression('x*2'), () => 'p[2]')).toBe('(p[2]*2)');
  });

  it('propagates resolver errors', () => {
    expect(() =>
      emitJs(parseExpression('k*unknown'), (name) => {
        if (name !== 'k') throw new Error(`no such name: ${name}`);
        return 'k';
      }),
    ).toThrow('no such name: unknown');
  });
});

describe('identifiersOf', () => {
  it('maps each name to its first position, in order of appearance', () => {
    expect([...identifiersOf(parseExpression('k*X*(X-1)/vol'))]).toEqual([
      ['k', 0],
      ['X', 2],
      ['vol', 10],
    ]);
  });

  it('skips function names and finds names inside calls and conditionals', () => {
    expect([...identifiersOf(parseExpression('exp(a) + hill(b, K, n) + (c ? d : a)'))]).toEqual([
      ['a', 4],
      ['b', 14],
      ['K', 17],
      ['n', 20],
      ['c', 26],
      ['d', 30],
    ]);
    expect(identifiersOf(parseExpression('1 + 2')).size).toBe(0);
  });
});

describe('syntax errors', () => {
  it.each([
    ['k*(X+1', 2, "unbalanced parenthesis: '(' is never closed"],
    ['max(1, 2', 3, "unbalanced parenthesis: '(' is never closed"],
    ['(a+b))', 5, "unbalanced parenthesis: ')' has no matching '('"],
    ['k**', 3, "unexpected end of expression: expected an operand (number, name or '(')"],
    ['2*)', 2, "expected an operand (number, name or '(') but found ')'"],
    ['*2', 0, "expected an operand (number, name or '(') but found '*'"],
    ['exp(1,)', 6, "expected an operand (number, name or '(') but found ')'"],
    ['a b', 2, "expected an operator or end of expression but found name 'b'"],
    ['2x', 1, "expected an operator or end of expression but found name 'x'"],
    ['a + (b c)', 7, "expected ')' or an operator but found name 'c'"],
    ['max(1 2)', 6, "expected ',' or ')' in the call to 'max' but found number '2'"],
    ['', 0, "empty expression: expected an operand (number, name or '(')"],
    ['   ', 0, "empty expression: expected an operand (number, name or '(')"],
    ['$', 0, "unexpected character '$'"],
    ['x @ y', 2, "unexpected character '@'"],
    ['.', 0, "unexpected character '.'"],
    ['a.b', 1, "unexpected character '.'"],
    ['a = b', 2, "unexpected character '='; use '==' to compare"],
    ['a & b', 2, "unexpected character '&'; use '&&' for 'and'"],
    ['a | b', 2, "unexpected character '|'; use '||' for 'or'"],
    ['1.2.3', 3, "malformed number '1.2.3': unexpected '.'"],
    ['1..2', 2, "malformed number '1..2': unexpected '.'"],
    ['1e', 2, "malformed number '1e': expected digits after the exponent 'e'"],
    ['2.5E+', 5, "malformed number '2.5E+': expected digits after the exponent 'E'"],
    ['pow(1)', 0, "function 'pow' takes exactly 2 arguments but was given 1"],
    ['2 + exp()', 4, "function 'exp' takes exactly 1 argument but was given 0"],
    ['min(1)', 0, "function 'min' takes at least 2 arguments but was given 1"],
    ['hill(1, 2)', 0, "function 'hill' takes exactly 3 arguments but was given 2"],
    ['piecewise(1)', 0, "function 'piecewise' takes at least 2 arguments but was given 1"],
    ['log(2, 8)', 0, "function 'log' takes exactly 1 argument but was given 2; log(x) is the natural logarithm"],
    ['a ? b', 5, "unexpected end of expression: expected ':' of the conditional started by '?' at column 3"],
    ['a ? b , c', 6, "expected ':' of the conditional started by '?' at column 3 but found ','"],
    ['0 < x < 1', 6, "comparisons cannot be chained; write 'a < b && b < c'"],
    ['x == y != z', 7, "comparisons cannot be chained; write 'a == b && b != c'"],
  ])('%j fails at %d: %s', (text, position, message) => {
    const error = syntaxErrorOf(text);
    expect(error.position).toBe(position);
    expect(error.message).toContain(message);
  });

  it('lists the allowed functions when a function is unknown', () => {
    const error = syntaxErrorOf('2*foo(1)');
    expect(error.position).toBe(2);
    expect(error.message).toBe(`unknown function 'foo'; allowed functions are ${FUNCTION_NAMES.join(', ')} at column 3 of "2*foo(1)"`);
    for (const name of FUNCTION_NAMES) expect(error.message).toContain(name);
  });

  it('refuses absurd nesting with a syntax error instead of a stack overflow', () => {
    const text = '('.repeat(10_000) + '1' + ')'.repeat(10_000);
    const error = syntaxErrorOf(text);
    expect(error.position).toBe(256);
    expect(error.message).toContain('expression nested too deeply (more than 256 levels)');
    expect(valueOf('('.repeat(200) + '1' + ')'.repeat(200))).toBe(1);
    expect(valueOf('-'.repeat(200) + '1')).toBe(1);
  });

  it('carries a stable code and the text', () => {
    const error = syntaxErrorOf('k*(X+1');
    expect(error.code).toBe('EXPRESSION_SYNTAX');
    expect(error.details).toEqual({ text: 'k*(X+1', position: 2 });
    expect(error.message).toBe(`unbalanced parenthesis: '(' is never closed at column 3 of "k*(X+1"`);
  });
});
