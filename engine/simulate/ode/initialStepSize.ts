import type { IntegratorSettings } from './integratorSettings.js';
import type { OdeSystem } from './integrator.js';

/**
 * A first step size for a method whose error estimate has order `order`
 * (4 for Dormand-Prince 5(4), 3 for RODAS4), from one explicit Euler
 * step: Hairer, Nørsett & Wanner, Solving ODEs I (2nd ed. 1993), §II.4,
 * "Starting step size" (HINIT of dopri5.f). h is chosen so that the
 * leading error term, estimated from f and its change along the step, is
 * about 0.01 in the tolerance-scaled norm, and never beyond `span`.
 * f0 must hold f(t, y); trial and f1 are scratch vectors. One call of f.
 */
export function initialStepSize(
  system: OdeSystem,
  t: number,
  y: Float64Array,
  f0: Float64Array,
  order: number,
  span: number,
  settings: IntegratorSettings,
  trial: Float64Array,
  f1: Float64Array,
): number {
  const { rtol, atol } = settings;
  const n = y.length;
  const limit = Math.min(span, settings.maxStep);
  let normF = 0;
  let normY = 0;
  for (let i = 0; i < n; i++) {
    const scale = atol[i] + rtol * Math.abs(y[i]);
    normF += (f0[i] / scale) ** 2;
    normY += (y[i] / scale) ** 2;
  }
  normF = Math.sqrt(normF / Math.max(n, 1));
  normY = Math.sqrt(normY / Math.max(n, 1));
  let h = normF <= 1e-5 || normY <= 1e-5 ? 1e-6 : 0.01 * (normY / normF);
  h = Math.min(h, limit);
  for (let i = 0; i < n; i++) trial[i] = y[i] + h * f0[i];
  system.derivative(t + h, trial, f1);
  let second = 0;
  for (let i = 0; i < n; i++) second += ((f1[i] - f0[i]) / (atol[i] + rtol * Math.abs(y[i]))) ** 2;
  second = Math.sqrt(second / Math.max(n, 1)) / h;
  const largest = Math.max(second, normF);
  const h1 = largest <= 1e-15 ? Math.max(1e-6, h * 1e-3) : (0.01 / largest) ** (1 / (order + 1));
  const start = Math.min(100 * h, h1, limit);
  return start > 0 && start < Infinity ? start : limit < Infinity ? limit : 1e-6;
}
