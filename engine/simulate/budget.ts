import { SimulationSettingsError } from '../errors/index.js';
import type { SimulationMethod } from './types.js';

/**
 * Default event budgets per trajectory, used when neither the caller nor the
 * job sets `maxEvents` (see SimulationBudgetError):
 * - ssa: 1e9 reaction events, about 30 s of one core on a small model (the
 *   Vilar oscillator needs 5.6e5 events for t = 0..200), so no model meant to
 *   be simulated exactly comes near it;
 * - tau: 1e9 leaps and exact steps, the limit tau-leaping always had;
 * - ode: 1e6 accepted steps, equal to the solver's limit on attempted steps
 *   (maxSteps, the stiffness guard), which therefore still trips first.
 * Callers that need an answer quickly (previews) pass tighter budgets.
 */
export const DEFAULT_MAX_EVENTS: Readonly<Record<SimulationMethod, number>> = Object.freeze({ ssa: 1e9, tau: 1e9, ode: 1e6, hybrid: 1e9 });

/** `value`, checked to be an integer >= 1, or the method's default when undefined. */
export function eventBudget(method: SimulationMethod, value: number | undefined, field = `${method} option maxEvents`): number {
  if (value === undefined) return DEFAULT_MAX_EVENTS[method];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new SimulationSettingsError(field, `expected an integer >= 1, got ${String(value)}`);
  return value;
}
