import { z } from 'zod';
import { SurrogateSpecError } from './SurrogateError.js';
import { zodIssues } from '../../errors/zodIssues.js';

/**
 * zod helpers shared by the surrogate option schemas, with the messages
 * users see (`gp.restarts: expected an integer >= 0`). Options are validated
 * once at the boundary (`GaussianProcess.fit`, `MlpRegressor.fit`, `bolfi`),
 * never inside the numerical loops.
 */
export function integerSchema(min: number, max?: number) {
  const message = max === undefined ? `expected an integer >= ${min}` : `expected an integer in [${min}, ${max}]`;
  const base = z.number({ error: message }).int({ error: message }).min(min, { error: message });
  return max === undefined ? base : base.max(max, { error: message });
}

export function positiveSchema() {
  const message = 'expected a finite number > 0';
  return z.number({ error: message }).positive({ error: message }).finite({ error: message });
}

export function finiteSchema() {
  const message = 'expected a finite number';
  return z.number({ error: message }).finite({ error: message });
}

export function choiceSchema<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `expected one of ${values.map((v) => `"${v}"`).join(', ')}` });
}

/** A [lower, upper] pair of finite numbers with lower < upper. */
export function intervalSchema(element = finiteSchema()) {
  return z.tuple([element, element], { error: 'expected [lower, upper]' }).refine(([lo, hi]) => lo < hi, { error: 'expected lower < upper' });
}

/** Parses `value` with `schema` or throws a SurrogateSpecError listing every issue under `prefix`. */
export function parseOptions<T extends z.ZodType>(schema: T, value: unknown, prefix: string, what = `${prefix} options`): z.output<T> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  throw new SurrogateSpecError(what, zodIssues(parsed.error, { prefix }));
}
