import { SimulationBudgetError, SimulationError, SimulationFailedError, type SimulationFailureReason } from '../../errors/index.js';

/**
 * The errors simulators throw when the model fails at run time. Generated
 * code receives this object as `FAIL` (FAIL_PARAMETER), so it throws engine
 * errors with stable codes while importing nothing; the calls sit on paths
 * taken once, never per event.
 */
export const MODEL_FAILURES = Object.freeze({
  /** A propensity or rate constant that is ±Infinity or NaN (code RATE_NOT_FINITE). */
  rate(what: 'propensity' | 'rate constant', reaction: string, value: number, time: number): SimulationError {
    return new SimulationError(
      'RATE_NOT_FINITE',
      `reaction ${reaction}: ${what} is ${value} at t=${time}; expected a finite value >= 0 (a parameter or species may be too large, or a rate grows without bound)`,
      {
        reaction,
        what,
        value: String(value),
        time,
      },
    );
  },
  /** A total propensity that overflows although every propensity is finite. */
  total(value: number, time: number): SimulationError {
    return new SimulationError(
      'RATE_NOT_FINITE',
      `the total propensity is ${value} at t=${time}: the propensities are too large to add up; the model may be explosive (a rate grows without bound)`,
      {
        value: String(value),
        time,
      },
    );
  },
  budget(method: string, budget: number, time: number, end: number, what?: string): SimulationBudgetError {
    return new SimulationBudgetError(method, budget, time, end, what);
  },
  /** Any other failure of the model at run time (code SIMULATION_FAILED): a negative rate, a value that is not a count... */
  failed(reason: SimulationFailureReason, message: string, details?: Record<string, unknown>): SimulationFailedError {
    return new SimulationFailedError(reason, message, details);
  },
});

/** Name of the factory parameter that holds MODEL_FAILURES. */
export const FAIL_PARAMETER = 'FAIL';

/**
 * A statement that throws SIMULATION_FAILED for `reason` with the message
 * `message` (a JS expression) and the details `details` (a JS object
 * literal, evaluated only when it throws).
 */
export function failJs(reason: SimulationFailureReason, message: string, details = '{}'): string {
  return `throw ${FAIL_PARAMETER}.failed(${JSON.stringify(reason)},${message},${details});`;
}

/**
 * Statements that check `value` (a rate constant or propensity of reaction
 * `reaction`) at time `time` (both JS expressions): NaN and ±Infinity throw
 * RATE_NOT_FINITE; a finite negative value throws SIMULATION_FAILED
 * (reason negative-rate) with the message `negativeMessage` (a JS expression).
 */
export function finiteNonNegativeJs(value: string, what: 'propensity' | 'rate constant', reaction: string, time: string, negativeMessage: string): string {
  const details = `{reaction:${JSON.stringify(reaction)},what:${JSON.stringify(what)},value:${value},time:${time}}`;
  return (
    `if(!(${value}>=0&&${value}<Infinity)){` +
    `if(${value}<0&&${value}>-Infinity)${failJs('negative-rate', negativeMessage, details)}` +
    `throw ${FAIL_PARAMETER}.rate(${JSON.stringify(what)},${JSON.stringify(reaction)},${value},${time});}`
  );
}
