import { EngineError, SimulationError, SimulationFailedError } from '../../errors/index.js';
import { ExplorationError } from '../../explore/errors.js';
import { NeuralNetworkError } from '../../learn/nn/errors.js';
import { LearnInputError } from '../../learn/reduce/errors.js';
import { SurrogateError, SurrogateNumericalError, SurrogateSpecError } from '../../learn/surrogate/SurrogateError.js';

/**
 * An error as it crosses from a compute thread to the caller's:
 * `{ name, code, message, details }` as on the EngineApi wire, plus the
 * stack. Structured clone would keep only the message of an Error (and
 * lose its class and code), so the thread sends this instead and the
 * caller revives it as an instance of the same class: `instanceof
 * LearnInputError` and toWireError's code hold on both sides.
 */
export interface SerialisedError {
  readonly name: string;
  readonly code: string | null;
  readonly message: string;
  readonly details: Record<string, unknown>;
  readonly stack?: string;
}

/** The EngineError classes the compute tasks throw, by name: revived with their own prototype. */
const ENGINE_ERRORS: Readonly<Record<string, { prototype: EngineError }>> = {
  EngineError,
  SimulationError,
  SimulationFailedError,
  ExplorationError,
  NeuralNetworkError,
  LearnInputError,
  SurrogateError,
  SurrogateNumericalError,
  SurrogateSpecError,
};

const BUILT_IN_ERRORS: Readonly<Record<string, ErrorConstructor>> = { Error, RangeError, TypeError, SyntaxError, ReferenceError, EvalError, URIError };

export function serialiseError(error: unknown): SerialisedError {
  if (error instanceof EngineError)
    return { name: error.name, code: error.code, message: error.message, details: structuredSafe(error.details), stack: error.stack };
  if (error instanceof Error) return { name: error.name, code: null, message: error.message, details: {}, stack: error.stack };
  return { name: 'Error', code: null, message: String(error), details: {} };
}

export function reviveError(serialised: SerialisedError): Error {
  const { name, code, message, details, stack } = serialised;
  let error: Error;
  if (code !== null) {
    // Built without its constructor (whose arguments differ per class) but with its prototype and fields.
    error = Object.assign(Object.create((ENGINE_ERRORS[name] ?? EngineError).prototype) as EngineError, { code, details });
    setOwn(error, 'message', message);
  } else if (name === 'AbortError') {
    error = new DOMException(message, 'AbortError');
  } else {
    error = new (BUILT_IN_ERRORS[name] ?? Error)(message);
  }
  if (error.name !== name) setOwn(error, 'name', name);
  if (stack !== undefined) setOwn(error, 'stack', stack);
  return error;
}

/** As Error's own fields are: writable, not enumerable. */
function setOwn(error: Error, key: 'name' | 'message' | 'stack', value: string): void {
  Object.defineProperty(error, key, { value, writable: true, configurable: true, enumerable: false });
}

/** Details travel by structured clone: anything that cannot (functions, class instances with methods) goes as JSON. */
function structuredSafe(details: Record<string, unknown>): Record<string, unknown> {
  try {
    return structuredClone(details);
  } catch {
    return JSON.parse(JSON.stringify(details)) as Record<string, unknown>;
  }
}
