import { SimulationError } from '../../errors/index.js';
import type { CompiledGeneralModel } from './compileGeneralModel.js';
import type { TrajectoryHooks } from './generatedModel.js';
import type { StateHistory } from './stateHistory.js';

/** Nested delay()/rateOf() evaluations deeper than this are a model that refers to itself. */
const MAX_DEPTH = 32;

/** What the hooks read of the trajectory being computed. */
export interface TrajectoryPoint {
  /** The point whose values are being evaluated. */
  readonly currentT: number;
  readonly currentY: Float64Array;
  readonly z: Float64Array;
  readonly d: Float64Array;
  /** Written t0 values and override flags (for the values before t0). */
  readonly w: Float64Array;
  readonly ov: Uint8Array;
}

interface Scratch {
  v: Float64Array;
  y: Float64Array;
  z: Float64Array;
  f: Float64Array;
}

/**
 * delay(x, tau) and rateOf(x) for the generated code (see expressionCode.ts).
 *
 * delay: x at t - tau from the state history (StateHistory), refreshing only
 * what x reads at that past point; before t0 every variable follows its t0
 * definition evaluated at that time (a written value is constant; an initial
 * assignment or rule over t is not, SBML test suite 00937, 00941).
 *
 * rateOf: a closed form where there is one (rate rules; species changed by
 * reactions, with the compartment's rate for a concentration), else, for an
 * assignment-rule variable, a central difference of its rule along the
 * trajectory through the current point (step 1e-6·max(1, |t|): error
 * O(h²) relative). Before t0 every rate is 0 (the past is constant).
 */
export class TrajectoryFunctions implements TrajectoryHooks {
  /** The shortest positive delay evaluated so far (bounds the integrator's steps). */
  shortestDelay = Infinity;
  private readonly scratch: Scratch[] = [];
  private depth = 0;
  private differentiating = false;

  constructor(
    private readonly compiled: CompiledGeneralModel,
    private readonly point: TrajectoryPoint,
    private readonly history: StateHistory | null,
  ) {}

  delay(k: number, t: number, tau: number, v: Float64Array): number {
    const generated = this.compiled.generated;
    if (tau > 0 && tau < this.shortestDelay) this.shortestDelay = tau;
    if (!(tau > 0) || this.history === null || this.history.length === 0) {
      if (!(tau >= 0))
        throw new SimulationError('DELAY_NEGATIVE', `delay() with delay ${tau} at t=${t}; expected a value >= 0`, { time: t, delay: String(tau) });
      return generated.delayNow[k](t, v, this);
    }
    const scratch = this.enter();
    try {
      const s = t - tau;
      if (s < 0) return generated.delayBefore[k](s, this.point.z, this.point.w, this.point.ov, scratch.v, this);
      const store = this.history.at(s, scratch.y, scratch.z);
      return generated.delayArgs[k](s, scratch.y, scratch.z, store, scratch.v, this);
    } finally {
      this.depth--;
    }
  }

  rateOf(i: number, t: number, v: Float64Array): number {
    if (t < 0) return 0;
    const closed = this.compiled.generated.rateOf[i];
    // Inside a numeric differentiation, the shifted points' own numeric rateOf values are not needed (they
    // would recurse without end): NaN, so a value that did depend on one could not pass for a number.
    if (!closed && this.differentiating) return NaN;
    const scratch = this.enter();
    try {
      if (closed) return closed(t, v, this);
      this.differentiating = true;
      return this.centralDifference(i, scratch);
    } finally {
      if (!closed) this.differentiating = false;
      this.depth--;
    }
  }

  private centralDifference(i: number, scratch: Scratch): number {
    const generated = this.compiled.generated;
    const { y: shifted, v: values, f } = scratch;
    const { currentT: t, currentY: y, z, d } = this.point;
    // The derivative from a complete refresh (the caller's v may be half-way through one, in rule order).
    generated.refresh(t, y, z, d, values, this);
    generated.derivative(t, values, f, this);
    const h = 1e-6 * Math.max(1, Math.abs(t));
    for (let j = 0; j < y.length; j++) shifted[j] = y[j] + h * f[j];
    generated.refresh(t + h, shifted, z, d, values, this);
    const ahead = values[i];
    for (let j = 0; j < y.length; j++) shifted[j] = y[j] - h * f[j];
    generated.refresh(t - h, shifted, z, d, values, this);
    return (ahead - values[i]) / (2 * h);
  }

  private enter(): Scratch {
    if (this.depth >= MAX_DEPTH) {
      throw new SimulationError(
        'TRAJECTORY_FUNCTION_RECURSION',
        `delay()/rateOf() refer to each other more than ${MAX_DEPTH} levels deep (a rateOf of a variable whose rate reads its own rateOf?)`,
        {},
      );
    }
    const k = this.depth++;
    if (this.scratch.length <= k) {
      const { symbols, stateSymbols, algebraicSymbols } = this.compiled.symbols;
      this.scratch.push({
        v: new Float64Array(symbols.length),
        y: new Float64Array(stateSymbols.length),
        z: new Float64Array(algebraicSymbols.length),
        f: new Float64Array(stateSymbols.length),
      });
    }
    return this.scratch[k];
  }
}
