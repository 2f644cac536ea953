import { EngineError } from '../errors/index.js';

/** Bad inference settings, or a run that cannot go on (no acceptable particle within the trial budget). */
export class InferenceError extends EngineError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('INFERENCE', message, details);
  }
}

/** An observed-data file that cannot be used; the message names the file, line and column. */
export class ObservedDataError extends EngineError {
  constructor(source: string, message: string, where: { line?: number; column?: number; columnName?: string } = {}) {
    let at = '';
    if (where.line !== undefined) {
      at = `line ${where.line}`;
      if (where.column !== undefined) at += `, column ${where.column}${where.columnName !== undefined ? ` (${where.columnName})` : ''}`;
      at += ': ';
    }
    super('OBSERVED_DATA', `${source}: ${at}${message}`, { source, ...where });
  }
}

/** A study file that does not validate; each issue names its field, e.g. `algorithm.populationSize`. */
export class StudyError extends EngineError {
  readonly issues: ReadonlyArray<{ path: string; message: string }>;

  constructor(source: string, issues: ReadonlyArray<{ path: string; message: string }>) {
    const lines = issues.map((i) => `  ${i.path}: ${i.message}`).join('\n');
    super('STUDY_INVALID', `${source}: invalid study (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines}`, { source, issues });
    this.issues = issues;
  }
}
