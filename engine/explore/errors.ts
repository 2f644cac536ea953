import { EngineError } from '../errors/index.js';

/** A session file that does not validate; each issue names its field, e.g. `parameters.alpha1[1]`. */
export class SessionSpecError extends EngineError {
  readonly issues: ReadonlyArray<{ path: string; message: string }>;

  constructor(source: string, issues: ReadonlyArray<{ path: string; message: string }>) {
    const lines = issues.map((i) => `  ${i.path}: ${i.message}`).join('\n');
    super('SESSION_INVALID', `${source}: invalid exploration session (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines}`, {
      source,
      issues,
    });
    this.issues = issues;
  }
}

/** A request an exploration session cannot serve (unknown point, no labels yet, empty region); `field` names the argument. */
export class ExplorationError extends EngineError {
  constructor(field: string, message: string) {
    super('EXPLORATION', `${field}: ${message}`, { field });
  }
}
