import { EngineError, type ValidationIssue } from '../../errors/index.js';

/**
 * A bad argument passed to a surrogate routine, e.g.
 * `GaussianProcess.fit(X): expected 40 values (20 rows × 2 columns), got 39`.
 */
export class SurrogateError extends EngineError {
  constructor(routine: string, field: string, message: string, details: Record<string, unknown> = {}) {
    super('SURROGATE_ARGUMENT', `${routine}(${field}): ${message}`, { routine, field, ...details });
  }
}

/**
 * Options or a stored surrogate (toJSON output) that do not validate. Lists
 * every problem, each with its path, e.g. `gp.kernel: expected one of "rbf", "matern32", "matern52"`.
 */
export class SurrogateSpecError extends EngineError {
  readonly issues: ValidationIssue[];

  constructor(what: string, issues: ValidationIssue[]) {
    const lines = issues.map((i) => `  ${i.path}: ${i.message}`).join('\n');
    const first = issues.length === 1 ? `${issues[0].path}: ${issues[0].message}` : `${issues.length} problems:\n${lines}`;
    super('SURROGATE_SPEC_INVALID', `invalid ${what}: ${first}`, { what, issues });
    this.issues = issues;
  }
}

/** The kernel matrix stayed numerically indefinite even after adding jitter. */
export class SurrogateNumericalError extends SurrogateError {}
