import { SimulationBudgetError, SimulationError } from '../../errors/index.js';
import { initialStepSize } from './initialStepSize.js';
import type { IntegratorSettings } from './integratorSettings.js';
import type { IntegratorStats, OdeIntegrator, OdeSystem } from './integrator.js';

/**
 * What every adaptive one-step integrator here shares: the state, the step
 * loop that clamps to tMax, accepts or rejects by the error norm and enforces
 * the step budget, and the first step size. A method supplies one attempt
 * (`attempt`), what acceptance makes current (`commit`), its step-size
 * controller (`nextStepAfterAccept`, `nextStepAfterReject`) and its dense
 * output (`interpolate`).
 */
export abstract class AdaptiveIntegrator implements OdeIntegrator {
  t = 0;
  tPrevious = 0;
  readonly y: Float64Array;
  readonly stats: IntegratorStats = { accepted: 0, rejected: 0, derivativeCalls: 0, jacobianCalls: 0, switchedToStiffAt: null };
  /** f(t, y) at the current point. */
  protected readonly f0: Float64Array;
  /** The next step size to try; 0 until the first step chooses one. */
  protected h = 0;
  /** Whether the last attempt was rejected (controllers do not grow the step right after a rejection). */
  protected rejectedLast = false;
  /** True when `commit` leaves f(t, y) of the new point in f0 (first same as last). */
  protected abstract readonly firstSameAsLast: boolean;
  /** Order of the embedded error estimate, for the first step size. */
  protected abstract readonly errorOrder: number;
  protected readonly n: number;

  /**
   * `stepsTakenBefore`: attempts another integrator already spent on this
   * trajectory (auto's explicit phase); they count against maxSteps.
   */
  constructor(
    protected readonly system: OdeSystem,
    protected readonly settings: IntegratorSettings,
    private readonly stepsTakenBefore = 0,
  ) {
    this.n = system.size;
    this.y = new Float64Array(this.n);
    this.f0 = new Float64Array(this.n);
  }

  reset(t0: number, y0: Float64Array): void {
    this.t = t0;
    this.tPrevious = t0;
    this.y.set(y0);
    this.evaluateAtCurrentPoint(true);
    this.h = 0;
    this.rejectedLast = false;
    this.restartController();
  }

  /** Sets the next step size to try, e.g. right after `reset`, the step of the integrator this one replaces. */
  suggestStep(h: number): void {
    if (h > 0 && h < Infinity) this.h = h;
  }

  step(tMax: number): number {
    const { settings } = this;
    if (!(tMax > this.t)) return this.t;
    if (this.h === 0) {
      this.h = initialStepSize(this.system, this.t, this.y, this.f0, this.errorOrder, tMax - this.t, settings, this.scratchA, this.scratchB);
      this.stats.derivativeCalls++;
    }
    for (;;) {
      if (this.stepsTakenBefore + this.stats.accepted + this.stats.rejected >= settings.maxSteps) {
        throw new SimulationBudgetError('ode', settings.maxSteps, this.t, tMax, 'integrator steps', 'maxSteps');
      }
      const proposed = Math.min(this.h, settings.maxStep);
      // As dopri5.f: stretch the last step up to 1 % rather than leave a sliver.
      const last = this.t + 1.01 * proposed >= tMax;
      const h = last ? tMax - this.t : proposed;
      const error = this.attempt(h);
      if (error <= 1) {
        this.tPrevious = this.t;
        this.t = last ? tMax : this.t + h;
        this.commit(h);
        this.stats.accepted++;
        this.h = this.nextStepAfterAccept(h, error);
        // A step cut short by tMax says nothing against the longer one proposed before.
        if (last && h < proposed) this.h = Math.max(this.h, proposed);
        this.rejectedLast = false;
        this.evaluateAtCurrentPoint(!this.firstSameAsLast);
        return this.t;
      }
      this.stats.rejected++;
      this.rejectedLast = true;
      this.h = error > 1 ? this.nextStepAfterReject(h, error) : h * 0.25;
      if (!(this.h > 4 * Number.EPSILON * Math.max(Math.abs(this.t), Number.MIN_VALUE))) {
        throw new SimulationError(
          'SIMULATION_STEP_UNDERFLOW',
          `ode: step size underflow at t=${this.t} (h=${this.h}); the equations may have a singularity there or a rate that is not finite nearby`,
          {
            time: this.t,
            stepSize: this.h,
          },
        );
      }
    }
  }

  abstract interpolate(s: number, out: Float64Array): void;

  /** Two work vectors of length n that only `step`'s first-step choice uses between attempts. */
  protected abstract readonly scratchA: Float64Array;
  protected abstract readonly scratchB: Float64Array;

  /** Tries a step of size h from (t, y); returns the scaled error norm (NaN when the step could not be computed). */
  protected abstract attempt(h: number): number;

  /** Makes the step just attempted current: y ← y1 (t is already updated), and prepares its dense output. */
  protected abstract commit(h: number): void;

  protected abstract nextStepAfterAccept(h: number, error: number): number;

  protected abstract nextStepAfterReject(h: number, error: number): number;

  /** Forgets controller history (after a reset). */
  protected abstract restartController(): void;

  /** f0 ← f(t, y) when `evaluate` (else `commit` left it there); throws when it is not finite. */
  private evaluateAtCurrentPoint(evaluate: boolean): void {
    if (evaluate) {
      this.system.derivative(this.t, this.y, this.f0);
      this.stats.derivativeCalls++;
    }
    const { f0, n } = this;
    for (let i = 0; i < n; i++) {
      if (!(Math.abs(f0[i]) < Infinity)) {
        throw new SimulationError(
          'DERIVATIVE_NOT_FINITE',
          `ode: the derivative of component ${i} is ${f0[i]} at t=${this.t}; a rate or rule is not finite there`,
          {
            component: i,
            value: String(f0[i]),
            time: this.t,
          },
        );
      }
    }
  }
}
