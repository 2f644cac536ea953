/**
 * The deterministic simulator of general models: models with SBML
 * semantics beyond molecule counts (compartments and concentrations, rate
 * and algebraic rules, initial assignments, delayed and prioritised events,
 * variable stoichiometry, conversion factors, delay() and rateOf()).
 */
import type { IntegratorMethod } from '../ode/integrator.js';

export interface GeneralSimulationOptions {
  /** Relative tolerance; default 1e-6. */
  rtol?: number;
  /** Absolute tolerance; default 1e-9. */
  atol?: number;
  /** Integrator: `auto` (default; explicit until stiffness is detected), `stiff` (Rosenbrock) or `nonstiff` (Dormand-Prince). */
  method?: IntegratorMethod;
  /**
   * The stiff method's ∂f/∂y: `true` (default) generated from the expressions
   * by symbolic differentiation where the model allows it (see
   * analyticJacobian.ts for when it falls back), `false` finite differences always.
   */
  analyticJacobian?: boolean;
  /** Attempted integrator steps before SimulationBudgetError; default 1e6. */
  maxSteps?: number;
  /** Values that replace the model's, by id (parameters, compartments, species initial amounts). */
  overrides?: ReadonlyMap<string, number>;
  /** Abort with SimulationBudgetError after this much wall time; default none. */
  timeLimitMs?: number;
  /** Checked between steps; when aborted, the simulation throws an AbortError. */
  signal?: AbortSignal;
}

/** One deterministic trajectory at the output times. */
export interface GeneralTrajectory {
  readonly time: Float64Array;
  /** Species amounts (substance), by species id. */
  readonly amounts: ReadonlyMap<string, Float64Array>;
  /** Species concentrations (amount / compartment size), by species id; NaN for a species in a 0-dimensional compartment. */
  readonly concentrations: ReadonlyMap<string, Float64Array>;
  /** Every named quantity as expressions read it: species (amount or concentration per amountOnly), parameters, compartments, stoichiometries; and each reaction's rate (kinetic law) by reaction id. */
  readonly values: ReadonlyMap<string, Float64Array>;
  readonly stats: {
    steps: number;
    rejected: number;
    events: number;
    stiff: boolean;
    /** Evaluations of the right-hand side and of its Jacobian (analytic or by finite differences); the simulator always sets them. */
    derivativeCalls?: number;
    jacobianCalls?: number;
  };
}
