/**
 * The engine's error family. Every error carries a stable `code` (for
 * programs) and `details` (for people: where it happened and what was
 * expected), so that it can cross IPC or HTTP as `{ name, code, message, details }`.
 */
export class EngineError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }

  toJSON(): { name: string; code: string; message: string; details: Record<string, unknown> } {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

/** One problem found while validating a model; `path` names the field, e.g. `reactions[3].rate`. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** A model that fails validation. Lists every problem found, not just the first. */
export class ModelValidationError extends EngineError {
  readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[], source?: string) {
    const where = source ? `${source}: ` : '';
    const lines = issues.map((i) => `  ${i.path}: ${i.message}`).join('\n');
    super('MODEL_INVALID', `${where}invalid model (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines}`, {
      source,
      issues,
    });
    this.issues = issues;
  }
}

/**
 * A model a count-based simulator (exact SSA, tau-leaping) cannot run as it
 * is: concentrations, real amounts, rate rules, delays... (model/countModel.ts
 * lists them). The message names every reason and what to do instead.
 */
export class ModelNotCountsError extends EngineError {
  readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[], method: string) {
    const lines = issues.map((i) => `  ${i.path}: ${i.message}`).join('\n');
    super(
      'MODEL_NOT_COUNTS',
      `method ${method} simulates molecule counts, and this model is not a count model (${issues.length} reason${issues.length === 1 ? '' : 's'}):\n${lines}\n` +
        'Simulate it with method ode (deterministic, SBML semantics), or convert it to molecule counts first.',
      { method, issues },
    );
    this.issues = issues;
  }
}

/** A rate or propensity expression that does not parse; `position` is the 0-based column. */
export class ExpressionSyntaxError extends EngineError {
  readonly position: number;

  constructor(message: string, text: string, position: number) {
    super('EXPRESSION_SYNTAX', `${message} at column ${position + 1} of "${text}"`, { text, position });
    this.position = position;
  }
}

/** Bad settings passed to a simulator (time grid, runs, method). */
export class SimulationSettingsError extends EngineError {
  constructor(field: string, message: string) {
    super('SIMULATION_SETTINGS', `${field}: ${message}`, { field });
  }
}

/**
 * A simulation that the model made fail at run time (the model validated, the
 * settings were fine): e.g. code `RATE_NOT_FINITE`, a propensity or rate
 * constant that is Infinity or NaN; `details` name the reaction, the value
 * and the time reached.
 */
export class SimulationError extends EngineError {
  /** A run that failed, not bad input: the CLI exits 1 (see cli/main.ts). */
  readonly runFailed = true;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

/** Why a SimulationFailedError was thrown (its `reason` and `details.reason`). */
export type SimulationFailureReason =
  /** A propensity or rate constant that is finite but negative. */
  | 'negative-rate'
  /** A count driven below zero (tau-leaping: however short the leap). */
  | 'negative-count'
  /** An initial value (SBML initial assignment) that is not a finite value, or not a count where counts are simulated. */
  | 'initial-value'
  /** A time event whose trigger time is NaN. */
  | 'event-time'
  /** An event assigning a value that is not finite, or not a count where counts are simulated. */
  | 'event-assignment'
  /** Events that keep triggering each other at one instant. */
  | 'event-loop'
  /** A RangeError thrown while a trajectory was simulated (see asSimulationFailure). */
  | 'run-time';

/**
 * A simulation that failed at run time without a more specific code (those
 * are RATE_NOT_FINITE, EVENT_BUDGET, DERIVATIVE_NOT_FINITE...): code
 * `SIMULATION_FAILED`; `reason` says what happened, and `details` name the
 * reaction, species or event, the value and the time reached. The model
 * validated and the settings were fine: it is not bad input, and the CLI
 * exits 1 (engine/errors/exitCodes.ts).
 */
export class SimulationFailedError extends SimulationError {
  constructor(reason: SimulationFailureReason, message: string, details: Record<string, unknown> = {}) {
    super('SIMULATION_FAILED', message, { ...details, reason });
  }

  /** Read from `details`, so that it survives the copies made across threads (compute/thread/taskErrors.ts). */
  get reason(): SimulationFailureReason {
    return this.details.reason as SimulationFailureReason;
  }
}

/**
 * The error to report for `error`, thrown while a trajectory was simulated
 * (Simulator.simulateInto): a bare RangeError there is the model failing at
 * run time (a check in generated or numerical code), so it becomes a
 * SimulationFailedError with the same message; anything else is returned as
 * it is. Settings and models are checked before any trajectory runs, so no
 * configuration error is caught here.
 */
export function asSimulationFailure(error: unknown): unknown {
  if (error instanceof RangeError) return new SimulationFailedError('run-time', error.message);
  return error;
}

/**
 * A trajectory that needed more than its budget of reaction events (SSA),
 * leaps and exact steps (tau-leaping) or steps (ODE): code `EVENT_BUDGET`.
 * Stops a model whose rates grow without bound instead of letting it run
 * for hours; `details`: method, budget, time (reached) and end (of the grid).
 */
export class SimulationBudgetError extends SimulationError {
  readonly budget: number;
  readonly time: number;

  /** `setting` names the budget the user can raise (maxEvents, maxSteps, timeLimitMs). */
  constructor(method: string, budget: number, time: number, end: number, what = 'events', setting = 'maxEvents') {
    const cause = setting === 'timeLimitMs' ? 'the model may be stiff or very busy' : 'the model may be explosive (a rate grows without bound)';
    super(
      'EVENT_BUDGET',
      `${method}: more than ${budget} ${what} before t=${end} (the ${setting === 'maxEvents' ? 'event budget' : 'budget'}, ${setting}); stopped at t=${time}: ` +
        `${cause}; if it is meant to be this busy, raise ${setting}`,
      { method, budget, time, end, setting },
    );
    this.budget = budget;
    this.time = time;
  }
}

/**
 * One reason an SBML document cannot be imported. `kind`: `xml` (not
 * well-formed XML), `sbml` (libSBML finds the document invalid), `unsupported`
 * (valid SBML the engine cannot run). `element` and `id` name the SBML
 * element (`reaction`, "R1"); `line` and `column` are 1-based when known.
 */
export interface SbmlProblem {
  kind: 'xml' | 'sbml' | 'unsupported';
  message: string;
  element?: string;
  id?: string;
  line?: number;
  column?: number;
}

/** An SBML document that cannot be imported. Lists every problem found, not just the first. */
export class SbmlImportError extends EngineError {
  readonly problems: SbmlProblem[];

  constructor(problems: SbmlProblem[], source?: string) {
    const where = source ? `${source}: ` : '';
    const lines = problems.map((p) => `  ${formatSbmlProblem(p)}`).join('\n');
    super('SBML_IMPORT', `${where}cannot import SBML (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines}`, { source, problems });
    this.problems = problems;
  }
}

function formatSbmlProblem(p: SbmlProblem): string {
  const at = p.line !== undefined ? `line ${p.line}${p.column !== undefined ? `, column ${p.column}` : ''}: ` : '';
  const element = p.element ? `${p.element}${p.id !== undefined ? ` "${p.id}"` : ''}: ` : '';
  return `${at}${element}${p.message}`;
}

/**
 * A remote node of the SSH pool that cannot be used or was lost: `node` names
 * it (user@host:port), `reason` says what went wrong (`unknown-host`,
 * `host-key-changed`, `connect`, `auth`, `node-missing`, `node-too-old`,
 * `deploy`, `protocol`, `lost`, `all-lost`), the message says what to do.
 */
export class RemoteNodeError extends EngineError {
  readonly node: string;
  readonly reason: string;

  constructor(node: string, reason: string, message: string, details: Record<string, unknown> = {}) {
    super('REMOTE_NODE', message, { node, reason, ...details });
    this.node = node;
    this.reason = reason;
  }
}

/**
 * A project file (`.sciope`, SQLite) that cannot be opened or written.
 * `reason`: `not-found`, `exists`, `not-a-project` (not SQLite, or SQLite
 * without the Sciope application id), `newer-version` (made by a newer
 * Sciope), `corrupted`, `in-use` (another process holds the write lock past
 * the busy timeout), `disk-full`, `read-only`, `io`. The file is left unchanged.
 */
export class ProjectFileError extends EngineError {
  readonly file: string;
  readonly reason: string;

  constructor(file: string, reason: string, message: string, details: Record<string, unknown> = {}) {
    super('PROJECT_FILE', `${file}: ${message}`, { file, reason, ...details });
    this.file = file;
    this.reason = reason;
  }
}
