/**
 * The whitelist of functions an expression may call: for each, how many
 * arguments it takes, the JavaScript it compiles to, and its value.
 *
 * `emit` receives argument snippets that are already safe to use as operands
 * (parenthesised, a call, a number or a resolved name) and must keep them so.
 */
import { isTrue } from './semantics.js';

export interface FunctionSpec {
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Shown after an arity error, e.g. how to get a logarithm to another base. */
  readonly hint?: string;
  emit(args: readonly string[]): string;
  evaluate(args: readonly number[]): number;
  /** How many brackets and calls `emit` wraps around its deepest argument (for the nesting limit, see emitJs). */
  nesting(argCount: number): number;
}

const ONE_LEVEL = (): number => 1;

function mathUnary(name: string, fn: (x: number) => number): FunctionSpec {
  return { minArgs: 1, maxArgs: 1, emit: (a) => `Math.${name}(${a[0]})`, evaluate: (a) => fn(a[0]), nesting: ONE_LEVEL };
}

function mathVariadic(name: 'min' | 'max'): FunctionSpec {
  const fn = Math[name];
  return { minArgs: 2, maxArgs: Infinity, emit: (a) => `Math.${name}(${a.join(',')})`, evaluate: (a) => fn(...a), nesting: ONE_LEVEL };
}

/**
 * Hill function x^n/(K^n+x^n), computed as 1/(1+(K/x)^n): the same value, but
 * it uses x once and does not overflow to Inf/Inf = NaN when x and K are large.
 */
const hill: FunctionSpec = {
  minArgs: 3,
  maxArgs: 3,
  emit: ([x, k, n]) => `(1/(1+Math.pow(${k}/${x},${n})))`,
  evaluate: ([x, k, n]) => 1 / (1 + Math.pow(k / x, n)),
  nesting: () => 3,
};

/**
 * SBML piecewise(value1, cond1, value2, cond2, ..., otherwise): the value of
 * the first true (nonzero) condition, else `otherwise`, else NaN when there is
 * no `otherwise` (even argument count).
 */
const piecewise: FunctionSpec = {
  minArgs: 2,
  maxArgs: Infinity,
  emit(args) {
    let out = args.length % 2 === 1 ? args[args.length - 1] : '(0/0)';
    for (let i = (args.length & ~1) - 2; i >= 0; i -= 2) out = `(${args[i + 1]}!==0?${args[i]}:${out})`;
    return out;
  },
  evaluate(args) {
    for (let i = 0; i + 1 < args.length; i += 2) if (isTrue(args[i + 1])) return args[i];
    return args.length % 2 === 1 ? args[args.length - 1] : NaN;
  },
  /** One conditional per pair, each inside the previous one; the implicit `(0/0)` one deeper still. */
  nesting: (argCount) => Math.floor(argCount / 2) + 1,
};

/** n! for whole n >= 0 (the gamma function elsewhere would be a different function): NaN otherwise, Infinity past 170. */
function factorialOf(n: number): number {
  if (!Number.isInteger(n) || n < 0) return NaN;
  let out = 1;
  for (let k = 2; k <= n && out !== Infinity; k++) out *= k;
  return out;
}

/** Written into generated code by name, so the code needs no helper in scope. */
const factorial: FunctionSpec = {
  minArgs: 1,
  maxArgs: 1,
  emit: ([n]) => `((n)=>{if(!Number.isInteger(n)||n<0)return NaN;let o=1;for(let k=2;k<=n&&o!==Infinity;k++)o*=k;return o})(${n})`,
  evaluate: ([n]) => factorialOf(n),
  nesting: () => 3,
};

/**
 * Functions whose value depends on the trajectory, not only on the current
 * values: `delay(x, tau)`, x as it was tau time units ago (SBML csymbol
 * delay), and `rateOf(x)`, the current time derivative of the variable x
 * (SBML csymbol rateOf). Only the deterministic simulator of general models
 * (simulate/general) gives them meaning, by rewriting them before code
 * generation; anywhere else they are refused, so they never evaluate to a
 * made-up number.
 */
function trajectoryFunction(name: string, args: number): FunctionSpec {
  const refuse = (): never => {
    throw new Error(`${name}() is only supported by the deterministic simulator of general models (method ode)`);
  };
  return { minArgs: args, maxArgs: args, emit: refuse, evaluate: refuse, nesting: ONE_LEVEL };
}

export const FUNCTIONS = {
  exp: mathUnary('exp', Math.exp),
  log: { ...mathUnary('log', Math.log), hint: 'log(x) is the natural logarithm; write log10(x) or log(x)/log(b) for other bases' },
  log10: mathUnary('log10', Math.log10),
  sqrt: mathUnary('sqrt', Math.sqrt),
  abs: mathUnary('abs', Math.abs),
  pow: { minArgs: 2, maxArgs: 2, emit: (a) => `Math.pow(${a[0]},${a[1]})`, evaluate: (a) => Math.pow(a[0], a[1]), nesting: ONE_LEVEL },
  min: mathVariadic('min'),
  max: mathVariadic('max'),
  floor: mathUnary('floor', Math.floor),
  ceil: mathUnary('ceil', Math.ceil),
  sin: mathUnary('sin', Math.sin),
  cos: mathUnary('cos', Math.cos),
  tan: mathUnary('tan', Math.tan),
  sinh: mathUnary('sinh', Math.sinh),
  cosh: mathUnary('cosh', Math.cosh),
  tanh: mathUnary('tanh', Math.tanh),
  asin: mathUnary('asin', Math.asin),
  acos: mathUnary('acos', Math.acos),
  atan: mathUnary('atan', Math.atan),
  asinh: mathUnary('asinh', Math.asinh),
  acosh: mathUnary('acosh', Math.acosh),
  atanh: mathUnary('atanh', Math.atanh),
  factorial,
  hill,
  piecewise,
  delay: trajectoryFunction('delay', 2),
  rateOf: trajectoryFunction('rateOf', 1),
} satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof FUNCTIONS;

export const FUNCTION_NAMES: readonly FunctionName[] = Object.freeze(Object.keys(FUNCTIONS) as FunctionName[]);

/** Own keys only, so `constructor` or `__proto__` are never mistaken for functions. */
export function isFunctionName(name: string): name is FunctionName {
  return Object.hasOwn(FUNCTIONS, name);
}

export function functionSpec(name: FunctionName): FunctionSpec {
  return FUNCTIONS[name];
}

/** Describes the arity for error messages: "1 argument", "at least 2 arguments", "2 to 3 arguments". */
export function describeArity(spec: FunctionSpec): string {
  const plural = (n: number): string => `${n} argument${n === 1 ? '' : 's'}`;
  if (spec.minArgs === spec.maxArgs) return `exactly ${plural(spec.minArgs)}`;
  if (spec.maxArgs === Infinity) return `at least ${plural(spec.minArgs)}`;
  return `${spec.minArgs} to ${plural(spec.maxArgs)}`;
}
