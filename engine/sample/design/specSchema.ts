import { z } from 'zod';
import { DesignSpecError } from './DesignError.js';
import { zodIssues } from '../../errors/zodIssues.js';

/**
 * zod building blocks for design specs, with the messages users see
 * (`design.levels[2]: expected an integer >= 1`). Specs are validated once,
 * at the boundary (`createDesign`); the routines only assert arguments.
 */
export function integerSchema(min: number, max?: number) {
  const message = max === undefined ? `expected an integer >= ${min}` : `expected an integer in [${min}, ${max}]`;
  const base = z.number({ error: message }).int({ error: message }).min(min, { error: message });
  return max === undefined ? base : base.max(max, { error: message });
}

export function choiceSchema<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `expected one of ${values.map((v) => `"${v}"`).join(', ')}` });
}

/** `['levels', 2]` → `design.levels[2]`. */
/** Parses `spec` with `schema` or throws a DesignSpecError listing every issue. */
export function parseSpec<T extends z.ZodType>(schema: T, spec: unknown): z.output<T> {
  const parsed = schema.safeParse(spec);
  if (parsed.success) return parsed.data;
  throw new DesignSpecError(zodIssues(parsed.error, { prefix: 'design' }));
}

export const latinHypercubeSpecSchema = z.strictObject({
  kind: z.literal('latinHypercube'),
  dimension: integerSchema(1),
  optimise: choiceSchema(['none', 'maximin']).optional(),
  iterations: integerSchema(0).optional(),
});

export const fullFactorialSpecSchema = z.strictObject({
  kind: z.literal('fullFactorial'),
  levels: z.array(integerSchema(1), { error: 'expected an array of integers >= 1' }).min(1, { error: 'expected at least one factor' }),
  at: choiceSchema(['edges', 'centres']).optional(),
});

export const randomDesignSpecSchema = z.strictObject({
  kind: z.literal('random'),
  dimension: integerSchema(1),
});

export const maximinSequentialSpecSchema = z.strictObject({
  kind: z.literal('maximinSequential'),
  dimension: integerSchema(1),
  candidatesPerPoint: integerSchema(1).optional(),
});

export type LatinHypercubeSpec = z.output<typeof latinHypercubeSpecSchema>;
export type FullFactorialSpec = z.output<typeof fullFactorialSpecSchema>;
export type RandomDesignSpec = z.output<typeof randomDesignSpecSchema>;
export type MaximinSequentialSpec = z.output<typeof maximinSequentialSpecSchema>;
