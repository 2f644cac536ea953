import { EngineError } from '../errors/index.js';

/** A malformed file of an SBML Test Suite case; the message names the file and, where known, the line. */
export class SuiteFileError extends EngineError {
  constructor(file: string, message: string, line?: number) {
    super('SBML_SUITE_FILE', `${file}${line !== undefined ? `, line ${line}` : ''}: ${message}`, { file, line });
  }
}

/**
 * The run finished and something failed (a regression against `--expect`, or
 * a case that does not pass without one): the CLI exits 1, not 2 (bad input),
 * because `runFailed` is set (see cli/main.ts).
 */
export class SuiteFailedError extends EngineError {
  readonly runFailed = true;

  constructor(message: string, details: Record<string, unknown> = {}) {
    super('SBML_SUITE_FAILED', message, details);
  }
}
