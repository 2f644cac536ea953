import { SimulationError } from '../../errors/index.js';
import { DenseLu } from '../ode/denseLu.js';

/** The residuals r(z) of the algebraic rules for unknowns z (everything else held fixed). */
export type Residual = (z: Float64Array, r: Float64Array) => void;

const MAX_ITERATIONS = 50;
/** Newton has converged when every update is below this, relative to |z_i|. */
const STEP_TOLERANCE = 1e-12;

/**
 * Newton's method with a finite-difference Jacobian for the algebraic
 * equations of an index-1 DAE: 0 = g(t, y, z) solved for z at given (t, y),
 * starting from the previous solution (Brenan, Campbell & Petzold, Numerical
 * Solution of Initial-Value Problems in DAEs, SIAM 1996, §5.4: the
 * semi-explicit index-1 form, where ∂g/∂z is nonsingular). Buffers are
 * allocated once; a solve allocates nothing.
 */
export class AlgebraicSolver {
  private readonly r: Float64Array;
  private readonly r2: Float64Array;
  private readonly jac: Float64Array;
  private readonly lu: DenseLu;

  constructor(
    private readonly m: number,
    /** Names the rules in errors, e.g. "algebraic rule 3 (0 = x + y - 10)". */
    private readonly describe: (k: number) => string,
  ) {
    this.r = new Float64Array(m);
    this.r2 = new Float64Array(m);
    this.jac = new Float64Array(m * m);
    this.lu = new DenseLu(m);
  }

  /** Solve g = 0 for z in place (z holds the starting guess); `t` is for messages. */
  solve(z: Float64Array, residual: Residual, t: number): void {
    const { m, r, r2, jac, lu } = this;
    let previousStep = Infinity;
    let firstStep = 0;
    for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      residual(z, r);
      let zero = true;
      for (let i = 0; i < m; i++) {
        if (!Number.isFinite(r[i])) throw this.failure('NOT_FINITE', `${this.describe(i)} is ${r[i]} at t=${t}`, t);
        if (r[i] !== 0) zero = false;
      }
      if (zero) return;
      for (let j = 0; j < m; j++) {
        const saved = z[j];
        const delta = 1e-7 * Math.max(Math.abs(saved), 1e-3);
        z[j] = saved + delta;
        residual(z, r2);
        z[j] = saved;
        for (let i = 0; i < m; i++) jac[i * m + j] = (r2[i] - r[i]) / delta;
      }
      if (!lu.factor(jac)) {
        throw this.failure(
          'SINGULAR',
          `the algebraic rules do not determine their variables at t=${t} (singular Jacobian: the system is not index 1); rules: ${Array.from({ length: m }, (_, k) => this.describe(k)).join('; ')}`,
          t,
        );
      }
      for (let i = 0; i < m; i++) r2[i] = -r[i];
      lu.solve(jac, r2);
      let converged = true;
      let step = 0;
      for (let j = 0; j < m; j++) {
        z[j] += r2[j];
        step = Math.max(step, Math.abs(r2[j]));
        if (!(Math.abs(r2[j]) <= STEP_TOLERANCE * Math.abs(z[j]))) converged = false;
      }
      // Converged, or (for a solution at 0, where no relative test can pass) the updates stopped shrinking far below the first: roundoff.
      if (iteration === 0) firstStep = step;
      if (converged || (iteration >= 3 && step >= 0.5 * previousStep && step <= 1e-9 * firstStep)) return;
      previousStep = step;
    }
    residual(z, r);
    let worst = 0;
    for (let i = 1; i < m; i++) if (Math.abs(r[i]) > Math.abs(r[worst])) worst = i;
    throw this.failure(
      'NO_CONVERGENCE',
      `Newton's method did not converge in ${MAX_ITERATIONS} iterations for ${this.describe(worst)} at t=${t} (residual ${r[worst]})`,
      t,
    );
  }

  private failure(reason: string, message: string, t: number): SimulationError {
    return new SimulationError('ALGEBRAIC_RULE_FAILED', message, { reason, time: t });
  }
}
