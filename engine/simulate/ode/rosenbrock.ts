import { AdaptiveIntegrator } from './adaptiveIntegrator.js';
import { DenseLu } from './denseLu.js';
import { finiteDifferenceJacobian, finiteDifferenceTimeDerivative } from './finiteDifferenceJacobian.js';
import { scaledErrorNorm, type IntegratorSettings } from './integratorSettings.js';
import type { OdeSystem } from './integrator.js';
import * as R from './rodas4Tableau.js';

// Step-size control of rodas.f: the predictive controller of Gustafsson
// (ACM TOMS 20, 1994), as Hairer & Wanner, Solving ODEs II, §IV.8 give it, with
// exponent 1/4 (the error estimate has order 3), safety 0.9 and the step
// ratio kept in [1/5, 6].
const SAFETY = 0.9;
const MAX_SHRINK = 5;
const MAX_GROWTH = 6;

/**
 * The RODAS4 Rosenbrock integrator for stiff systems (see rodas4Tableau.ts):
 * one Jacobian (the system's, else finite differences) and one LU
 * factorisation of W = I/(γh) − J per attempted step, six evaluations of f
 * per step, 3rd-order dense output. All work arrays are allocated once.
 */
export class RosenbrockIntegrator extends AdaptiveIntegrator {
  protected readonly errorOrder = 3;
  protected readonly firstSameAsLast = false;
  private readonly jac: Float64Array;
  private readonly w: Float64Array;
  private readonly lu: DenseLu;
  private readonly dfdt: Float64Array;
  private readonly k1: Float64Array;
  private readonly k2: Float64Array;
  private readonly k3: Float64Array;
  private readonly k4: Float64Array;
  private readonly k5: Float64Array;
  private readonly k6: Float64Array;
  private readonly stage: Float64Array;
  private readonly fStage: Float64Array;
  private readonly y1: Float64Array;
  private readonly yPrevious: Float64Array;
  private readonly dense3: Float64Array;
  private readonly dense4: Float64Array;
  protected readonly scratchA: Float64Array;
  protected readonly scratchB: Float64Array;
  /** Whether jac (and dfdt) belong to the current (t, y); a rejected step keeps them. */
  private jacobianCurrent = false;
  private readonly autonomous: boolean;
  /** Step and error of the last accepted step, for the predictive controller (0: none yet). */
  private acceptedStep = 0;
  private acceptedError = 0;

  constructor(system: OdeSystem, settings: IntegratorSettings, stepsTakenBefore = 0) {
    super(system, settings, stepsTakenBefore);
    const n = this.n;
    const v = (): Float64Array => new Float64Array(n);
    this.jac = new Float64Array(n * n);
    this.w = new Float64Array(n * n);
    this.lu = new DenseLu(n);
    [this.dfdt, this.k1, this.k2, this.k3, this.k4, this.k5, this.k6] = [v(), v(), v(), v(), v(), v(), v()];
    [this.stage, this.fStage, this.y1, this.yPrevious, this.dense3, this.dense4] = [v(), v(), v(), v(), v(), v()];
    this.scratchA = this.stage;
    this.scratchB = this.fStage;
    this.autonomous = system.autonomous === true;
  }

  override reset(t0: number, y0: Float64Array): void {
    super.reset(t0, y0);
    this.jacobianCurrent = false;
    this.yPrevious.set(y0);
    this.dense3.fill(0);
    this.dense4.fill(0);
  }

  interpolate(s: number, out: Float64Array): void {
    const { n, y, yPrevious, dense3, dense4 } = this;
    const span = this.t - this.tPrevious;
    const theta = span > 0 ? (s - this.tPrevious) / span : 1;
    const theta1 = 1 - theta;
    for (let i = 0; i < n; i++) out[i] = yPrevious[i] * theta1 + theta * (y[i] + theta1 * (dense3[i] + theta * dense4[i]));
  }

  protected attempt(h: number): number {
    const { n, system, t, y, f0, w, jac, lu, dfdt, k1, k2, k3, k4, k5, k6, stage, fStage, y1 } = this;
    if (!this.jacobianCurrent) this.evaluateJacobian();
    const diagonal = 1 / (R.GAMMA * h);
    for (let i = 0; i < n * n; i++) w[i] = -jac[i];
    for (let i = 0; i < n; i++) w[i * n + i] += diagonal;
    // Singular to working precision (or NaN in J): NaN makes the step loop retry with a smaller h.
    if (!lu.factor(w)) return NaN;
    const inverseH = 1 / h;
    const d1 = h * R.D1,
      d2 = h * R.D2,
      d3 = h * R.D3,
      d4 = h * R.D4;

    for (let i = 0; i < n; i++) k1[i] = f0[i] + d1 * dfdt[i];
    lu.solve(w, k1);

    for (let i = 0; i < n; i++) stage[i] = y[i] + R.A21 * k1[i];
    system.derivative(t + R.C2 * h, stage, fStage);
    for (let i = 0; i < n; i++) k2[i] = fStage[i] + d2 * dfdt[i] + inverseH * (R.C21 * k1[i]);
    lu.solve(w, k2);

    for (let i = 0; i < n; i++) stage[i] = y[i] + R.A31 * k1[i] + R.A32 * k2[i];
    system.derivative(t + R.C3 * h, stage, fStage);
    for (let i = 0; i < n; i++) k3[i] = fStage[i] + d3 * dfdt[i] + inverseH * (R.C31 * k1[i] + R.C32 * k2[i]);
    lu.solve(w, k3);

    for (let i = 0; i < n; i++) stage[i] = y[i] + R.A41 * k1[i] + R.A42 * k2[i] + R.A43 * k3[i];
    system.derivative(t + R.C4 * h, stage, fStage);
    for (let i = 0; i < n; i++) k4[i] = fStage[i] + d4 * dfdt[i] + inverseH * (R.C41 * k1[i] + R.C42 * k2[i] + R.C43 * k3[i]);
    lu.solve(w, k4);

    for (let i = 0; i < n; i++) stage[i] = y[i] + R.A51 * k1[i] + R.A52 * k2[i] + R.A53 * k3[i] + R.A54 * k4[i];
    system.derivative(t + h, stage, fStage);
    for (let i = 0; i < n; i++) k5[i] = fStage[i] + inverseH * (R.C51 * k1[i] + R.C52 * k2[i] + R.C53 * k3[i] + R.C54 * k4[i]);
    lu.solve(w, k5);

    // The 6th-stage argument is the embedded solution; y1 = it + k6.
    for (let i = 0; i < n; i++) stage[i] += k5[i];
    system.derivative(t + h, stage, fStage);
    for (let i = 0; i < n; i++) k6[i] = fStage[i] + inverseH * (R.C61 * k1[i] + R.C62 * k2[i] + R.C63 * k3[i] + R.C64 * k4[i] + R.C65 * k5[i]);
    lu.solve(w, k6);
    for (let i = 0; i < n; i++) y1[i] = stage[i] + k6[i];
    this.stats.derivativeCalls += 5;
    return scaledErrorNorm(k6, y, y1, this.settings);
  }

  protected commit(): void {
    const { n, y, k1, k2, k3, k4, k5, y1, yPrevious, dense3, dense4 } = this;
    for (let i = 0; i < n; i++) {
      dense3[i] = R.D21 * k1[i] + R.D22 * k2[i] + R.D23 * k3[i] + R.D24 * k4[i] + R.D25 * k5[i];
      dense4[i] = R.D31 * k1[i] + R.D32 * k2[i] + R.D33 * k3[i] + R.D34 * k4[i] + R.D35 * k5[i];
    }
    yPrevious.set(y);
    y.set(y1);
    this.jacobianCurrent = false;
  }

  protected nextStepAfterAccept(h: number, error: number): number {
    const root = error ** 0.25;
    let shrink = Math.max(1 / MAX_GROWTH, Math.min(MAX_SHRINK, root / SAFETY));
    if (this.acceptedStep > 0) {
      // Gustafsson: the error trend over the last two accepted steps predicts the next one.
      const predicted = ((this.acceptedStep / h) * ((root * root) / this.acceptedError ** 0.25)) / SAFETY;
      shrink = Math.max(shrink, Math.max(1 / MAX_GROWTH, Math.min(MAX_SHRINK, predicted)));
    }
    this.acceptedStep = h;
    this.acceptedError = Math.max(1e-2, error);
    const hNew = h / shrink;
    return this.rejectedLast ? Math.min(hNew, h) : hNew;
  }

  protected nextStepAfterReject(h: number, error: number): number {
    // rodas.f: a rejected first step shrinks tenfold.
    if (this.acceptedStep === 0) return h * 0.1;
    return h / Math.max(1 / MAX_GROWTH, Math.min(MAX_SHRINK, error ** 0.25 / SAFETY));
  }

  protected restartController(): void {
    this.acceptedStep = 0;
    this.acceptedError = 0;
  }

  private evaluateJacobian(): void {
    const { system, t, y, f0, jac, dfdt, fStage } = this;
    if (system.jacobian) system.jacobian(t, y, jac);
    else this.stats.derivativeCalls += finiteDifferenceJacobian(system, t, y, f0, jac, fStage, this.settings.atol);
    this.stats.jacobianCalls++;
    if (this.autonomous) dfdt.fill(0);
    else {
      finiteDifferenceTimeDerivative(system, t, y, f0, dfdt);
      this.stats.derivativeCalls++;
    }
    this.jacobianCurrent = true;
  }
}
