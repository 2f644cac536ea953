import { describe, expect, it } from 'vitest';
import { differentiate, jacobianExpressions, NotDifferentiableError } from '../../../engine/model/expression/differentiate';
import { evaluateExpression, parseExpression, type ExprNode } from '../../../engine/model/expression';

/** Deterministic uniform numbers in [0, 1) (mulberry32), so failures replay. */
function uniforms(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function valueAt(node: ExprNode, point: Record<string, number>): number {
  return evaluateExpression(node, (name) => {
    if (!Object.hasOwn(point, name)) throw new Error(`unknown name ${name}`);
    return point[name];
  });
}

/** The tree without positions, to compare shapes. */
function shape(node: ExprNode): unknown {
  return JSON.parse(JSON.stringify(node, (key, value) => (key === 'pos' ? undefined : value)));
}

/**
 * Each expression is differentiated with respect to x, y and k and compared,
 * at 40 random points in the given ranges, with the central difference
 * (f(v + δ) − f(v − δ)) / 2δ, δ = 1e-5 · max(1, |v|). Its truncation error is
 * δ² |f'''| / 6 ≈ 1e-10 · |f'''| and its rounding error about 1e-16 |f| / δ ≈
 * 1e-11 |f|, so agreement to 1e-6 relative (to max(1, |f'|)) is a safe bar
 * for smooth functions whose third derivative is moderate on the box; a
 * wrong rule is off by O(1).
 */
const SMOOTH_CASES: Array<{ text: string; ranges?: Partial<Record<'x' | 'y' | 'k', [number, number]>> }> = [
  { text: 'k * x * y - x / (1 + y)' },
  { text: 'x^2 + 3 * x^3 - y^-1' },
  { text: 'x^y' },
  { text: 'pow(x, y) + pow(2, x) + pow(x, 2.5)' },
  { text: '-x + +y - -k' },
  { text: 'exp(x * y) + log(x + y) + log10(k * x)' },
  { text: 'sqrt(x * y + k)' },
  { text: 'sin(x) * cos(y) + tan(x / 2)' },
  { text: 'sinh(x) - cosh(y) + tanh(x * k)' },
  { text: 'asin(x) + acos(y) + atan(k * x)', ranges: { x: [-0.9, 0.9], y: [-0.9, 0.9] } },
  { text: 'asinh(x - y) + acosh(2 + x) + atanh(x * 0.9)', ranges: { x: [-0.9, 0.9] } },
  { text: 'hill(x, k, y)', ranges: { y: [0.5, 4] } },
  { text: 'hill(x, 2, 3) * k' },
  { text: 'x / y / k' },
  { text: '(x + y) * (x - k) / (1 + x * x)' },
];

const KINKED_CASES = [
  'abs(x - y)',
  'min(x, y, k)',
  'max(x * k, y)',
  'floor(x * 3) + ceil(y * 2) + factorial(3) * x',
  'piecewise(x * y, x > y, k * x, k > x, y^2)',
  'piecewise(x, x < k)',
  'x > y ? x * x : y * k',
  '(x < y && k > 1) + (x >= y || k <= 1) + (x == y) + (x != k) + !x',
];

const DEFAULT_RANGE: [number, number] = [0.2, 2.5];

/**
 * Checks d(text)/dname for name in x, y, k at 40 random points each. With
 * `kinks`, a point where the one-sided differences disagree (a kink or jump
 * lies within δ) is skipped, at most twice per name; where the expression
 * is NaN, the derivative must be NaN too.
 */
function checkAgainstCentralDifferences(text: string, ranges: Partial<Record<string, [number, number]>>, seed: number, kinks = false): void {
  const expr = parseExpression(text);
  const next = uniforms(seed);
  for (const name of ['x', 'y', 'k']) {
    const derivative = differentiate(expr, name);
    let skipped = 0;
    for (let sample = 0; sample < 40; sample++) {
      const point: Record<string, number> = {};
      for (const v of ['x', 'y', 'k']) {
        const [lo, hi] = ranges[v] ?? DEFAULT_RANGE;
        point[v] = lo + (hi - lo) * next();
      }
      const delta = 1e-5 * Math.max(1, Math.abs(point[name]));
      const here = valueAt(expr, point);
      const up = valueAt(expr, { ...point, [name]: point[name] + delta });
      const down = valueAt(expr, { ...point, [name]: point[name] - delta });
      const symbolic = valueAt(derivative, point);
      if (Number.isNaN(here)) {
        expect(symbolic, `d(${text})/d${name} where the value is NaN`).toBeNaN();
        continue;
      }
      if (kinks && Math.abs((up - here) / delta - (here - down) / delta) > 1e-3 * Math.max(1, Math.abs(symbolic))) {
        skipped++;
        continue;
      }
      const numeric = (up - down) / (2 * delta);
      expect(Math.abs(symbolic - numeric), `d(${text})/d${name} at ${JSON.stringify(point)}: ${symbolic} vs ${numeric}`).toBeLessThanOrEqual(
        1e-6 * Math.max(1, Math.abs(symbolic)),
      );
    }
    expect(skipped, `points next to a kink of ${text} (d/d${name})`).toBeLessThanOrEqual(2);
  }
}

describe('differentiate', () => {
  it.each(SMOOTH_CASES.map((c, i) => [c.text, c.ranges ?? {}, i] as const))('%s matches central differences at random points', (text, ranges, i) => {
    checkAgainstCentralDifferences(text, ranges, 1000 + i);
  });

  it.each(KINKED_CASES.map((text, i) => [text, i] as const))('%s (piecewise) matches central differences away from the kinks', (text, i) => {
    checkAgainstCentralDifferences(text, {}, 2000 + i, true);
  });

  it('simplifies: 0 and 1 folded, constant factors computed', () => {
    expect(shape(differentiate(parseExpression('k * x * y'), 'x'))).toEqual(shape(parseExpression('k * y')));
    expect(shape(differentiate(parseExpression('x^2'), 'x'))).toEqual(shape(parseExpression('2 * x')));
    expect(shape(differentiate(parseExpression('3 * x^3 + y'), 'x'))).toEqual(shape(parseExpression('3 * (3 * x^2)')));
    expect(shape(differentiate(parseExpression('k * y + exp(y)'), 'x'))).toEqual({ type: 'number', value: 0 });
    expect(shape(differentiate(parseExpression('x'), 'x'))).toEqual({ type: 'number', value: 1 });
    expect(shape(differentiate(parseExpression('x - y'), 'y'))).toEqual({ type: 'number', value: -1 });
    expect(shape(differentiate(parseExpression('x > 1 ? 2 : k'), 'x'))).toEqual({ type: 'number', value: 0 });
  });

  it('keeps the NaN of a piecewise without otherwise where no condition holds', () => {
    const d = differentiate(parseExpression('piecewise(x, x < k)'), 'x');
    expect(valueAt(d, { x: 1, k: 2 })).toBe(1);
    expect(valueAt(d, { x: 3, k: 2 })).toBeNaN();
  });

  it('refuses delay() and rateOf() with NotDifferentiableError, so the caller uses finite differences', () => {
    expect(() => differentiate(parseExpression('k * delay(x, 2)'), 'x')).toThrow(NotDifferentiableError);
    expect(() => differentiate(parseExpression('rateOf(y) + x'), 'x')).toThrow(NotDifferentiableError);
    try {
      differentiate(parseExpression('x + rateOf(y)'), 'x');
    } catch (error) {
      expect((error as NotDifferentiableError).code).toBe('EXPRESSION_NOT_DIFFERENTIABLE');
      expect((error as NotDifferentiableError).details).toEqual({ fn: 'rateOf', pos: 4 });
    }
  });

  it('differentiates a sum of 20,000 terms without overflowing the stack', () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `${i + 1} * x`).join(' + ');
    const d = differentiate(parseExpression(text), 'x');
    expect(valueAt(d, { x: 0.5 })).toBe((20_000 * 20_001) / 2);
  });
});

describe('jacobianExpressions', () => {
  it('gives ∂rhs_i/∂name_j, 0 where a right-hand side does not mention the name', () => {
    // Robertson's rate equations.
    const rhs = ['-0.04 * a + 1e4 * b * c', '0.04 * a - 1e4 * b * c - 3e7 * b^2', '3e7 * b^2'].map(parseExpression);
    const jac = jacobianExpressions(rhs, ['a', 'b', 'c']);
    const point = { a: 0.9, b: 2e-5, c: 0.1 };
    const values = jac.map((row) => row.map((entry) => valueAt(entry, point)));
    const expected = [
      [-0.04, 1e4 * point.c, 1e4 * point.b],
      [0.04, -1e4 * point.c - 6e7 * point.b, -1e4 * point.b],
      [0, 6e7 * point.b, 0],
    ];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(values[i][j]).toBeCloseTo(expected[i][j], 12);
    expect(shape(jac[2][0])).toEqual({ type: 'number', value: 0 });
    expect(shape(jac[2][2])).toEqual({ type: 'number', value: 0 });
  });

  it('throws NotDifferentiableError when a right-hand side uses delay(), even for names it does not mention', () => {
    expect(() => jacobianExpressions([parseExpression('x'), parseExpression('delay(x, 1)')], ['y'])).toThrow(NotDifferentiableError);
  });
});
