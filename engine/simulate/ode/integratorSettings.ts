import { SimulationSettingsError } from '../../errors/index.js';
import type { IntegratorOptions } from './integrator.js';

/**
 * Validated integrator options, with one absolute tolerance per component,
 * and the error norm every integrator here measures its local error in.
 */
export interface IntegratorSettings {
  readonly rtol: number;
  /** One absolute tolerance per component. */
  readonly atol: Float64Array;
  readonly maxStep: number;
  readonly maxSteps: number;
}

export function resolveIntegratorSettings(options: IntegratorOptions, size: number): IntegratorSettings {
  const rtol = options.rtol ?? 1e-6;
  if (!(rtol > 0 && rtol < 1)) throw new SimulationSettingsError('rtol', `expected a number in (0, 1), got ${rtol}`);
  const atol = new Float64Array(size);
  const given = options.atol ?? 1e-9;
  if (typeof given === 'number') atol.fill(given);
  else if (given.length === size) atol.set(given);
  else throw new SimulationSettingsError('atol', `expected one number or ${size} numbers (one per component), got ${given.length}`);
  for (let i = 0; i < size; i++) {
    if (!(atol[i] > 0 && atol[i] < Infinity)) throw new SimulationSettingsError('atol', `expected finite numbers > 0, got ${atol[i]} for component ${i}`);
  }
  const maxStep = options.maxStep ?? Infinity;
  if (!(maxStep > 0)) throw new SimulationSettingsError('maxStep', `expected a number > 0, got ${maxStep}`);
  const maxSteps = options.maxSteps ?? 1e6;
  if (!(Number.isInteger(maxSteps) && maxSteps >= 1)) throw new SimulationSettingsError('maxSteps', `expected an integer >= 1, got ${maxSteps}`);
  return { rtol, atol, maxStep, maxSteps };
}

/**
 * RMS norm of the local error estimate err, component i scaled by
 * atol_i + rtol · max(|y0_i|, |y1_i|) (Hairer, Nørsett & Wanner, Solving
 * ODEs I, 2nd ed. 1993, §II.4, eq. 4.11). NaN when err or y1 is not finite,
 * which the step controllers treat as a rejection.
 */
export function scaledErrorNorm(err: Float64Array, y0: Float64Array, y1: Float64Array, settings: IntegratorSettings): number {
  const { rtol, atol } = settings;
  const n = err.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (!(Math.abs(y1[i]) < Infinity)) return NaN;
    const scaled = err[i] / (atol[i] + rtol * Math.max(Math.abs(y0[i]), Math.abs(y1[i])));
    sum += scaled * scaled;
  }
  const norm = Math.sqrt(sum / Math.max(n, 1));
  return norm < Infinity ? norm : NaN;
}
