import { describe, expect, it } from 'vitest';
import { reviveError, serialiseError } from '../../../../engine/compute/thread/taskErrors.js';
import { EngineError, SimulationError } from '../../../../engine/errors/index.js';
import { ExplorationError } from '../../../../engine/explore/errors.js';
import { NeuralNetworkError } from '../../../../engine/learn/nn/errors.js';
import { SurrogateNumericalError } from '../../../../engine/learn/surrogate/SurrogateError.js';
import { toWireError } from '../../../../engine/api/wire.js';

/** What crosses the thread boundary is what structured clone keeps: the serialised form, cloned. */
const across = (error: unknown) => reviveError(structuredClone(serialiseError(error)));

describe('task errors across threads', () => {
  it.each([
    new NeuralNetworkError('epochs', 'expected an integer >= 1, got 0'),
    new ExplorationError('labels', 'no labelled point yet'),
    new SurrogateNumericalError('GaussianProcess.fit', 'x', 'not positive definite', { jitter: 1e-6 }),
    new SimulationError('RATE_NOT_FINITE', 'rate of r1 is NaN', { reaction: 'r1' }),
  ])('$name keeps its class, code, message, details and wire form', (original) => {
    const revived = across(original);
    expect(revived).toBeInstanceOf(original.constructor);
    expect(revived).toBeInstanceOf(EngineError);
    expect(revived).toMatchObject({ name: original.name, code: original.code, message: original.message, details: original.details });
    expect(revived.stack).toBe(original.stack);
    expect(toWireError(revived)).toEqual(toWireError(original));
  });

  it('an EngineError of a class the caller does not know stays an EngineError with its name and code', () => {
    class CustomError extends EngineError {}
    const revived = across(new CustomError('CUSTOM', 'odd'));
    expect(revived).toBeInstanceOf(EngineError);
    expect(toWireError(revived)).toEqual({ name: 'CustomError', code: 'CUSTOM', message: 'odd', details: {} });
  });

  it('built-in errors keep their class; an abort stays an AbortError', () => {
    expect(across(new RangeError('too far'))).toBeInstanceOf(RangeError);
    expect(across(new TypeError('bad'))).toMatchObject({ name: 'TypeError', message: 'bad' });
    const aborted = across(new DOMException('This operation was aborted', 'AbortError'));
    expect(aborted.name).toBe('AbortError');
    expect(toWireError(aborted).code).toBe('CANCELLED');
    expect(across('a string')).toMatchObject({ name: 'Error', message: 'a string' });
  });
});
