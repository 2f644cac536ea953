import { z } from 'zod';
import type { ReactionNetworkInput } from '../model/schema.js';
import { createPrior, PriorSpecError } from '../sample/priors/registry.js';
import type { Prior } from '../sample/priors/types.js';
import { MAX_SEED } from '../sample/random/seedDerivation.js';
import { parseBlackBoxSpec, BlackBoxSpecError, resolveSpecPaths, type BlackBoxSimulatorSpec } from '../simulate/blackbox/spec.js';
import { uniformTimeGrid } from '../simulate/timeGrid.js';
import { createSummaryStatistics, PartSpecError } from '../stats/index.js';
import type { PartSpec } from '../stats/types.js';
import { REDUCTION_METHODS, type ReductionMethod } from '../learn/reduce/reduceDimension.js';
import { SessionSpecError } from './errors.js';
import { zodIssues } from '../errors/zodIssues.js';

const intAtLeast = (min: number) =>
  z
    .number({ error: `expected an integer >= ${min}` })
    .int({ error: `expected an integer >= ${min}` })
    .min(min, { error: `expected an integer >= ${min}` });
const part = z.looseObject({ kind: z.string({ error: 'expected a "kind" naming the part' }) });

export const SESSION_DESIGN_KINDS = ['latinHypercube', 'sobol', 'halton', 'random', 'fullFactorial', 'prior'] as const;
export type SessionDesignKind = (typeof SESSION_DESIGN_KINDS)[number];

const designSchema = z.strictObject({
  kind: z.enum(SESSION_DESIGN_KINDS, { error: `expected one of ${SESSION_DESIGN_KINDS.map((k) => `"${k}"`).join(', ')}` }),
  /** fullFactorial: levels per parameter (one number for all). */
  levels: z.union([intAtLeast(1), z.array(intAtLeast(1))]).optional(),
});

const reductionSchema = z.strictObject({
  method: z.enum(REDUCTION_METHODS, { error: `expected one of ${REDUCTION_METHODS.map((k) => `"${k}"`).join(', ')}` }),
  nNeighbors: intAtLeast(2).optional(),
  minDist: z.number().min(0).optional(),
  iterations: intAtLeast(1).optional(),
  perplexity: z.number().positive({ error: 'expected a number > 0' }).optional(),
});

const propagationSchema = z.strictObject({
  algorithm: z.enum(['spreading', 'propagation'], { error: 'expected "spreading" or "propagation"' }).optional(),
  alpha: z
    .number({ error: 'expected a number in (0, 1)' })
    .gt(0, { error: 'expected a number in (0, 1)' })
    .lt(1, { error: 'expected a number in (0, 1)' })
    .optional(),
  gamma: z.union([z.number().positive({ error: 'expected a number > 0' }), z.literal('tune')], { error: 'expected a number > 0 or "tune"' }).optional(),
  neighbours: z.union([intAtLeast(1), z.literal('all')], { error: 'expected an integer >= 1 or "all"' }).optional(),
});

const activeLearningSchema = z.strictObject({
  strategy: z.enum(['entropy', 'margin', 'class'], { error: 'expected "entropy", "margin" or "class"' }).optional(),
  /** strategy "class": the class (index or name) whose region to sample. */
  class: z.union([intAtLeast(0), z.string().min(1)]).optional(),
  candidates: intAtLeast(1).optional(),
  batchSize: intAtLeast(1).optional(),
});

export const sessionSchema = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  model: z.union(
    [
      z.string().min(1),
      z.strictObject({ example: z.string().min(1) }),
      z.strictObject({ file: z.string().min(1) }),
      z.strictObject({ simulator: z.unknown() }),
    ],
    {
      error: 'expected an example name, a model file path, {"example": name}, {"file": path} or {"simulator": {...}}',
    },
  ),
  parameters: z.record(z.string(), z.unknown(), { error: 'expected an object mapping parameter names to [lower, upper] bounds or priors' }),
  time: z
    .union(
      [
        z.strictObject({ end: z.number().positive({ error: 'expected an end time > 0' }), points: intAtLeast(2) }),
        z.array(z.number()).min(2, { error: 'expected at least 2 times' }),
      ],
      {
        error: 'expected {"end", "points"} or a list of increasing times',
      },
    )
    .optional(),
  species: z.array(z.string().min(1)).min(1).optional(),
  statistics: part.optional(),
  simulation: z
    .strictObject({
      method: z.enum(['ssa', 'tau', 'ode', 'hybrid'], { error: 'expected one of ssa, tau, ode, hybrid' }).optional(),
      runsPerTrial: intAtLeast(1).optional(),
    })
    .optional(),
  design: designSchema.optional(),
  batchSize: intAtLeast(1).optional(),
  /** Trajectories kept per batch for display (the first points of the batch). */
  keepTrajectories: intAtLeast(0).optional(),
  reduction: z
    .union([reductionSchema.shape.method, reductionSchema], {
      error: `expected ${REDUCTION_METHODS.map((k) => `"${k}"`).join(', ')} or {"method", "nNeighbors", "minDist", "iterations", "perplexity"}`,
    })
    .optional(),
  propagation: propagationSchema.optional(),
  activeLearning: activeLearningSchema.optional(),
  classes: z.array(z.string().min(1), { error: 'expected a list of class names' }).optional(),
  /** User labels: point index (over all batches, from 0) → class index or class name. */
  labels: z.record(z.string().regex(/^\d+$/, { error: 'expected a point index (integer >= 0)' }), z.union([intAtLeast(0), z.string().min(1)])).optional(),
  seed: z.number({ error: 'expected an integer seed' }).int().min(0).max(MAX_SEED).optional(),
});

export type SessionInput = z.input<typeof sessionSchema>;
type Issue = { path: string; message: string };

/** A validated session: defaults filled in, priors built, still JSON-serialisable via `spec`. */
export interface SessionConfig {
  readonly source: string;
  readonly name: string;
  /** The validated JSON, as given (stored in the project, so the session can be rebuilt). */
  readonly spec: SessionInput;
  readonly model: string | { example: string } | { file: string } | { simulator: unknown };
  readonly simulator?: BlackBoxSimulatorSpec;
  readonly parameterNames: string[];
  readonly priors: Prior[];
  /** Output times; undefined = the model's own time span. */
  readonly time: number[] | undefined;
  readonly statistics: PartSpec;
  readonly method: 'ssa' | 'tau' | 'ode' | 'hybrid';
  readonly runsPerTrial: number;
  readonly design: { kind: SessionDesignKind; levels?: number | number[] };
  readonly batchSize: number;
  readonly keepTrajectories: number;
  readonly reduction: { method: ReductionMethod; nNeighbors?: number; minDist?: number; iterations?: number; perplexity?: number };
  readonly propagation: z.output<typeof propagationSchema>;
  readonly activeLearning: { strategy: 'entropy' | 'margin' | 'class'; class?: number | string; candidates?: number; batchSize?: number };
  readonly classes: string[];
  /** Labels of the session file: point index → class index or name. */
  readonly labels: Record<string, number | string>;
  readonly seed: number;
}

export const DEFAULT_SESSION_STATISTICS: PartSpec = { kind: 'time-series-features', set: 'minimal' };

/**
 * Validate an exploration session's JSON; every problem is reported with
 * its field. Parameters take `[lower, upper]` (uniform on the box) or any
 * prior spec (`{"kind": "logUniform", ...}`): designs are laid out in the
 * unit cube and mapped through each prior's quantile function.
 */
export function parseSessionSpec(json: unknown, source = 'session'): SessionConfig {
  const parsed = sessionSchema.safeParse(json);
  if (!parsed.success) {
    throw new SessionSpecError(
      source,
      // A label's key that is not a point index gets its own words; everything else reads as every schema error does.
      zodIssues(parsed.error, { whole: '(session)' }).map((issue, k) => {
        const i = parsed.error.issues[k];
        return i.code === 'invalid_key' && i.path[0] === 'labels' ? { ...issue, message: 'expected a point index (an integer >= 0) as key' } : issue;
      }),
    );
  }
  const s = parsed.data;
  const issues: Issue[] = [];
  const parameterNames = Object.keys(s.parameters);
  if (parameterNames.length === 0) issues.push({ path: 'parameters', message: 'expected at least one parameter' });
  const priors: Prior[] = [];
  for (const name of parameterNames) {
    try {
      const prior = createPrior(s.parameters[name], `parameters.${name}`);
      if (!Number.isFinite(prior.quantile(0.5))) issues.push({ path: `parameters.${name}`, message: 'expected a prior with a finite median' });
      priors.push(prior);
    } catch (error) {
      if (!(error instanceof PriorSpecError)) throw error;
      issues.push(...error.issues);
    }
  }
  const statistics: PartSpec = { ...(s.statistics ?? DEFAULT_SESSION_STATISTICS) };
  if (s.species && statistics.species === undefined) (statistics as Record<string, unknown>).species = s.species;
  try {
    createSummaryStatistics(statistics);
  } catch (error) {
    if (error instanceof PartSpecError) issues.push(...error.issues.map((i) => ({ path: i.path, message: i.message })));
    else if (error instanceof Error) issues.push({ path: 'statistics', message: error.message });
    else throw error;
  }
  let simulator: BlackBoxSimulatorSpec | undefined;
  if (typeof s.model === 'object' && 'simulator' in s.model) {
    try {
      simulator = resolveSpecPaths(parseBlackBoxSpec(s.model.simulator, 'model.simulator'), source.replace(/[\\/]?[^\\/]*$/, ''));
      const declared = simulator.parameters.map((p) => p.id);
      for (const name of parameterNames) {
        if (!declared.includes(name))
          issues.push({
            path: `parameters.${name}`,
            message: `the simulator declares no parameter "${name}"; its parameters are ${declared.join(', ') || '(none)'}`,
          });
      }
      if (!s.time) issues.push({ path: 'time', message: 'required with a black-box simulator: {"end", "points"} or a list of times' });
    } catch (error) {
      if (!(error instanceof BlackBoxSpecError)) throw error;
      issues.push(...error.issues);
    }
  }
  let time: number[] | undefined;
  if (Array.isArray(s.time)) {
    time = s.time;
    if (time.some((t, i) => !Number.isFinite(t) || t < 0 || (i > 0 && !(t > time![i - 1]))))
      issues.push({ path: 'time', message: 'expected increasing finite times >= 0' });
  } else if (s.time) time = Array.from(uniformTimeGrid(s.time.end, s.time.points));
  const design = s.design ?? { kind: 'latinHypercube' as const };
  if (design.kind === 'fullFactorial' && Array.isArray(design.levels) && design.levels.length !== parameterNames.length) {
    issues.push({ path: 'design.levels', message: `expected ${parameterNames.length} levels (one per parameter), got ${design.levels.length}` });
  }
  const classes = s.classes ?? [];
  if (new Set(classes).size !== classes.length) issues.push({ path: 'classes', message: 'expected distinct class names' });
  for (const [index, label] of Object.entries(s.labels ?? {})) {
    if (typeof label === 'string' && !classes.includes(label))
      issues.push({ path: `labels.${index}`, message: `unknown class "${label}"; "classes" lists ${classes.map((c) => `"${c}"`).join(', ') || '(none)'}` });
  }
  const active = s.activeLearning ?? {};
  if (active.strategy === 'class' && active.class === undefined)
    issues.push({ path: 'activeLearning.class', message: 'required with strategy "class": the class (index or name) to sample' });
  if (typeof active.class === 'string' && !classes.includes(active.class))
    issues.push({ path: 'activeLearning.class', message: `unknown class "${active.class}"` });
  if (issues.length > 0) throw new SessionSpecError(source, issues);
  const reduction = typeof s.reduction === 'string' ? { method: s.reduction } : (s.reduction ?? { method: 'umap' as const });
  return {
    source,
    name: s.name ?? source.replace(/^.*[\\/]/, '').replace(/\.json$/i, ''),
    spec: s,
    model: s.model as SessionConfig['model'],
    simulator,
    parameterNames,
    priors,
    time,
    statistics,
    method: s.simulation?.method ?? 'ssa',
    runsPerTrial: s.simulation?.runsPerTrial ?? 1,
    design,
    batchSize: s.batchSize ?? 100,
    keepTrajectories: s.keepTrajectories ?? 0,
    reduction,
    propagation: s.propagation ?? {},
    activeLearning: { strategy: active.strategy ?? 'entropy', class: active.class, candidates: active.candidates, batchSize: active.batchSize },
    classes,
    labels: s.labels ?? {},
    seed: s.seed ?? 0,
  };
}

/** The model's own output times when the session gives none. */
export function sessionTimes(config: SessionConfig, model: ReactionNetworkInput): number[] {
  if (config.time) return config.time;
  if (model.time) return Array.from(uniformTimeGrid(model.time.end, model.time.points ?? 101));
  throw new SessionSpecError(config.source, [{ path: 'time', message: `required: the model "${model.name}" has no time span` }]);
}
