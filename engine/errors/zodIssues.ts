import type { z } from 'zod';
import type { ValidationIssue } from './index.js';

/**
 * The one formatter of zod issues for people: every schema error in the
 * engine (models, studies, priors, designs, statistics, node and cluster
 * settings, API arguments) reads the same way, with the path of the field
 * (`reactions[3].rate`) and, for fields the schema does not know, their names.
 */
export interface ZodIssueOptions {
  /** Prepended to every path (`nodes[2]`, `statistics`). */
  readonly prefix?: string;
  /** The path shown for an issue about the value itself (no path). */
  readonly whole?: string;
  /** Added to the "unknown field" message (`for a normal prior`). */
  readonly unknownFieldsOf?: string;
}

/** A field path: `prefix.key[3].other`. */
export function issuePath(path: ReadonlyArray<PropertyKey>, prefix = ''): string {
  let out = prefix;
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out;
}

export function zodIssues(error: z.ZodError, options: ZodIssueOptions = {}): ValidationIssue[] {
  return error.issues.map((issue) => {
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}${options.unknownFieldsOf ? ` ${options.unknownFieldsOf}` : ''}`
        : issue.message;
    return { path: issuePath(issue.path, options.prefix) || (options.whole ?? ''), message };
  });
}
