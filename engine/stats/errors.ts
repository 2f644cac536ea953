import { EngineError, type ValidationIssue } from '../errors/index.js';

/**
 * A summary-statistics, distance or scaler spec that does not validate, or
 * names species the model lacks. Lists every problem with its path, e.g.
 * `statistics.lags[1]: expected a positive integer`.
 */
export class PartSpecError extends EngineError {
  readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[]) {
    super('PART_SPEC_INVALID', issues.map((i) => `${i.path}: ${i.message}`).join('\n'), { issues });
    this.issues = issues;
  }
}

/** Arrays of the wrong length handed to a statistics part (`out`, feature vectors, weights). */
export class FeatureShapeError extends EngineError {
  constructor(what: string, expected: number, got: number) {
    super('FEATURE_SHAPE', `${what}: expected ${expected} values, got ${got}`, { what, expected, got });
  }
}
