/**
 * The contract between an ODE system and the step-by-step integrators that
 * solve it (explicit Dormand-Prince, implicit Rosenbrock). The general
 * simulator (simulate/general) drives an integrator one accepted step at a
 * time so it can look for event triggers between steps, locate crossings on
 * the dense output, change the state and restart.
 */

/** dy/dt = f(t, y), with an optional analytic Jacobian. */
export interface OdeSystem {
  /** Length of y. */
  readonly size: number;
  /** Writes f(t, y) into dydt; must not keep references to y or dydt. */
  derivative(t: number, y: Float64Array, dydt: Float64Array): void;
  /** Writes ∂f/∂y at (t, y) into jac, row-major: jac[i * size + j] = ∂f_i/∂y_j. Absent: finite differences. */
  jacobian?(t: number, y: Float64Array, jac: Float64Array): void;
  /** True when f does not depend on t: the Rosenbrock method then skips its ∂f/∂t (one call of f per step). Absent: false. */
  readonly autonomous?: boolean;
}

export type IntegratorMethod = 'auto' | 'stiff' | 'nonstiff';

export interface IntegratorOptions {
  /** Relative tolerance; default 1e-6. */
  rtol?: number;
  /** Absolute tolerance, one for all components or one per component; default 1e-9. */
  atol?: number | Float64Array;
  /** Largest step; default Infinity. */
  maxStep?: number;
  /** Attempted steps (accepted + rejected) over the integrator's life before it throws; default 1e6. */
  maxSteps?: number;
}

export interface IntegratorStats {
  accepted: number;
  rejected: number;
  derivativeCalls: number;
  jacobianCalls: number;
  /** Whether an `auto` integrator switched to the stiff method (and when). */
  switchedToStiffAt: number | null;
}

/**
 * One trajectory's integrator. Usage: `reset(t0, y0)`, then `step(tMax)`
 * repeatedly; after each step, `t`, `y` are the new point and `interpolate`
 * gives the solution anywhere in [tPrevious, t]. After changing the state
 * (an event), call `reset` again.
 */
export interface OdeIntegrator {
  readonly t: number;
  readonly y: Float64Array;
  readonly tPrevious: number;
  readonly stats: IntegratorStats;
  reset(t0: number, y0: Float64Array): void;
  /** Advance by one accepted step that ends at or before tMax (exactly at tMax when it reaches it); returns the new t. */
  step(tMax: number): number;
  /** The dense-output solution at time s in [tPrevious, t], into out. */
  interpolate(s: number, out: Float64Array): void;
}
