import { EngineError } from './index.js';

/**
 * The CLI's exit status by what happened, so that scripts and schedulers can
 * tell a bad command line from a run that failed (the conventions of sysexits
 * and of shells: 2 for usage, 128 + SIGINT for Ctrl-C).
 */
export const EXIT_SUCCESS = 0;
/** A run failed although its input was fine: a simulation the model made fail, every SSH node lost, a crash. */
export const EXIT_RUN_FAILED = 1;
/** Bad input or configuration: arguments, files, models, studies, settings. Nothing ran, or nothing that counts. */
export const EXIT_BAD_INPUT = 2;
/** Cancelled by the person (Ctrl-C, SIGINT = 2): 128 + 2, as a shell reports it. */
export const EXIT_CANCELLED = 130;

export type ExitCode = typeof EXIT_SUCCESS | typeof EXIT_RUN_FAILED | typeof EXIT_BAD_INPUT | typeof EXIT_CANCELLED;

/**
 * Classes (by name) that say a run failed while its input was fine. Each
 * sets `runFailed` where it is thrown; only the name survives the EngineApi
 * wire ({ name, code, message, details }), so a rebuilt error is judged by it.
 */
const RUN_FAILED_NAMES: ReadonlySet<string> = new Set([
  'SimulationError',
  'SimulationBudgetError',
  'SimulationFailedError',
  'NodesLostError',
  'ComputeThreadError',
  'InternalError',
]);

/** Whether `error` says an operation was cancelled: an AbortError, or an engine error with code CANCELLED (as it comes back from the wire). */
export function isCancellation(error: unknown): boolean {
  if (error instanceof EngineError) return error.code === 'CANCELLED';
  return error instanceof Error && error.name === 'AbortError';
}

/** Whether `error` says a run failed (rather than that the input was bad): its class sets `runFailed`, or its name is one of those classes'. */
export function isRunFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as { runFailed?: unknown }).runFailed === true) return true;
  return error instanceof Error && RUN_FAILED_NAMES.has(error.name);
}

/**
 * The exit code for the error a command ended with: 130 cancelled; 1 a run
 * failed (SimulationError and its subclasses, NodesLostError...); 2 any
 * other engine error (bad arguments, files, models, studies, settings) and a
 * bare RangeError (a value out of range that no schema caught: the
 * simulators throw SimulationFailedError for their own failures); 1 for
 * anything unexpected (a bug is not the user's input).
 */
export function exitCodeFor(error: unknown): ExitCode {
  if (isCancellation(error)) return EXIT_CANCELLED;
  if (isRunFailure(error)) return EXIT_RUN_FAILED;
  if (error instanceof EngineError || error instanceof RangeError) return EXIT_BAD_INPUT;
  return EXIT_RUN_FAILED;
}
