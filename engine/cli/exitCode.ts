import type { WireError } from '../api/contract.js';
import { EngineError } from '../errors/index.js';
import { isCancellation, isRunFailure } from '../errors/exitCodes.js';

/** Exit codes by what happened (engine/errors/exitCodes.ts): 0 success, 1 a run failed, 2 bad input or configuration, 130 cancelled. */
export { EXIT_BAD_INPUT, EXIT_CANCELLED, EXIT_RUN_FAILED, EXIT_SUCCESS, exitCodeFor } from '../errors/exitCodes.js';

/** The person stopped the command (Ctrl-C): not a failure of the run, not bad input (code CANCELLED: exit 130). */
export class CommandCancelledError extends EngineError {
  constructor(message: string) {
    super('CANCELLED', message);
  }
}

/** The command ran to its end and what it checked failed (a test-suite case): exit 1, not 2 (the input was fine). */
export class RunFailedError extends EngineError {
  readonly runFailed = true;
}

/**
 * An error that came back from the EngineApi as `{ name, code, message,
 * details }`, thrown again as the engine error it was: its name is kept, and
 * with it its class's exit code (isRunFailure judges a rebuilt error by name).
 */
export function errorFromWire(wire: WireError): EngineError {
  if (wire.code === 'CANCELLED') return new CommandCancelledError(wire.message);
  return Object.assign(new EngineError(wire.code, wire.message, wire.details), { name: wire.name });
}

/** The line a command's error is reported with on stderr (never a stack trace for an error the engine expects). */
export function errorLine(error: unknown): string {
  if (isCancellation(error)) return `sciope: ${error instanceof CommandCancelledError ? error.message : 'cancelled'}`;
  if (isRunFailure(error) && error instanceof Error) return `sciope: run failed: ${error.message}`;
  if (error instanceof EngineError || error instanceof RangeError) return `sciope: error: ${error.message}`;
  return `sciope: unexpected error: ${(error as Error)?.stack ?? String(error)}`;
}
