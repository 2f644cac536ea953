import { SimulationBudgetError, SimulationError } from '../../errors/index.js';

/**
 * The errors simulators throw when the model fails at run time. Generated
 * code receives this object as `FAIL` (FAIL_PARAMETER), so it throws engine
 * errors with stable codes while importing nothing; the calls sit on paths
 * taken once, never per event.
 */
export const MODEL_FAILURES = Object.freeze({
  /** A propensity or rate constant that is ±Infinity or NaN (code RATE_NOT_FINITE). */
  rate(what: 'propensity' | 'rate constant', reaction: string, value: number, time: number): SimulationError {
    return new SimulationError('RATE_NOT_FINITE', `reaction ${reaction}: ${what} is ${value} at t=${time}; expected a finite value >= 0 (a parameter or species may be too large, or a rate grows without bound)`, {
      reaction,
      what,
      value: String(value),
      time,
    });
  },
  /** A total propensity that overflows although every propensity is finite. */
  total(value: number, time: number): SimulationError {
    return new SimulationError('RATE_NOT_FINITE', `the total propensity is ${value} at t=${time}: the propensities are too large to add up; the model may be explosive (a rate grows without bound)`, {
      value: String(value),
      time,
    });
  },
  budget(method: string, budget: number, time: number, end: number, what?: string): SimulationBudgetError {
    return new SimulationBudgetError(method, budget, time, end, what);
  },
});

/** Name of the factory parameter that holds MODEL_FAILURES. */
export const FAIL_PARAMETER = 'FAIL';

/**
 * Statements that check `value` (a rate constant or propensity of reaction
 * `reaction`) at time `time` (both JS expressions): NaN and ±Infinity throw
 * RATE_NOT_FINITE; a finite negative value throws a RangeError with the
 * message `negativeMessage` (a JS expression), as negative values always did.
 */
export function finiteNonNegativeJs(value: string, what: 'propensity' | 'rate constant', reaction: string, time: string, negativeMessage: string): string {
  return (
    `if(!(${value}>=0&&${value}<Infinity)){` +
    `if(${value}<0&&${value}>-Infinity)throw new RangeError(${negativeMessage});` +
    `throw ${FAIL_PARAMETER}.rate(${JSON.stringify(what)},${JSON.stringify(reaction)},${value},${time});}`
  );
}
