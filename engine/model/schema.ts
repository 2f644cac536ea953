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

/**
 * A stoichiometric coefficient: a positive number, or an expression (SBML
 * variable stoichiometry: a species reference's id, set by rules or events,
 * or stoichiometryMath) over parameters, compartments and `t`. The
 * stochastic methods need positive integers and refuse anything else when
 * they compile the model (compile.ts); deterministic methods take reals.
 */
const coefficient = z.union(
  [
    z
      .number({
        error: numberError('expected a stoichiometric coefficient (positive number)', 'expected a finite stoichiometric coefficient (positive number)'),
      })
      .refine(Number.isFinite, { error: 'expected a finite stoichiometric coefficient' })
      .refine((v) => v > 0, { error: 'expected a positive stoichiometry' }),
    z.string().min(1, { error: 'expected a non-empty expression' }),
  ],
  {
    error: numberError(
      'expected a stoichiometric coefficient (positive number) or an expression',
      'expected a finite stoichiometric coefficient (positive number)',
    ),
  },
);

const stoichiometry = z.record(identifier, coefficient, { error: 'expected an object mapping species to stoichiometry, e.g. {"A": 1, "B": 2}' });

/**
 * A compartment (SBML). Optional: a model without compartments has one
 * implicit volume, `volume`, read as `vol` in expressions.
 */
export const compartmentSchema = z.strictObject({
  id: identifier,
  /** Size at t = 0 (volume, area or length); an initial assignment or rule may set it instead (then this is a placeholder). */
  size: finiteNumber,
  /** False when rules or events change the size in time. Default true. */
  constant: z.boolean().default(true),
  /** 3 (volume), 2, 1 or 0 (no size); default 3. */
  dimensions: z.number().int().min(0).max(3).default(3),
  units: z.string().optional(),
  name: z.string().optional(),
});
export const speciesSchema = z.strictObject({
  id: identifier,
  /**
   * The initial amount: a finite number, or an expression (an SBML initial
   * assignment, or initialConcentration × size) evaluated at t = 0 after
   * `initialAssignments`. The stochastic methods need a non-negative integer
   * count and say so when they compile the model; deterministic methods take
   * any real value.
   */
  initial: z.union(
    [
      z
        .number({ error: numberError('expected an initial amount (number)', 'expected a finite initial amount') })
        .refine(Number.isFinite, { error: 'expected a finite initial amount' }),
      z.string().min(1, { error: 'expected a non-empty expression' }),
    ],
    {
      error: numberError(
        'expected an initial amount (number) or an expression over parameters',
        'expected a finite initial amount (number) or an expression over parameters',
      ),
    },
  ),
  /** A boundary species is read by reactions but never changed by them (SBML boundaryCondition); rules and events may set it. */
  boundary: z.boolean().optional(),
  /** The compartment it lives in (one of `compartments`); absent in a model without compartments. */
  compartment: identifier.optional(),
  /**
   * SBML hasOnlySubstanceUnits. Absent or true: the species' name in every
   * expression, rule, event and initial assignment means its amount (the
   * engine's classic meaning: a count). False: it means its concentration,
   * amount / size of its compartment.
   */
  amountOnly: z.boolean().optional(),
  /** Nothing changes it (SBML constant): not reactions, rules or events. */
  constant: z.boolean().optional(),
  /** A parameter that scales every reaction's change of this species (SBML conversionFactor); overrides the model's. */
  conversionFactor: identifier.optional(),
  /** The substance unit as written (e.g. "mole", "item"), for display and molecule conversion. */
  units: z.string().optional(),
  name: z.string().optional(),
});
export const parameterSchema = z.strictObject({
  id: identifier,
  /** The value at t = 0 (a placeholder when an initial assignment, a rule or an algebraic rule sets it). */
  value: finiteNumber,
  /** False when rules or events change it (SBML constant="false"); informational. */
  constant: z.boolean().optional(),
  /** Set only to hold a species reference's stoichiometry (SBML speciesReference id): not a kinetic parameter to infer. */
  stoichiometry: z.boolean().optional(),
  units: z.string().optional(),
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

/**
 * A rule (SBML semantics):
 * - `assignment` (the default): `variable` always equals `expression`;
 * - `rate`: d(variable)/dt = `expression` (integrated with the reactions' changes, deterministic methods);
 * - `algebraic`: 0 = `expression`, which determines one variable no other rule or reaction determines
 *   (no `variable`).
 * `variable` is a species, parameter or compartment; expressions may use species, parameters,
 * compartments, `vol` and `t`.
 */
export const ruleSchema = z.strictObject({
  type: z.enum(['assignment', 'rate', 'algebraic']).default('assignment'),
  variable: identifier.optional(),
  expression,
});

/** An SBML initial assignment: `variable` takes the value of `expression` at t = 0 (overrides its written value). */
export const initialAssignmentSchema = z.strictObject({
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
  /** Time from the trigger to the execution (SBML delay); an expression evaluated when the event triggers. */
  delay: expression.optional(),
  /** Order of simultaneous executions, higher first (SBML priority); evaluated when they are due. */
  priority: expression.optional(),
  /** False: a delayed execution is cancelled if the trigger turns false before it (SBML persistent). Default true. */
  persistent: z.boolean().default(true),
  /** True: assignments are evaluated when the event triggers; false: when it executes (after its delay). Default true. */
  useValuesFromTriggerTime: z.boolean().default(true),
  name: z.string().optional(),
});

export const reactionNetworkSchema = z.strictObject({
  name: z.string().min(1).default('model'),
  description: z.string().optional(),
  source: z.string().optional(),
  volume: finiteNumber.refine((v) => v > 0, { error: 'expected a volume > 0' }).default(1),
  /** SBML compartments; absent: one implicit compartment of size `volume`. */
  compartments: z.array(compartmentSchema, { error: 'expected an array of compartments' }).default([]),
  /** May be empty only in a model that has rules (SBML models of rules and parameters only). */
  species: z.array(speciesSchema, { error: 'expected an array of species' }),
  parameters: z.array(parameterSchema, { error: 'expected an array of parameters' }).default([]),
  /** May be empty only in a model that has rules or events. */
  reactions: z.array(reactionSchema, { error: 'expected an array of reactions' }),
  rules: z.array(ruleSchema, { error: 'expected an array of rules' }).default([]),
  initialAssignments: z.array(initialAssignmentSchema, { error: 'expected an array of initial assignments' }).default([]),
  events: z.array(eventSchema, { error: 'expected an array of events' }).default([]),
  /** A parameter that scales every reaction's change of every species without its own (SBML model conversionFactor). */
  conversionFactor: identifier.optional(),
  /** Units as written in the source (SBML unit definitions, described in words), for display. */
  units: z
    .strictObject({
      substance: z.string().optional(),
      time: z.string().optional(),
      volume: z.string().optional(),
      area: z.string().optional(),
      length: z.string().optional(),
      extent: z.string().optional(),
    })
    .optional(),
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
export type CompartmentSpec = z.output<typeof compartmentSchema>;
export type InitialAssignmentSpec = z.output<typeof initialAssignmentSchema>;
