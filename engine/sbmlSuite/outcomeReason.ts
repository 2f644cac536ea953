/** One-line reasons for a case's outcome, from the engine's errors. */
import { EngineError, ModelValidationError, SbmlImportError, type SbmlProblem } from '../errors/index.js';

function sbmlProblem(p: SbmlProblem): string {
  const at = p.line !== undefined ? `line ${p.line}: ` : '';
  const element = p.element ? `${p.element}${p.id !== undefined ? ` "${p.id}"` : ''}: ` : '';
  return `${at}${element}${p.message}`.replace(/\s*\n\s*/g, ' ');
}

/** Each problem of a refused import on its own line (the file name left out: the case id says it). */
export function importRefusalProblems(error: SbmlImportError | ModelValidationError): string[] {
  if (error instanceof SbmlImportError) return error.problems.map(sbmlProblem);
  return error.issues.map((i) => `${i.path}: ${i.message}`.replace(/\s*\n\s*/g, ' '));
}

/** The error as one line: its problems joined by "; ", or its message with line breaks folded. */
export function caseOutcomeReason(error: EngineError): string {
  if (error instanceof SbmlImportError || error instanceof ModelValidationError) return importRefusalProblems(error).join('; ');
  return error.message.replace(/\s*\n\s*/g, '; ');
}

/** 6 significant digits, shortest form (1e-7, 0.000135726, 1.5). */
export function formatNumber(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(6))) : String(value);
}
