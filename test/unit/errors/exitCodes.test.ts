import { describe, expect, it } from 'vitest';
import { ApiArgumentError, ApiStateError, unwrapOutcome } from '../../../engine/api/wire.js';
import { NodesLostError } from '../../../engine/compute/ssh/errors.js';
import { EXIT_BAD_INPUT, EXIT_CANCELLED, EXIT_RUN_FAILED, exitCodeFor, isCancellation, isRunFailure } from '../../../engine/errors/exitCodes.js';
import {
  EngineError,
  ModelValidationError,
  ProjectFileError,
  RemoteNodeError,
  SimulationBudgetError,
  SimulationError,
  SimulationFailedError,
  SimulationSettingsError,
} from '../../../engine/errors/index.js';

/**
 * The CLI's exit status follows the error's class: 2 bad input or
 * configuration, 1 a run that failed, 130 cancelled; also for errors rebuilt
 * from the EngineApi wire, where only name and code survive.
 */
describe('exitCodeFor', () => {
  it.each([
    ['a simulation the model made fail', new SimulationFailedError('negative-rate', 'reaction r: propensity is -1 at t=0')],
    ['a non-finite rate', new SimulationError('RATE_NOT_FINITE', 'reaction r: propensity is NaN')],
    ['an exhausted event budget', new SimulationBudgetError('ssa', 100, 3, 10)],
    ['every SSH node lost mid-run', new NodesLostError('every node was lost')],
    ['an unexpected error (a bug is not the input)', new TypeError('x is undefined')],
  ])('exits 1 for %s', (_, error) => {
    expect(exitCodeFor(error)).toBe(EXIT_RUN_FAILED);
  });

  it.each([
    ['bad simulation settings', new SimulationSettingsError('points', 'expected an integer >= 2, got 1')],
    ['an invalid model', new ModelValidationError([{ path: 'reactions[0].rate', message: 'unknown name k' }])],
    ['a bad API argument', new ApiArgumentError('runs.start', [{ path: 'studyId', message: 'expected an integer' }])],
    ['a call the state refuses', new ApiStateError('NO_PROJECT', 'no project is open')],
    ['a project file that cannot be opened', new ProjectFileError('/x.sciope', 'not-a-project', 'not a Sciope project')],
    ['an SSH node refusing its key (configuration)', new RemoteNodeError('me@host:22', 'auth', 'authentication failed')],
    ['a value out of range that no schema caught', new RangeError('truncated normal prior: [5, 6] holds no mass')],
  ])('exits 2 for %s', (_, error) => {
    expect(exitCodeFor(error)).toBe(EXIT_BAD_INPUT);
  });

  it('exits 130 when cancelled: an AbortError, or CANCELLED from the wire', () => {
    expect(exitCodeFor(new DOMException('This operation was aborted', 'AbortError'))).toBe(EXIT_CANCELLED);
    expect(exitCodeFor(new EngineError('CANCELLED', 'cancelled'))).toBe(EXIT_CANCELLED);
    expect(isCancellation(new Error('aborted'))).toBe(false);
  });

  it('judges an error rebuilt from the wire by its name and code, as the class it was', () => {
    const rebuilt = (name: string, code: string) => {
      try {
        unwrapOutcome({ ok: false, error: { name, code, message: 'm', details: {} } });
      } catch (error) {
        return error;
      }
      throw new Error('unwrapOutcome did not throw');
    };
    expect(exitCodeFor(rebuilt('SimulationFailedError', 'SIMULATION_FAILED'))).toBe(EXIT_RUN_FAILED);
    expect(exitCodeFor(rebuilt('SimulationBudgetError', 'EVENT_BUDGET'))).toBe(EXIT_RUN_FAILED);
    expect(exitCodeFor(rebuilt('InternalError', 'INTERNAL'))).toBe(EXIT_RUN_FAILED);
    expect(exitCodeFor(rebuilt('SimulationSettingsError', 'SIMULATION_SETTINGS'))).toBe(EXIT_BAD_INPUT);
    expect(exitCodeFor(rebuilt('ApiArgumentError', 'INVALID_ARGUMENT'))).toBe(EXIT_BAD_INPUT);
    expect(exitCodeFor(rebuilt('AbortError', 'CANCELLED'))).toBe(EXIT_CANCELLED);
  });

  it('isRunFailure reads the runFailed flag of the classes that set it', () => {
    expect(isRunFailure(new SimulationFailedError('event-loop', 'events keep triggering each other'))).toBe(true);
    expect(isRunFailure(new SimulationSettingsError('runs', 'expected an integer >= 1'))).toBe(false);
    expect(isRunFailure(null)).toBe(false);
    expect(isRunFailure('a string')).toBe(false);
  });
});
