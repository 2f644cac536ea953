import type { z } from 'zod';
import { EngineError } from '../errors/index.js';
import type { CallOutcome, WireError } from './contract.js';
import { zodIssues } from '../errors/zodIssues.js';
import type { ValidationIssue } from '../errors/index.js';

/** A method argument that fails its schema: names every bad field. */
export class ApiArgumentError extends EngineError {
  constructor(method: string, issues: Array<{ path: string; message: string }>) {
    const lines = issues.map((i) => `  ${i.path}: ${i.message}`).join('\n');
    super('INVALID_ARGUMENT', `${method}: invalid argument (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines}`, { method, issues });
  }
}

/** A call the engine cannot serve in its current state (no project open, a run in progress, ...). */
export class ApiStateError extends EngineError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

/** An API argument's problems (engine/errors/zodIssues.ts), `(argument)` for the argument as a whole. */
export function argumentIssues(error: z.ZodError): ValidationIssue[] {
  return zodIssues(error, { whole: '(argument)' });
}

/**
 * An error as it crosses IPC or HTTP, its code chosen by its class. Engine
 * errors keep their own code and details: a simulation that failed at run
 * time is a SimulationError (SIMULATION_FAILED, RATE_NOT_FINITE,
 * EVENT_BUDGET...), bad input and configuration have theirs
 * (INVALID_ARGUMENT, SIMULATION_SETTINGS, MODEL_INVALID...). A cancelled
 * operation is CANCELLED. A bare RangeError is a value out of its range
 * that no boundary check caught (OUT_OF_RANGE), never a simulation failure:
 * the simulators turn theirs into SimulationFailedError (asSimulationFailure).
 * Anything else is an internal error whose message is kept but whose stack
 * stays on this side (the caller logs it).
 */
export function toWireError(error: unknown): WireError {
  if (error instanceof EngineError) return { ...error.toJSON(), details: jsonSafe(error.details) as Record<string, unknown> };
  if (error instanceof Error && error.name === 'AbortError') return { name: 'AbortError', code: 'CANCELLED', message: 'cancelled', details: {} };
  if (error instanceof RangeError) return { name: 'RangeError', code: 'OUT_OF_RANGE', message: error.message, details: {} };
  const message = error instanceof Error ? error.message : String(error);
  return { name: 'InternalError', code: 'INTERNAL', message: `internal error: ${message} (please report this)`, details: {} };
}

/** Plain JSON: typed arrays to arrays, non-finite numbers to null, no functions. */
export function jsonSafe(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value === null || typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, (v) => (Number.isFinite(v) ? v : null));
  if (Array.isArray(value)) return value.map(jsonSafe);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const safe = jsonSafe(v);
    if (safe !== undefined) out[key] = safe;
  }
  return out;
}

/** The value of an outcome, or its error thrown as an EngineError with the wire's name, code and details (typed `call`s). */
export function unwrapOutcome(outcome: CallOutcome): unknown {
  if (!outcome.ok) throw Object.assign(new EngineError(outcome.error.code, outcome.error.message, outcome.error.details), { name: outcome.error.name });
  return outcome.value;
}
