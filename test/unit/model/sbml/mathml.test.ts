/**
 * MathML → expression language: every construct in test/fixtures/sbml/mathml.xml
 * (one assignment rule each, x = 2, y = 3) is checked by value against the
 * MathML meaning, as the written rule text parses and evaluates. (Values at
 * t = 0 are the simulator's: the importer writes rules, it does not apply them.) Then printExpression against
 * the parser on random trees: printing adds exactly the parentheses needed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateExpression, parseExpression, type ExprNode, type FunctionName } from '../../../../engine/model';
import { printExpression } from '../../../../engine/model/sbml';
import { importFixture } from './fixtures';

const x = 2;
const y = 3;
const EXPECTED: Record<string, number> = {
  piecewise: 2,
  piecewise_no_otherwise: y,
  log2: 3,
  log10: 3,
  ln: Math.log(y),
  cube_root: 3,
  square_root: Math.sqrt(y),
  sec: 1 / Math.cos(x),
  csc: 1 / Math.sin(x),
  cot: 1 / Math.tan(x),
  sech: 1 / Math.cosh(x),
  csch: 1 / Math.sinh(x),
  coth: 1 / Math.tanh(x),
  xor3: 1, // true xor true xor (y > x)
  chain_lt: 1, // 1 < x < y
  chain_lt_false: 0, // 1 < y < x
  neq: 1,
  not_or: 0,
  implies: 1, // false implies false
  quotient: -3, // -7 / 2 truncated towards zero
  rem: -1, // -7 - 2 · (-3)
  max: 3,
  min: 2,
  constants: Math.E + Math.PI,
  abs_floor_ceiling: 1.5 - 2 + 2,
  exp_power: Math.exp(x) - x ** y,
  numbers: 1 / 4 + 2e-3 - 3,
  unary_minus: -4,
  empty_sum_product: 0 + 1 + y,
  trig: Math.sin(x) + Math.cos(x) + Math.tan(x) + Math.sinh(x) + Math.cosh(x) + Math.tanh(x),
};

describe('MathML constructs', () => {
  let rules = new Map<string, string>();
  beforeAll(async () => {
    const { model } = await importFixture('mathml.xml');
    rules = new Map(model.rules.map((r) => [r.variable ?? '', String(r.expression)]));
  });

  it('covers every rule of the fixture', () => {
    expect([...rules.keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.for(Object.keys(EXPECTED))('%s', (name) => {
    const text = rules.get(name)!;
    const evaluated = evaluateExpression(parseExpression(text), (n) => ({ x, y })[n as 'x' | 'y'] ?? NaN);
    // Relative 1e-14: a few roundings apart at most (e.g. log(8)/log(2), 27^(1/3)).
    expect(evaluated, text).toBeCloseTo(EXPECTED[name], 13);
  });
});

/** mulberry32: a tiny seeded generator, enough to draw test trees. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OPS = ['+', '-', '*', '/', '^', '<', '<=', '>', '>=', '==', '!=', '&&', '||'] as const;
const FUNCTIONS: FunctionName[] = ['exp', 'abs', 'min', 'max', 'piecewise', 'pow'];

function randomTree(rand: () => number, depth: number): ExprNode {
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)];
  const r = rand();
  if (depth === 0 || r < 0.2) {
    return rand() < 0.5
      ? { type: 'identifier', name: pick(['a', 'b', 'c']), pos: 0 }
      : { type: 'number', value: pick([0, 1, 2, 0.5, -3, 1e-7, 2.5e21]), pos: 0 };
  }
  if (r < 0.35) return { type: 'unary', op: pick(['-', '+', '!'] as const), arg: randomTree(rand, depth - 1), pos: 0 };
  if (r < 0.8) return { type: 'binary', op: pick(OPS), left: randomTree(rand, depth - 1), right: randomTree(rand, depth - 1), pos: 0 };
  if (r < 0.9)
    return { type: 'conditional', test: randomTree(rand, depth - 1), then: randomTree(rand, depth - 1), otherwise: randomTree(rand, depth - 1), pos: 0 };
  const fn = pick(FUNCTIONS);
  const arity = fn === 'exp' || fn === 'abs' ? 1 : fn === 'pow' ? 2 : 2 + Math.floor(rand() * 2);
  return { type: 'call', fn, args: Array.from({ length: arity }, () => randomTree(rand, depth - 1)), pos: 0 };
}

/** The tree without positions, a negative number written as minus a number (as the printer writes it). */
function normalise(node: ExprNode): unknown {
  switch (node.type) {
    case 'number':
      return node.value < 0 ? { unary: '-', arg: { number: -node.value } } : { number: node.value };
    case 'identifier':
      return { name: node.name };
    case 'unary':
      return { unary: node.op, arg: normalise(node.arg) };
    case 'binary':
      return { op: node.op, left: normalise(node.left), right: normalise(node.right) };
    case 'call':
      return { call: node.fn, args: node.args.map(normalise) };
    case 'conditional':
      return { test: normalise(node.test), then: normalise(node.then), otherwise: normalise(node.otherwise) };
  }
}

describe('printExpression', () => {
  it('parses back to the same tree, for 2,000 random trees', () => {
    const rand = random(20260126);
    for (let i = 0; i < 2000; i++) {
      const tree = randomTree(rand, 5);
      const text = printExpression(tree);
      expect(normalise(parseExpression(text)), text).toEqual(normalise(tree));
    }
  });

  it('writes only the parentheses the precedences need', () => {
    const p = (text: string) => printExpression(parseExpression(text));
    expect(p('((a*b)+c)')).toBe('a * b + c');
    expect(p('a-(b-c)')).toBe('a - (b - c)');
    expect(p('(a^b)^c')).toBe('(a^b)^c');
    expect(p('a^(b^c)')).toBe('a^b^c');
    expect(p('-(a^2)')).toBe('-a^2');
    expect(p('(-a)^2')).toBe('(-a)^2');
    expect(p('(a<b)==(c>1)')).toBe('(a < b) == (c > 1)');
    expect(p('(a ? b : c) ? d : e')).toBe('(a ? b : c) ? d : e');
    expect(p('a ? b : (c ? d : e)')).toBe('a ? b : c ? d : e');
  });

  it('refuses numbers the language cannot write', () => {
    expect(() => printExpression({ type: 'number', value: Infinity, pos: 0 })).toThrow(RangeError);
  });
});
