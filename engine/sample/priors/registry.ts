import { z } from 'zod';
import { EngineError } from '../../errors/index.js';
import { IndependentPrior } from './IndependentPrior.js';
import { TruncatedNormalPrior } from './TruncatedNormalPrior.js';
import type { Prior } from './types.js';
import { LogNormalPrior, LogUniformPrior, NormalPrior, UniformPrior } from './univariate.js';
import { issuePath, zodIssues } from '../../errors/zodIssues.js';

/** A prior specification that does not validate; the message names the field, e.g. `priors.alphaA.upper`. */
export class PriorSpecError extends EngineError {
  readonly issues: ReadonlyArray<{ path: string; message: string }>;

  constructor(issues: ReadonlyArray<{ path: string; message: string }>) {
    super('PRIOR_INVALID', issues.map((i) => `${i.path}: ${i.message}`).join('\n'), { issues });
    this.issues = issues;
  }
}

const num = z.number({ error: (issue) => (issue.input === undefined ? 'required: expected a number' : 'expected a finite number') });
const positive = (field: string) => num.refine((v) => v > 0, { message: `expected a number > 0 (${field} must be positive)` });
const above = (field: string) => (spec: { lower: number; upper: number }, ctx: z.RefinementCtx) => {
  if (!(spec.upper > spec.lower)) ctx.addIssue({ code: 'custom', path: ['upper'], message: `expected a number > ${field} (${spec.lower})` });
};

interface PriorKind {
  schema: z.ZodType;
  create(spec: never): Prior;
}

/** The registry: `kind` → schema and factory. `registerPriorKind` adds more. */
const KINDS = new Map<string, PriorKind>();

export function registerPriorKind<S extends z.ZodType>(kind: string, schema: S, create: (spec: z.output<S>) => Prior): void {
  KINDS.set(kind, { schema, create: create as (spec: never) => Prior });
}

registerPriorKind(
  'uniform',
  z.strictObject({ kind: z.literal('uniform'), lower: num, upper: num }).superRefine(above('lower')),
  (s) => new UniformPrior(s.lower, s.upper),
);
registerPriorKind(
  'logUniform',
  z.strictObject({ kind: z.literal('logUniform'), lower: positive('lower'), upper: num }).superRefine(above('lower')),
  (s) => new LogUniformPrior(s.lower, s.upper),
);
registerPriorKind('normal', z.strictObject({ kind: z.literal('normal'), mean: num, sd: positive('sd') }), (s) => new NormalPrior(s.mean, s.sd));
registerPriorKind('logNormal', z.strictObject({ kind: z.literal('logNormal'), mu: num, sigma: positive('sigma') }), (s) => new LogNormalPrior(s.mu, s.sigma));
registerPriorKind(
  'truncatedNormal',
  z.strictObject({ kind: z.literal('truncatedNormal'), mean: num, sd: positive('sd'), lower: num.optional(), upper: num.optional() }).superRefine((s, ctx) => {
    if (s.lower !== undefined && s.upper !== undefined) above('lower')({ lower: s.lower, upper: s.upper }, ctx);
  }),
  (s) => new TruncatedNormalPrior(s.mean, s.sd, s.lower ?? -Infinity, s.upper ?? Infinity),
);

export function priorKinds(): string[] {
  return [...KINDS.keys()];
}

/** Validate and build one prior. `[lower, upper]` is shorthand for a uniform prior. */
export function createPrior(spec: unknown, path = 'prior'): Prior {
  if (Array.isArray(spec)) {
    if (spec.length !== 2 || typeof spec[0] !== 'number' || typeof spec[1] !== 'number') {
      throw new PriorSpecError([{ path, message: 'expected [lower, upper] (two numbers) or an object with a "kind"' }]);
    }
    if (!(spec[1] > spec[0])) throw new PriorSpecError([{ path: `${path}[1]`, message: `expected a number > lower (${spec[0]})` }]);
    return new UniformPrior(spec[0], spec[1]);
  }
  if (typeof spec !== 'object' || spec === null) throw new PriorSpecError([{ path, message: 'expected an object with a "kind" or [lower, upper]' }]);
  const kind = (spec as { kind?: unknown }).kind;
  const entry = typeof kind === 'string' ? KINDS.get(kind) : undefined;
  if (!entry) {
    const what = kind === undefined ? 'missing' : `unknown prior ${JSON.stringify(kind)}`;
    throw new PriorSpecError([{ path: issuePath(['kind'], path), message: `${what}; expected one of ${priorKinds().join(', ')}` }]);
  }
  const parsed = entry.schema.safeParse(spec);
  if (!parsed.success) {
    throw new PriorSpecError(zodIssues(parsed.error, { prefix: path, unknownFieldsOf: `for a ${String(kind)} prior` }));
  }
  return entry.create(parsed.data as never);
}

/**
 * Validate and build a joint prior from `{ name: spec, ... }` or
 * `{ kind: 'independent', parameters: { name: spec } }`. Every problem is
 * reported, each with its path (`priors.alphaA.upper: expected a number > lower (0)`).
 */
export function createIndependentPrior(spec: unknown, path = 'priors'): IndependentPrior {
  let parameters = spec;
  let base = path;
  if (typeof spec === 'object' && spec !== null && !Array.isArray(spec) && (spec as { kind?: unknown }).kind === 'independent') {
    parameters = (spec as { parameters?: unknown }).parameters;
    base = `${path}.parameters`;
  }
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
    throw new PriorSpecError([{ path: base, message: 'expected an object mapping parameter names to priors' }]);
  }
  const entries = Object.entries(parameters);
  if (entries.length === 0) throw new PriorSpecError([{ path: base, message: 'expected at least one parameter' }]);
  const issues: Array<{ path: string; message: string }> = [];
  const built: Array<[string, Prior]> = [];
  for (const [name, value] of entries) {
    try {
      built.push([name, createPrior(value, issuePath([name], base))]);
    } catch (error) {
      if (!(error instanceof PriorSpecError)) throw error;
      issues.push(...error.issues);
    }
  }
  if (issues.length > 0) throw new PriorSpecError(issues);
  return new IndependentPrior(built);
}
