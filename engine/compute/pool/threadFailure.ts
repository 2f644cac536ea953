import { EngineError, SimulationError, SimulationFailedError, type SimulationFailureReason } from '../../errors/index.js';

/**
 * A simulation that fails inside a worker thread for a reason of the model
 * fails the same way on any thread (the trial's seed fixes it): it is not
 * retried (isDeterministicFailure), and its class and code must reach the caller (EVENT_BUDGET, RATE_NOT_FINITE, a bad
 * simulator), which an Error thrown across threads does not keep. The
 * worker answers with this value instead of throwing; a thread that dies is
 * still retried by the pool.
 */
export interface ThreadFailure {
  readonly failed: { readonly name: string; readonly code: string | null; readonly message: string; readonly details: Record<string, unknown> };
}

export function toThreadFailure(error: unknown): ThreadFailure {
  if (error instanceof EngineError) return { failed: { name: error.name, code: error.code, message: error.message, details: error.details } };
  if (error instanceof Error) return { failed: { name: error.name, code: null, message: error.message, details: {} } };
  return { failed: { name: 'Error', code: null, message: String(error), details: {} } };
}

/** Failures that the same trial on the same seed repeats: the model's (SimulationError, RangeError) and bad jobs or settings. */
export function isDeterministicFailure({ failed }: ThreadFailure): boolean {
  return (
    failed.name === 'SimulationError' ||
    failed.name === 'SimulationBudgetError' ||
    failed.name === 'SimulationFailedError' ||
    failed.name === 'RangeError' ||
    failed.code === 'MODEL_INVALID' ||
    failed.code === 'SIMULATION_SETTINGS' ||
    failed.code === 'BLACKBOX_SPEC'
  );
}

export function isThreadFailure(value: unknown): value is ThreadFailure {
  return typeof value === 'object' && value !== null && 'failed' in value;
}

/** The error as the caller's thread should see it: an EngineError with its code, a RangeError for model failures at run time. */
export function fromThreadFailure({ failed }: ThreadFailure): Error {
  if (failed.code !== null) {
    const error =
      failed.name === 'SimulationFailedError'
        ? new SimulationFailedError((failed.details.reason as SimulationFailureReason | undefined) ?? 'run-time', failed.message, failed.details)
        : failed.name === 'SimulationError' || failed.name === 'SimulationBudgetError'
          ? new SimulationError(failed.code, failed.message, failed.details)
          : new EngineError(failed.code, failed.message, failed.details);
    Object.defineProperty(error, 'name', { value: failed.name });
    return error;
  }
  if (failed.name === 'RangeError') return new RangeError(failed.message);
  return Object.assign(new Error(failed.message), { name: failed.name });
}
