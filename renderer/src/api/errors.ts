import type { Issue } from '../../../engine/api/contract';
import { EngineCallError } from './client';

/** A problem an import reports about one element of the input file (SBML element and id, line). */
export interface Problem {
  readonly message: string;
  readonly element?: string;
  readonly id?: string;
  readonly line?: number;
  readonly column?: number;
}

/** An error as the UI shows it: a message, the issues by field path, the problems by file element. Never a stack trace. */
export interface ShownError {
  readonly message: string;
  readonly code: string | null;
  readonly issues: readonly Issue[];
  readonly problems: readonly Problem[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The `{path, message}` issues in an error's details, if any. */
export function issuesOf(details: Record<string, unknown>): Issue[] {
  const raw = details.issues;
  if (!Array.isArray(raw)) return [];
  return raw
    .filter(isRecord)
    .filter((i) => typeof i.message === 'string')
    .map((i) => ({ path: typeof i.path === 'string' ? i.path : Array.isArray(i.path) ? i.path.join('.') : '', message: String(i.message) }));
}

/** The per-element problems in an error's details (SBML import), if any. */
export function problemsOf(details: Record<string, unknown>): Problem[] {
  const raw = details.problems;
  if (!Array.isArray(raw)) return [];
  return raw.filter(isRecord).map((p) => ({
    message: typeof p.message === 'string' ? p.message : String(p.message ?? ''),
    element: typeof p.element === 'string' ? p.element : undefined,
    id: typeof p.id === 'string' ? p.id : undefined,
    line: typeof p.line === 'number' ? p.line : undefined,
    column: typeof p.column === 'number' ? p.column : undefined,
  }));
}

/** What to show for anything a call threw: the engine's message and details, or a plain message for anything else. */
export function describeError(error: unknown): ShownError {
  if (error instanceof EngineCallError) {
    const issues = issuesOf(error.details);
    const problems = problemsOf(error.details);
    // Engine messages list the problems on further lines; shown as a list below, so keep only the headline.
    const message = issues.length + problems.length > 0 ? error.message.split('\n')[0].trim() : error.message;
    return { message, code: error.code, issues, problems };
  }
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : 'Something went wrong.';
  return { message, code: null, issues: [], problems: [] };
}
