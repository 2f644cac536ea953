import { AdaptiveIntegrator } from './adaptiveIntegrator.js';
import { scaledErrorNorm, type IntegratorSettings } from './integratorSettings.js';
import type { OdeSystem } from './integrator.js';

// The RK5(4)7M tableau with its nodes (the system may depend on t) and DOPRI5's
// dense output: dormandPrinceTableau.ts.
import {
  C2,
  C3,
  C4,
  C5,
  A21,
  A31,
  A32,
  A41,
  A42,
  A43,
  A51,
  A52,
  A53,
  A54,
  A61,
  A62,
  A63,
  A64,
  A65,
  A71,
  A73,
  A74,
  A75,
  A76,
  D1,
  D3,
  D4,
  D5,
  D6,
  D7,
  E1,
  E3,
  E4,
  E5,
  E6,
  E7,
} from './dormandPrinceTableau.js';

// Step-size control of dopri5.f: the PI controller of Gustafsson (ACM TOMS
// 17, 1991), as Hairer & Wanner, Solving ODEs II (2nd ed. 1996), §IV.2 give
// it, with β = 0.04, safety 0.9 and the step ratio kept in [1/5, 10].
const BETA = 0.04;
const EXPONENT = 0.2 - 0.75 * BETA;
const SAFETY = 0.9;
const MAX_SHRINK = 5;
const MAX_GROWTH = 10;

// Stiffness detection of dopri5.f (Solving ODEs II, §IV.2): h·|λ| is
// estimated as h‖f(y1) − f(g6)‖ / ‖y1 − g6‖ from the arguments of the last
// two stages (g6, and y1 itself), both at t + h; near the boundary of the stability region (about 3.3 on the
// negative real axis) stability rather than accuracy limits the step. 15 such
// steps (without 6 clean ones in between) declare the problem stiff. dopri5.f
// tests every 1000th step by default and uses the threshold 3.25; the test
// costs two norms, so every accepted step is tested here. The threshold is
// 2: the estimate sees the stiff mode mixed with the smooth ones, and on
// Robertson's problem (rtol 1e-8) it settles at 2.4 while the steps are
// plainly stability-limited (constant h ≈ 1.36e-3 for 3,800 steps), so 3.25
// never fired before t ≈ 5 (with 2, it fires at t ≈ 0.03). Single
// accuracy-limited steps do exceed 2 at loose tolerances (the estimate is
// noisy: up to 4.6 on the Brusselator at rtol 1e-3), but 15 of them without
// 6 clean steps in between never occurred on the non-stiff problems tried
// (Lotka-Volterra, Brusselator, the circle, y' = cos(t) y, the Arenstorf
// orbit; rtol 1e-2 to 1e-9). A false alarm would cost speed, never accuracy.
const STIFF_H_LAMBDA = 2;
const STIFF_STEPS = 15;
const NONSTIFF_STEPS_TO_CLEAR = 6;

/**
 * The explicit Dormand-Prince 5(4) integrator with 4th-order dense output,
 * PI step control and Hairer's stiffness detection. First same as last:
 * f(y1) of an accepted step is the next step's first stage. Nothing is
 * allocated per step.
 */
export class DormandPrinceIntegrator extends AdaptiveIntegrator {
  protected readonly errorOrder = 4;
  protected readonly firstSameAsLast = true;
  /** The time at which the stiffness test declared the problem stiff, or null. */
  stiffnessDetectedAt: number | null = null;
  /** Size of the last accepted step. */
  lastStep = 0;
  private readonly k2: Float64Array;
  private readonly k3: Float64Array;
  private readonly k4: Float64Array;
  private readonly k5: Float64Array;
  private readonly k6: Float64Array;
  private readonly k7: Float64Array;
  private readonly stage: Float64Array;
  /** Argument of the 7th stage (= the 5th-order solution) and of the 6th stage. */
  private readonly y1: Float64Array;
  private readonly g6: Float64Array;
  private readonly error: Float64Array;
  private readonly yPrevious: Float64Array;
  private readonly r2: Float64Array;
  private readonly r3: Float64Array;
  private readonly r4: Float64Array;
  private readonly r5: Float64Array;
  protected readonly scratchA: Float64Array;
  protected readonly scratchB: Float64Array;
  private previousError = 1e-4;
  private stiffSteps = 0;
  private nonStiffSteps = 0;

  constructor(system: OdeSystem, settings: IntegratorSettings) {
    super(system, settings);
    const v = (): Float64Array => new Float64Array(this.n);
    [this.k2, this.k3, this.k4, this.k5, this.k6, this.k7, this.stage] = [v(), v(), v(), v(), v(), v(), v()];
    [this.y1, this.g6, this.error, this.yPrevious, this.r2, this.r3, this.r4, this.r5] = [v(), v(), v(), v(), v(), v(), v(), v()];
    this.scratchA = this.stage;
    this.scratchB = this.k2;
  }

  override reset(t0: number, y0: Float64Array): void {
    super.reset(t0, y0);
    this.yPrevious.set(y0);
    this.r2.fill(0);
    this.r3.fill(0);
    this.r4.fill(0);
    this.r5.fill(0);
  }

  interpolate(s: number, out: Float64Array): void {
    const { n, yPrevious, r2, r3, r4, r5 } = this;
    const span = this.t - this.tPrevious;
    const theta = span > 0 ? (s - this.tPrevious) / span : 0;
    const theta1 = 1 - theta;
    for (let i = 0; i < n; i++) out[i] = yPrevious[i] + theta * (r2[i] + theta1 * (r3[i] + theta * (r4[i] + theta1 * r5[i])));
  }

  protected attempt(h: number): number {
    const { n, system, t, y, f0: k1, k2, k3, k4, k5, k6, k7, stage, y1, g6, error } = this;
    for (let i = 0; i < n; i++) stage[i] = y[i] + h * A21 * k1[i];
    system.derivative(t + C2 * h, stage, k2);
    for (let i = 0; i < n; i++) stage[i] = y[i] + h * (A31 * k1[i] + A32 * k2[i]);
    system.derivative(t + C3 * h, stage, k3);
    for (let i = 0; i < n; i++) stage[i] = y[i] + h * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
    system.derivative(t + C4 * h, stage, k4);
    for (let i = 0; i < n; i++) stage[i] = y[i] + h * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
    system.derivative(t + C5 * h, stage, k5);
    for (let i = 0; i < n; i++) g6[i] = y[i] + h * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
    system.derivative(t + h, g6, k6);
    for (let i = 0; i < n; i++) y1[i] = y[i] + h * (A71 * k1[i] + A73 * k3[i] + A74 * k4[i] + A75 * k5[i] + A76 * k6[i]);
    system.derivative(t + h, y1, k7);
    this.stats.derivativeCalls += 6;
    for (let i = 0; i < n; i++) error[i] = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
    return scaledErrorNorm(error, y, y1, this.settings);
  }

  protected commit(h: number): void {
    const { n, y, f0: k1, k3, k4, k5, k6, k7, y1, yPrevious, r2, r3, r4, r5 } = this;
    for (let i = 0; i < n; i++) {
      const diff = y1[i] - y[i];
      const bspl = h * k1[i] - diff;
      r2[i] = diff;
      r3[i] = bspl;
      r4[i] = diff - h * k7[i] - bspl;
      r5[i] = h * (D1 * k1[i] + D3 * k3[i] + D4 * k4[i] + D5 * k5[i] + D6 * k6[i] + D7 * k7[i]);
    }
    this.detectStiffness(h);
    yPrevious.set(y);
    y.set(y1);
    k1.set(k7);
    this.lastStep = h;
  }

  protected nextStepAfterAccept(h: number, error: number): number {
    const factor = error ** EXPONENT / this.previousError ** BETA;
    let hNew = h / Math.max(1 / MAX_GROWTH, Math.min(MAX_SHRINK, factor / SAFETY));
    if (this.rejectedLast) hNew = Math.min(hNew, h);
    this.previousError = Math.max(error, 1e-4);
    return hNew;
  }

  protected nextStepAfterReject(h: number, error: number): number {
    return h / Math.min(MAX_SHRINK, error ** EXPONENT / SAFETY);
  }

  protected restartController(): void {
    this.previousError = 1e-4;
    this.stiffSteps = 0;
    this.nonStiffSteps = 0;
  }

  private detectStiffness(h: number): void {
    const { n, k6, k7, y1, g6 } = this;
    let numerator = 0;
    let denominator = 0;
    for (let i = 0; i < n; i++) {
      numerator += (k7[i] - k6[i]) ** 2;
      denominator += (y1[i] - g6[i]) ** 2;
    }
    if (!(denominator > 0)) return;
    if (h * Math.sqrt(numerator / denominator) > STIFF_H_LAMBDA) {
      this.nonStiffSteps = 0;
      if (++this.stiffSteps >= STIFF_STEPS && this.stiffnessDetectedAt === null) this.stiffnessDetectedAt = this.t;
    } else if (++this.nonStiffSteps >= NONSTIFF_STEPS_TO_CLEAR) {
      this.stiffSteps = 0;
    }
  }
}
