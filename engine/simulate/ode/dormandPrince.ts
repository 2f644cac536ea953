import type { DerivativeFn } from './derivativeSource.js';

// The RK5(4)7M tableau and DOPRI5's dense output (dormandPrinceTableau.ts). The rate
// equations are autonomous, so the nodes c_i are not needed.
import {
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

/**
 * One Dormand-Prince 5(4) step with its error estimate and 4th-order dense
 * output. First same as last: k1 must hold f(y) on entry, and after an
 * accepted step k7 = f(y1) becomes the next k1 (`accept`). All stage vectors
 * are owned here and reused, so a step allocates nothing.
 */
export class DormandPrinceStep {
  readonly k1: Float64Array;
  readonly y1: Float64Array;
  private readonly k2: Float64Array;
  private readonly k3: Float64Array;
  private readonly k4: Float64Array;
  private readonly k5: Float64Array;
  private readonly k6: Float64Array;
  private readonly k7: Float64Array;
  private readonly stage: Float64Array;
  private readonly r2: Float64Array;
  private readonly r3: Float64Array;
  private readonly r4: Float64Array;
  private readonly r5: Float64Array;
  private p: Float64Array = new Float64Array(0);
  private vol = 1;

  constructor(
    private readonly n: number,
    private readonly derivative: DerivativeFn,
    private readonly c: Float64Array,
  ) {
    const v = () => new Float64Array(n);
    [this.k1, this.k2, this.k3, this.k4, this.k5, this.k6, this.k7] = [v(), v(), v(), v(), v(), v(), v()];
    [this.y1, this.stage, this.r2, this.r3, this.r4, this.r5] = [v(), v(), v(), v(), v(), v()];
  }

  /** Parameters and volume for the next trajectory (c must already hold its rate constants). */
  bind(p: Float64Array, vol: number): void {
    this.p = p;
    this.vol = vol;
  }

  /** A work vector callers may use between steps; the next attempt overwrites it. */
  get scratch(): Float64Array {
    return this.k2;
  }

  f(x: Float64Array, dx: Float64Array): void {
    this.derivative(x, this.p, this.vol, this.c, dx);
  }

  /**
   * y1 = y + h Σ b_i k_i; returns the RMS error norm, each component scaled by
   * atol + rtol · max(|y|, |y1|). NaN if the derivative was not finite.
   */
  attempt(y: Float64Array, h: number, rtol: number, atol: number): number {
    const { n, k1, k2, k3, k4, k5, k6, k7, stage, y1 } = this;
    for (let i = 0; i < n; i++) stage[i] = y[i] + h * A21 * k1[i];
    this.f(stage, k2);
    for (let i = 0; i < n; i++) stage[i] = y[i] + h * (A31 * k1[i] + A32 * k2[i]);
    this.f(stage, k3);
    for (let i = 0; i < n; i++) stage[i] = y[i] + h * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
    this.f(stage, k4);
    for (let i = 0; i < n; i++) stage[i] = y[i] + h * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
    this.f(stage, k5);
    for (let i = 0; i < n; i++) stage[i] = y[i] + h * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
    this.f(stage, k6);
    for (let i = 0; i < n; i++) y1[i] = y[i] + h * (A71 * k1[i] + A73 * k3[i] + A74 * k4[i] + A75 * k5[i] + A76 * k6[i]);
    this.f(y1, k7);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const e = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
      const scale = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(y1[i]));
      sum += (e / scale) * (e / scale);
    }
    return Math.sqrt(sum / n);
  }

  /** Coefficients of the continuous extension over the step just attempted from y with size h. */
  prepareDense(y: Float64Array, h: number): void {
    const { n, k1, k3, k4, k5, k6, k7, y1, r2, r3, r4, r5 } = this;
    for (let i = 0; i < n; i++) {
      const diff = y1[i] - y[i];
      const bspl = h * k1[i] - diff;
      r2[i] = diff;
      r3[i] = bspl;
      r4[i] = diff - h * k7[i] - bspl;
      r5[i] = h * (D1 * k1[i] + D3 * k3[i] + D4 * k4[i] + D5 * k5[i] + D6 * k6[i] + D7 * k7[i]);
    }
  }

  /** y(t + theta h) for theta in [0, 1] into out[offset + i * stride]. */
  interpolate(y: Float64Array, theta: number, out: Float64Array, offset: number, stride: number): void {
    const { n, r2, r3, r4, r5 } = this;
    const theta1 = 1 - theta;
    for (let i = 0; i < n; i++) {
      out[offset + i * stride] = y[i] + theta * (r2[i] + theta1 * (r3[i] + theta * (r4[i] + theta1 * r5[i])));
    }
  }

  /** Make the attempted step current: y ← y1, k1 ← k7. */
  accept(y: Float64Array): void {
    y.set(this.y1);
    this.k1.set(this.k7);
  }
}
