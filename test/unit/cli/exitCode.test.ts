import { describe, expect, it } from 'vitest';
import { EngineError, ModelValidationError, SimulationError, SimulationFailedError } from '../../../engine/errors/index.js';
import {
  CommandCancelledError,
  EXIT_BAD_INPUT,
  EXIT_CANCELLED,
  EXIT_RUN_FAILED as EXIT_FAILURE,
  RunFailedError,
  errorFromWire,
  errorLine,
  exitCodeFor,
} from '../../../engine/cli/exitCode.js';
import { toWireError } from '../../../engine/api/wire.js';

/** The CLI's exit code follows the error's class: 2 bad input or configuration, 1 a run failed, 130 cancelled. */
describe('exit codes by error class', () => {
  it('maps bad input to 2, a failed run to 1, a cancellation to 130', () => {
    expect(exitCodeFor(new ModelValidationError([{ path: 'species', message: 'expected an array' }], 'm.json'))).toBe(EXIT_BAD_INPUT);
    expect(exitCodeFor(new EngineError('INVALID_STUDY', 'bad study'))).toBe(EXIT_BAD_INPUT);
    expect(exitCodeFor(new SimulationError('RATE_NOT_FINITE', 'rate is NaN'))).toBe(EXIT_FAILURE);
    expect(exitCodeFor(new RunFailedError('DSMTS_FAILED', '1 of 1 case failed'))).toBe(EXIT_FAILURE);
    expect(exitCodeFor(new SimulationFailedError('run-time', 'negative propensity'))).toBe(EXIT_FAILURE);
    expect(exitCodeFor(new CommandCancelledError('x: cancelled (interrupted)'))).toBe(EXIT_CANCELLED);
    expect(exitCodeFor(new TypeError('a bug'))).toBe(EXIT_FAILURE);
  });

  it('keeps the class of an error that crossed the EngineApi (by its name and code)', () => {
    const simulation = errorFromWire(toWireError(new SimulationError('EVENT_BUDGET', 'more than 1e9 events')));
    expect(simulation).toMatchObject({ name: 'SimulationError', code: 'EVENT_BUDGET', message: 'more than 1e9 events' });
    expect(exitCodeFor(simulation)).toBe(EXIT_FAILURE);
    expect(errorLine(simulation)).toBe('sciope: run failed: more than 1e9 events');
    const thrown = errorFromWire(toWireError(new SimulationFailedError('run-time', 'propensity of R1 is negative')));
    expect(exitCodeFor(thrown)).toBe(EXIT_FAILURE);
    expect(errorLine(thrown)).toBe('sciope: run failed: propensity of R1 is negative');
    const input = errorFromWire(toWireError(new ModelValidationError([{ path: 'reactions[0].rate', message: 'unknown name "k"' }], 'm.json')));
    expect(exitCodeFor(input)).toBe(EXIT_BAD_INPUT);
    expect(errorLine(input)).toMatch(/^sciope: error: m\.json: invalid model/);
    const cancelled = errorFromWire({ name: 'AbortError', code: 'CANCELLED', message: 'cancelled', details: {} });
    expect(exitCodeFor(cancelled)).toBe(EXIT_CANCELLED);
    expect(errorLine(new CommandCancelledError('toggle-switch: cancelled (interrupted)'))).toBe('sciope: toggle-switch: cancelled (interrupted)');
  });
});
