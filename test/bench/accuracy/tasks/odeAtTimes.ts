import { createIntegrator } from '../../../../engine/simulate/ode/createIntegrator.js';
import type { OdeSystem } from '../../../../engine/simulate/ode/integrator.js';

/**
 * Tolerances of the task ODEs. At rtol 1e-6 the SIR fraction I/N is within
 * 2e-7 and the Lotka-Volterra log-populations within 1.2e-5 of an rtol 1e-12
 * solution at the true parameters of observation 1 (measured): four orders
 * below the observation noise (binomial sd >= 1e-3 in I/N, 0.1 in log u).
 * sbibm used DifferentialEquations.jl defaults (rtol 1e-3).
 */
export const TASK_ODE_TOLERANCES = { rtol: 1e-6, atol: 1e-9 } as const;

/**
 * The solution of dy/dt = f(y) from y(0) = y0 at increasing times `at`
 * (Dormand-Prince 5(4) with dense output, engine/simulate/ode), written
 * species-major into out[s · at.length + k]. Returns false if the
 * integrator gave up (too many steps, non-finite state).
 */
export function solveAtTimes(
  system: OdeSystem,
  y0: Float64Array,
  at: readonly number[],
  out: Float64Array,
  tolerances: { rtol: number; atol: number } = TASK_ODE_TOLERANCES,
): boolean {
  const integrator = createIntegrator(system, 'nonstiff', { ...tolerances, maxSteps: 200_000 });
  const n = system.size;
  const point = new Float64Array(n);
  try {
    integrator.reset(0, y0);
    let k = 0;
    while (k < at.length && at[k] <= 0) {
      for (let s = 0; s < n; s++) out[s * at.length + k] = y0[s];
      k++;
    }
    const end = at[at.length - 1];
    while (k < at.length) {
      integrator.step(end);
      while (k < at.length && at[k] <= integrator.t) {
        integrator.interpolate(at[k], point);
        for (let s = 0; s < n; s++) out[s * at.length + k] = point[s];
        k++;
      }
    }
  } catch {
    return false;
  }
  for (let i = 0; i < n * at.length; i++) if (!Number.isFinite(out[i])) return false;
  return true;
}
