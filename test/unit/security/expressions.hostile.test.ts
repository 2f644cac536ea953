/**
 * Security issue #13, bounded work: hostile expressions are refused (or
 * handled) with issues that name the field and column, in bounded time, and
 * never by a stack overflow or a hang.
 *
 * Why these inputs: a rate that is a sum of 10,000 terms, or 5,000 nested
 * `?:`, used to overflow the stack (the CLI exited 1 even in `validate`);
 * `"1e309"` and `"1/0"` validated and then made the SSA spin forever.
 * Left-associative chains (sums, products, && and ||) of any length are legal:
 * every walk of the tree is iterative and long chains are emitted flat, so
 * they validate, compile and simulate. True nesting (brackets, unary
 * operators, powers, `?:`, calls) is refused beyond MAX_NESTING levels.
 */
import { describe, expect, it } from 'vitest';
import { EngineError, ModelValidationError, type ValidationIssue } from '../../../engine/errors';
import { compileNetwork, emitJs, evaluateExpression, MAX_NESTING, parseExpression, validateModel, type ReactionNetworkInput } from '../../../engine/model';
import { findNestedDeeperThan } from '../../../engine/model/expression/emitJs';
import { printExpression } from '../../../engine/model/sbml';
import type { AstNode, FunctionDefinition, LibsbmlModule } from '../../../engine/model/sbml/libsbml';
import { MathConverter, MAX_EXPANDED_NODES, type MathScope } from '../../../engine/model/sbml/mathml';
import { deriveStreamState } from '../../../engine/sample';
import { createSimulator, uniformTimeGrid } from '../../../engine/simulate';

/** A model whose reaction 0 has `propensity`; X and k are declared. */
function withPropensity(propensity: string): ReactionNetworkInput {
  return {
    species: [{ id: 'X', initial: 10 }],
    parameters: [{ id: 'k', value: 0.5 }],
    reactions: [{ id: 'R', reactants: { X: 1 }, propensity }],
  };
}

/** The issues validateModel reports; fails the test if it throws anything but a ModelValidationError. */
function issuesOf(model: unknown): ValidationIssue[] {
  try {
    validateModel(model);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelValidationError);
    return (error as ModelValidationError).issues;
  }
  throw new Error('expected the model to be invalid');
}

const terms = (n: number, term: (i: number) => string, op = ' + ') => Array.from({ length: n }, (_, i) => term(i)).join(op);
const nestedConditionals = (n: number) => `${terms(n, (i) => `X > ${i + 1} ? ${i + 1}`, ' : ')} : 0`;
const TOO_DEEP = `expression nested too deeply (more than ${MAX_NESTING} levels)`;

describe('long chains are legal and stay iterative end to end', () => {
  it('a 10,000-term sum with unknown names gives issues (capped), not a RangeError, in well under a second', () => {
    const started = performance.now();
    const issues = issuesOf(withPropensity(terms(10_000, (i) => `y${i}`)));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(issues.every((i) => i.path === 'reactions[0].propensity')).toBe(true);
    expect(issues[0].message).toMatch(/^unknown name "y0" at column 1 of "y0 \+ y1 \+ .*…" \(\d+ characters\); expected a species/);
    // 20 named, the rest summed up: the message stays small however many names are wrong.
    expect(issues).toHaveLength(21);
    expect(issues[20].message).toBe('and 9980 more names that are not allowed here');
    expect(issues.reduce((n, i) => n + i.message.length, 0)).toBeLessThan(10_000);
  });

  it('a valid 10,000-term sum validates, compiles to flat code and simulates exactly', () => {
    const text = terms(10_000, () => 'k*X');
    const model = validateModel(withPropensity(text));
    const tree = parseExpression(text);
    const js = emitJs(tree, (name) => (name === 'k' ? 'k' : 'X'));
    expect(js.startsWith('((k*X)+(k*X)+')).toBe(true);
    const fn = new Function('k', 'X', `return ${js};`) as (k: number, x: number) => number;
    // Same IEEE operations in the same order as the tree walk, so exactly equal.
    expect(fn(0.1, 3)).toBe(evaluateExpression(tree, (name) => (name === 'k' ? 0.1 : 3)));
    // With k = 1e-5 the sum is a decay at rate 0.1: X(1) = 10 e^-0.1 for the ODE (rtol 1e-6), a count <= 10 otherwise.
    const network = compileNetwork(model);
    for (const method of ['ssa', 'tau', 'ode'] as const) {
      const simulator = createSimulator(network, method);
      const grid = uniformTimeGrid(1, 3);
      const out = new Float64Array(grid.length);
      simulator.simulateInto(out, grid, Float64Array.of(1e-5), deriveStreamState(1, 0));
      expect(out[0]).toBe(10);
      if (method === 'ode') expect(out[2]).toBeCloseTo(10 * Math.exp(-0.1), 4);
      else expect(Number.isInteger(out[2]) && out[2] <= 10).toBe(true);
    }
  });

  it('chains of 30,000 terms of every chaining operator parse, evaluate and emit code V8 can parse', () => {
    // V8 gives up on about 1,600 nested brackets; 30,000 written one bracket per operator would fail.
    for (const op of [' + ', ' - ', ' * ', ' / ', ' && ', ' || ']) {
      const text = terms(30_000, (i) => (i % 3 === 0 ? 'x' : i % 3 === 1 ? '1.25' : '(x - 1)'), op);
      const tree = parseExpression(text);
      const js = emitJs(tree, () => 'x');
      const fn = new Function('x', `return ${js};`) as (x: number) => number;
      // printExpression (SBML import) writes it back as text that parses to the same tree: same values.
      const reread = parseExpression(printExpression(tree));
      for (const x of [1, 0, -0, 1.0001, Number.NaN]) {
        expect(
          Object.is(
            fn(x),
            evaluateExpression(tree, () => x),
          ),
          `${op} at ${x}`,
        ).toBe(true);
        expect(
          Object.is(
            evaluateExpression(reread, () => x),
            evaluateExpression(tree, () => x),
          ),
          `${op} at ${x}`,
        ).toBe(true);
      }
    }
  });

  it('chains just below and above the flat-writing threshold give the same bits as the tree walk', () => {
    // Mixed operators of one group (+ and -, * and /, && with ||-free terms): written flat, the order of IEEE operations must not change.
    const random = (() => {
      let a = 20_240_611;
      return () => (a = (Math.imul(a, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296;
    })();
    const groups = [['+', '-'], ['*', '/'], ['&&'], ['||']];
    for (const ops of groups) {
      for (let n = 1; n <= 24; n++) {
        const operands = Array.from({ length: n + 1 }, (_, i) => (i % 2 === 0 ? 'x' : `(y - ${i})`));
        const text = operands.reduce((acc, operand) => `${acc} ${ops[Math.floor(random() * ops.length)]} ${operand}`);
        const tree = parseExpression(text);
        const fn = new Function('x', 'y', `return ${emitJs(tree, (name) => name)};`) as (x: number, y: number) => number;
        for (let k = 0; k < 20; k++) {
          const x = random() * 4 - 2;
          const y = Math.floor(random() * 8);
          const expected = evaluateExpression(tree, (name) => (name === 'x' ? x : y));
          expect(Object.is(fn(x, y), expected), `${text} at x=${x}, y=${y}`).toBe(true);
        }
      }
    }
  });

  it('a chain of 10,000 assignment rules validates and compiles; a cycle in it is reported once', () => {
    const n = 10_000;
    const parameters = Array.from({ length: n + 1 }, (_, i) => ({ id: `p${i}`, value: 1 }));
    const rules = Array.from({ length: n }, (_, i) => ({ variable: `p${i}`, expression: `p${i + 1} + 1` }));
    const model: ReactionNetworkInput = {
      species: [{ id: 'X', initial: 5 }],
      parameters,
      reactions: [{ id: 'R', reactants: { X: 1 }, propensity: 'p0*X*1e-4' }],
      rules,
    };
    const network = compileNetwork(validateModel(model));
    expect(network.rules.map((r) => r.variable.index).slice(0, 2)).toEqual([n - 1, n - 2]);
    expect(network.reactions[0].readsParameters).toHaveLength(n + 1);

    const cyclic = { ...model, rules: [...rules, { variable: `p${n}`, expression: 'p0' }] };
    const issues = issuesOf(cyclic);
    expect(issues).toHaveLength(1);
    expect(issues[0].message).toBe(
      `assignment rules form a cycle: p0 → p1 → p2 → p3 → p4 → p5 → p6 → p7 → p8 → p9 → … 9982 more … → ${terms(9, (i) => `p${9992 + i}`, ' → ')} → p0`,
    );
  });
});

describe('nesting deeper than MAX_NESTING is refused with the field and the column', () => {
  it('5,000 nested ?: give a ModelValidationError naming the field and column', () => {
    const text = nestedConditionals(5000);
    const started = performance.now();
    const issues = issuesOf(withPropensity(text));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('reactions[0].propensity');
    const match = /^expression nested too deeply \(more than 256 levels\) at column (\d+) of "…(.*)…" \(\d+ characters\)$/.exec(issues[0].message);
    expect(match).not.toBeNull();
    // Level 257 starts at the operand after the 256th `X >`.
    const column = Number(match![1]);
    expect(text.slice(column - 1).startsWith('256 ? 256 :')).toBe(true);
  });

  it.each([
    ['brackets', `${'('.repeat(5000)}X${')'.repeat(5000)}`],
    ['unary minus', `${'-'.repeat(5000)}X`],
    ['logical not', `${'!'.repeat(5000)}X`],
    ['a power tower (right-associative)', terms(5000, () => 'X', '^')],
    ['nested calls', `${'exp('.repeat(5000)}X${')'.repeat(5000)}`],
    ['right-nested sums', `${terms(5000, () => 'X + (', '')}X${')'.repeat(4999)}`],
    ['nested ?: in the then branch', `${terms(5000, () => 'X ? (', '')}1${' : 0)'.repeat(4999)} : 0`],
    ['hill inside hill (3 levels of code each)', `${'hill('.repeat(100)}X${', 2, 3)'.repeat(100)}`],
    ['a piecewise of 300 cases (one conditional each)', `piecewise(${terms(300, (i) => `${i}, X > ${i}`, ', ')}, 0)`],
    // Chains of up to 8 operators are written with one bracket each: 60 of them, each on the left of the next, are 480 levels of code.
    ['short chains nested on their left', Array.from({ length: 60 }).reduce<string>((inner) => `(${inner}) * 2 + X + X + X + X + X + X + X`, 'X')],
  ])('%s', (_, text) => {
    const issues = issuesOf(withPropensity(text));
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('reactions[0].propensity');
    expect(issues[0].message).toContain(TOO_DEEP);
    expect(issues[0].message).toMatch(/at column \d+ of "/);
    expect(issues[0].message.length).toBeLessThan(300);
  });

  it('nesting within the limit still compiles: generated code never nests deeper than the limit', () => {
    const fine = [
      `${'('.repeat(250)}X${')'.repeat(250)}`,
      `${'-'.repeat(250)}X`,
      `${'hill('.repeat(80)}X${', 2, 3)'.repeat(80)}`,
      `piecewise(${terms(200, (i) => `${i}, X > ${i}`, ', ')}, 0)`,
      nestedConditionals(120),
      terms(200, () => 'X', '^'),
    ];
    for (const text of fine) {
      const tree = parseExpression(text);
      const js = emitJs(tree, () => 'x');
      expect(bracketDepth(js), text.slice(0, 40)).toBeLessThanOrEqual(MAX_NESTING);
      expect(() => new Function('x', `return ${js};`)).not.toThrow();
      compileNetwork(validateModel(withPropensity(text)));
    }
  });

  it('the nesting estimate is never below the depth of the emitted code', () => {
    const texts = [
      'k*X',
      'X + X + X',
      terms(8, () => 'X'),
      terms(9, () => 'X'),
      terms(40, () => '(X - 1)', ' * '),
      'hill(X, k, 2) + piecewise(1, X > 1, X < 2, 3, 4)',
      '!(X > 1) && (X < 3 || X == 2) && X != 7',
      `(${terms(20, () => 'X')}) / (${terms(3, () => 'k')})`,
      '-X^2 ^ 3 + 1e-7 - (-0)',
      nestedConditionals(30),
    ];
    for (const text of texts) {
      const tree = parseExpression(text);
      const depth = bracketDepth(emitJs(tree, () => 'x'));
      expect(findNestedDeeperThan(tree, depth - 1), text).not.toBeNull();
    }
  });

  it('a call with more than 10,000 arguments is refused; 5,000 are fine', () => {
    const issues = issuesOf(withPropensity(`max(${terms(10_001, () => 'X', ', ')})`));
    expect(issues[0].message).toMatch(/^a call takes at most 10000 arguments at column 1 of/);
    const tree = parseExpression(`max(${terms(5000, (i) => `X - ${i}`, ', ')})`);
    const fn = new Function('x', `return ${emitJs(tree, () => 'x')};`) as (x: number) => number;
    expect(fn(7)).toBe(7);
  });
});

describe('validateModel throws nothing but engine errors on hostile fields', () => {
  const hostile = [
    terms(20_000, () => 'X'),
    nestedConditionals(5000),
    `${'('.repeat(20_000)}1${')'.repeat(20_000)}`,
    terms(20_000, () => 'X', '^'),
    '1e309',
    '1/0',
    ')'.repeat(1000),
  ];
  const placements: Array<[string, (text: string) => unknown]> = [
    ['rate', (text) => ({ ...withPropensity('X'), reactions: [{ id: 'R', reactants: { X: 1 }, rate: text }] })],
    ['propensity', (text) => withPropensity(text)],
    ['initial', (text) => ({ ...withPropensity('X'), species: [{ id: 'X', initial: text }] })],
    ['rule', (text) => ({ ...withPropensity('X'), rules: [{ variable: 'k', expression: text }] })],
    ['trigger', (text) => ({ ...withPropensity('X'), events: [{ id: 'e', trigger: text, assignments: { X: '1' } }] })],
    ['assignment', (text) => ({ ...withPropensity('X'), events: [{ id: 'e', trigger: 'X < 2', assignments: { X: text } }] })],
  ];

  it.each(placements)('in a %s', (_, place) => {
    for (const text of hostile) {
      let thrown: unknown = null;
      try {
        validateModel(place(text));
      } catch (error) {
        thrown = error;
      }
      // Some are legal (a long sum of X is a fine propensity); none may escape as anything but an EngineError.
      if (thrown !== null) expect(thrown, text.slice(0, 30)).toBeInstanceOf(EngineError);
    }
  });
});

describe('non-finite numbers are refused with the field named', () => {
  it.each([
    ['1e309', 'reactions[0].propensity', /^the number at column 1 of "1e309" is Infinity \(too large for a double\); expected a finite value$/],
    ['X * 1e400', 'reactions[0].propensity', /^the number at column 5 of "X \* 1e400" is Infinity/],
    ['1/0', 'reactions[0].propensity', /^the constant part at column 2 of "1\/0" is Infinity; expected a finite value$/],
    ['0/0', 'reactions[0].propensity', /^the constant part at column 2 of "0\/0" is NaN/],
    ['X + exp(1000)', 'reactions[0].propensity', /^the constant part at column 5 of "X \+ exp\(1000\)" is Infinity/],
    ['k * log(0)', 'reactions[0].propensity', /^the constant part at column 5 of "k \* log\(0\)" is -Infinity/],
    ['X > 1 ? X : -1/0', 'reactions[0].propensity', /is -Infinity/],
  ])('propensity %j', (text, path, message) => {
    const issues = issuesOf(withPropensity(text));
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe(path);
    expect(issues[0].message).toMatch(message);
  });

  it('constants are refused in every expression field, with its path', () => {
    const model = {
      species: [{ id: 'X', initial: '1/0' }],
      parameters: [{ id: 'k', value: 1 }],
      reactions: [{ id: 'R', reactants: { X: 1 }, rate: '1e309' }],
      rules: [{ variable: 'k', expression: '0/0' }],
      events: [{ id: 'e', trigger: 'X > 1/0', assignments: { X: 'exp(999)' } }],
    };
    // The rate is refused first; expressions of rules and events are checked once reactions are sound.
    expect(issuesOf(model).map((i) => i.path)).toEqual(['reactions[0].rate']);
    const paths = issuesOf({ ...model, reactions: [{ id: 'R', reactants: { X: 1 }, rate: 'k' }], rules: [{ variable: 'k', expression: '0/0 + X' }] }).map(
      (i) => i.path,
    );
    expect(paths).toEqual(expect.arrayContaining(['species[0].initial', 'rules[0].expression', 'events[0].trigger', 'events[0].assignments.X']));
  });

  it.each([
    ['parameters[0].value', (m: Record<string, unknown>) => (m.parameters = [{ id: 'k', value: Infinity }]), /expected a finite number, got Infinity/],
    ['parameters[0].value', (m: Record<string, unknown>) => (m.parameters = [{ id: 'k', value: -Infinity }]), /expected a finite number, got -Infinity/],
    ['parameters[0].value', (m: Record<string, unknown>) => (m.parameters = [{ id: 'k', value: NaN }]), /expected a finite number, got NaN/],
    ['species[0].initial', (m: Record<string, unknown>) => (m.species = [{ id: 'X', initial: Infinity }]), /expected a finite initial amount .*got Infinity/],
    ['time.end', (m: Record<string, unknown>) => (m.time = { end: Infinity, points: 3 }), /expected a finite number, got Infinity/],
    ['volume', (m: Record<string, unknown>) => (m.volume = Infinity), /expected a finite number, got Infinity/],
    ['reactions[0].rate', (m: Record<string, unknown>) => (m.reactions = [{ id: 'R', reactants: { X: 1 }, rate: Infinity }]), /got Infinity/],
    ['reactions[0].reactants.X', (m: Record<string, unknown>) => (m.reactions = [{ id: 'R', reactants: { X: Infinity }, rate: 1 }]), /got Infinity/],
  ])('%s = Infinity or NaN (as JSON.parse reads 1e309)', (path, edit, message) => {
    const model = { ...withPropensity('k*X') } as Record<string, unknown>;
    edit(model);
    const issues = issuesOf(model);
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe(path);
    expect(issues[0].message).toMatch(message);
  });

  it('JSON text with 1e309 is refused, not simulated', () => {
    const model = JSON.parse(
      '{"species":[{"id":"X","initial":1}],"parameters":[{"id":"k","value":1e309}],"reactions":[{"id":"R","reactants":{"X":1},"propensity":"1e309"}]}',
    );
    expect(issuesOf(model).map((i) => i.path)).toEqual(['parameters[0].value', 'reactions[0].propensity']);
  });
});

describe('SBML math: deep or exploding MathML is reported, not converted', () => {
  // libSBML itself is not needed to exercise the converter: it reads trees through this small interface.
  const TYPES = { AST_PLUS: 1, AST_MINUS: 2, AST_TIMES: 3, AST_NAME: 4, AST_FUNCTION: 5, AST_INTEGER: 6 } as const;
  const node = (type: keyof typeof TYPES, children: AstNode[] = [], name = '', value = 0): AstNode => ({
    ptr: 1,
    getType: () => TYPES[type],
    getName: () => name,
    getValue: () => value,
    getNumChildren: () => children.length,
    getChild: (i) => children[i],
  });
  const name = (id: string) => node('AST_NAME', [], id);
  const call = (id: string, ...args: AstNode[]) => node('AST_FUNCTION', args, id);
  const definition = (argument: string, body: AstNode) =>
    ({ ptr: 1, getNumArguments: () => 1, getArgument: () => name(argument), getBody: () => body }) as unknown as FunctionDefinition;
  const convert = (math: AstNode, functions = new Map<string, FunctionDefinition>()) => {
    const problems: string[] = [];
    const scope: MathScope = { resolve: (id) => ({ type: 'identifier', name: id, pos: 0 }), time: 'allowed', report: (message) => problems.push(message) };
    const tree = new MathConverter(TYPES as unknown as LibsbmlModule, functions).convert(math, scope);
    return { tree, problems };
  };

  it('10,000 nested <minus/> are reported once, without a RangeError', () => {
    let math = name('A');
    for (let i = 0; i < 10_000; i++) math = node('AST_MINUS', [math]);
    const { tree, problems } = convert(math);
    expect(problems).toEqual(['MathML nested deeper than 256 levels (counting inlined function definitions)']);
    expect(tree).toEqual({ type: 'number', value: 0, pos: 0 });
  });

  it('an n-ary <plus/> of 100,000 terms converts and prints as a flat sum', () => {
    const { tree, problems } = convert(
      node(
        'AST_PLUS',
        Array.from({ length: 100_000 }, () => name('A')),
      ),
    );
    expect(problems).toEqual([]);
    expect(printExpression(tree)).toBe(terms(100_000, () => 'A'));
  });

  it('function definitions that double at every level (2^40 terms) are reported, in well under a second', () => {
    const functions = new Map<string, FunctionDefinition>([['f0', definition('x', node('AST_TIMES', [name('x'), name('x')]))]]);
    for (let i = 1; i < 40; i++) functions.set(`f${i}`, definition('x', node('AST_PLUS', [call(`f${i - 1}`, name('x')), call(`f${i - 1}`, name('x'))])));
    const started = performance.now();
    const { tree, problems } = convert(call('f39', name('A')), functions);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(problems).toEqual([`MathML expands to more than ${MAX_EXPANDED_NODES} terms once function definitions are inlined`]);
    expect(tree).toEqual({ type: 'number', value: 0, pos: 0 });
  });
});

/** Maximum nesting of ( and ) in generated code. */
function bracketDepth(js: string): number {
  let depth = 0;
  let max = 0;
  for (const c of js) {
    if (c === '(') max = Math.max(max, ++depth);
    else if (c === ')') depth--;
  }
  return max;
}
