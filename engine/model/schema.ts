import { z } from 'zod';

/**
 * The reaction-network JSON format (see README, "Model format").
 *
 * Structural checks live here; cross-references (unknown species, names used
 * in expressions) are checked in validateModel, which reports every problem
 * with the path of the offending field.
 */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Names with a fixed meaning inside expressions. */
export const RESERVED_NAMES = new Set(['vol', 't', 'time']);

const identifier = z
  .string({ error: 'expected a name (string)' })
  .regex(IDENTIFIER, { error: 'expected a name made of letters, digits and _, not starting with a digit' });

/**
 * The message for a number field: `expected` as given, but for ±Infinity and
 * NaN say what the value was. JSON.parse reads 1e309 as Infinity, so a model
 * can hold one although JSON has no such literal; "expected a number" would
 * puzzle someone who wrote a number.
 */
function numberError(expected: string, finite = 'expected a finite number') {
  return (issue: { input?: unknown }): string =>
    typeof issue.input === 'number' && !Number.isFinite(issue.input)
      ? `${finite}, got ${issue.input}${Number.isNaN(issue.input) ? '' : ' (numbers beyond ±1.8e308 read as Infinity)'}`
      : expected;
}

const finiteNumber = z.number({ error: numberError('expected a number') }).refine(Number.isFinite, { error: numberError('expected a number') });

const expression = z.union([z.string().min(1, { error: 'expected a non-empty expression' }), finiteNumber], {
  error: numberError('expected an expression (string) or a number', 'expected a finite number or an expression (string)'),
});

const stoichiometry = z.record(
  identifier,
  z
    .number({ error: numberError('expected a stoichiometric coefficient (positive integer)', 'expected a finite stoichiometric coefficient (positive integer)') })
    .int({ error: 'expected a positive integer stoichiometry' })
    .positive({ error: 'expected a positive integer stoichiometry' }),
  { error: 'expected an object mapping species to stoichiometry, e.g. {"A": 1, "B": 2}' },
);

export const speciesSchema = z.strictObject({
  id: identifier,
  /** A non-negative integer count, or an expression over parameters (an SBML initial assignment). */
  initial: z.union(
    [
      z
        .number({ error: numberError('expected an initial count (non-negative integer)', 'expected a finite initial count') })
        .refine(Number.isFinite, { error: 'expected a finite initial count' })
        .refine(Number.isInteger, { error: 'expected an integer initial count (molecules are counted)' })
        .refine((v) => v >= 0, { error: 'expected a non-negative initial count' }),
      z.string().min(1, { error: 'expected a non-empty expression' }),
    ],
    { error: numberError('expected an initial count (non-negative integer) or an expression over parameters', 'expected a finite initial count (non-negative integer) or an expression over parameters') },
  ),
  /** A boundary species is read by reactions but never changed by them (SBML boundaryCondition); rules and events may set it. */
  boundary: z.boolean().optional(),
  name: z.string().optional(),
});

export const parameterSchema = z.strictObject({
  id: identifier,
  value: finiteNumber,
  name: z.string().optional(),
});

export const reactionSchema = z.strictObject({
  id: identifier,
  reactants: stoichiometry.default({}),
  products: stoichiometry.default({}),
  /** Mass-action rate constant: a number or an expression over parameters and `vol`. */
  rate: expression.optional(),
  /** Custom propensity: an expression over species, parameters and `vol`. */
  propensity: expression.optional(),
  name: z.string().optional(),
});

export const timeSpanSchema = z.strictObject({
  end: finiteNumber.refine((v) => v > 0, { error: 'expected an end time > 0' }),
  points: z
    .number({ error: numberError('expected a number of output points', 'expected a finite number of output points') })
    .int({ error: 'expected an integer number of output points' })
    .min(2, { error: 'expected at least 2 output points' }),
});

/** An assignment rule: `variable` (a species or parameter) always equals `expression` (over species, parameters, vol). */
export const ruleSchema = z.strictObject({
  variable: identifier,
  expression,
});

/**
 * A discrete event (SBML semantics without delays): when `trigger` turns
 * from false to true (non-zero), every assignment is evaluated, then applied.
 * Triggers may use `t`; a trigger on time alone must have the form
 * `t >= expr` or `t > expr` (expr over parameters) so it fires at exactly that time.
 */
export const eventSchema = z.strictObject({
  id: identifier,
  trigger: z.string().min(1, { error: 'expected a trigger expression' }),
  assignments: z.record(identifier, expression, { error: 'expected an object mapping variables to expressions, e.g. {"X": "50"}' }),
  /** Whether the trigger counts as true just before t = 0 (so a trigger true at the start does not fire). */
  initialValue: z.boolean().default(true),
  name: z.string().optional(),
});

export const reactionNetworkSchema = z.strictObject({
  name: z.string().min(1).default('model'),
  description: z.string().optional(),
  source: z.string().optional(),
  volume: finiteNumber.refine((v) => v > 0, { error: 'expected a volume > 0' }).default(1),
  species: z.array(speciesSchema, { error: 'expected an array of species' }).min(1, { error: 'expected at least one species' }),
  parameters: z.array(parameterSchema, { error: 'expected an array of parameters' }).default([]),
  reactions: z.array(reactionSchema, { error: 'expected an array of reactions' }).min(1, { error: 'expected at least one reaction' }),
  rules: z.array(ruleSchema, { error: 'expected an array of assignment rules' }).default([]),
  events: z.array(eventSchema, { error: 'expected an array of events' }).default([]),
  time: timeSpanSchema.optional(),
});

/** A model as written in JSON (defaults optional). */
export type ReactionNetworkInput = z.input<typeof reactionNetworkSchema>;
/** A model after structural parsing, defaults filled in. */
export type ReactionNetwork = z.output<typeof reactionNetworkSchema>;
export type SpeciesSpec = z.output<typeof speciesSchema>;
export type ParameterSpec = z.output<typeof parameterSchema>;
export type ReactionSpec = z.output<typeof reactionSchema>;
export type TimeSpan = z.output<typeof timeSpanSchema>;
export type RuleSpec = z.output<typeof ruleSchema>;
export type EventSpec = z.output<typeof eventSchema>;
