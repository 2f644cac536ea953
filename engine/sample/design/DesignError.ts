import { EngineError, type ValidationIssue } from '../../errors/index.js';

/**
 * A bad argument passed to a design or sequence routine, e.g.
 * `latinHypercube(n): expected an integer >= 1, got 0`.
 */
export class DesignError extends EngineError {
  constructor(routine: string, field: string, message: string) {
    super('DESIGN_ARGUMENT', `${routine}(${field}): ${message}`, { routine, field });
  }
}

/**
 * A stored design spec that does not validate. Lists every problem, each
 * with its path under `design`, e.g. `design.levels[2]: expected an integer >= 1`.
 */
export class DesignSpecError extends EngineError {
  readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[]) {
    const lines = issues.map((i) => `  ${i.path}: ${i.message}`).join('\n');
    const first = issues.length === 1 ? `${issues[0].path}: ${issues[0].message}` : `${issues.length} problems:\n${lines}`;
    super('DESIGN_SPEC_INVALID', `invalid design spec: ${first}`, { issues });
    this.issues = issues;
  }
}
