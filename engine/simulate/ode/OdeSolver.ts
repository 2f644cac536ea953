import { EngineError, SimulationBudgetError, SimulationSettingsError } from '../../errors/index.js';
import { hasDiscreteDynamics, type CompiledNetwork } from '../../model/compile.js';
import type { Simulator } from '../types.js';
import { compileRateConstants, type RateConstantsFn } from '../codegen/propensityVector.js';
import { compileDynamicsVector, type DynamicsVector } from '../codegen/discreteDynamicsVector.js';
import { compileApplyRules, compileTriggers, type ApplyRulesFn, type TriggersFn } from './algebraicRules.js';
import { compileDerivative, compilePropensities, type PropensitiesFn } from './derivativeSource.js';
import { eventBudget } from '../budget.js';
import { MODEL_FAILURES } from '../codegen/failures.js';
import { DormandPrinceStep } from './dormandPrince.js';

export interface OdeSolverOptions {
  /** Relative tolerance, in (0, 1); default 1e-6. */
  rtol?: number;
  /** Absolute tolerance in molecules, > 0; default 1e-9. */
  atol?: number;
  /** Guard against stiff or runaway models: error after this many attempted steps in one trajectory; default 1e6. */
  maxSteps?: number;
  /**
   * Event budget per trajectory, counting accepted steps: more throw
   * SimulationBudgetError (code EVENT_BUDGET). Default DEFAULT_MAX_EVENTS.ode
   * (1e6, see budget.ts), so by default maxSteps trips first.
   */
  maxEvents?: number;
}

// Step-size control of Hairer's DOPRI5: a PI controller (Gustafsson 1991,
// doi:10.1145/108556.108575) with safety factor 0.9 and step ratios in [0.2, 10].
const SAFETY = 0.9;
const BETA = 0.04;
const EXPONENT = 0.2 - 0.75 * BETA;
const MIN_RATIO = 0.2;
const MAX_RATIO = 10;
/** State events are located in time to within this relative tolerance. */
const EVENT_TIME_RTOL = 1e-10;

/**
 * The deterministic mass-action rate equations dx/dt = S · a(x) (amounts,
 * not concentrations; a(x) from the 'deterministic' propensities), solved by
 * the adaptive Dormand-Prince 5(4) method (Dormand & Prince 1980,
 * doi:10.1016/0771-050X(80)90013-3).
 *
 * Method: local extrapolation (the 5th-order solution is propagated), error
 * per step measured in the RMS norm scaled by atol + rtol · |x|, steps chosen
 * by a PI controller; the initial step by Hairer's rule (HNW I, §II.4). Steps
 * are not clamped to the output grid except the last one, which ends exactly
 * at the last output time; interior output times are filled by the 4th-order
 * continuous extension. Outputs are real-valued and not rounded.
 *
 * Discrete dynamics (SBML semantics without delays, as in the SSA): initial
 * expressions and rules are evaluated at t = 0; assignment rules are
 * algebraic, re-evaluated inside the derivative (algebraicRules.ts) and on
 * every recorded output. A time event at T ends a step exactly at T, fires
 * (before recording an output time equal to T for `t >= T`, after it for
 * `t > T`) and restarts the integrator. A state event is detected when its
 * trigger is false at the start of an accepted step and true at its end
 * (a trigger that turns true and back within one step is missed); the
 * crossing is located by bisection on the continuous extension to within
 * 1e-10 relative in time, output times before it get the interpolated
 * pre-event state, the event fires there (assignments, rules, cascades) and
 * the integrator restarts. Parameters live in a per-trajectory copy, since
 * events may assign them; the caller's array is not changed.
 *
 * `rng` is ignored: the result is a function of the parameters and grid only.
 * Returns the number of accepted steps.
 */
export class OdeSolver implements Simulator {
  readonly method = 'ode' as const;
  readonly speciesIds: readonly string[];
  readonly parameterIds: readonly string[];
  readonly defaultParameters: Float64Array;
  readonly rtol: number;
  readonly atol: number;
  readonly maxSteps: number;
  readonly maxEvents: number;
  private readonly constants: RateConstantsFn;
  /** Propensities at a state, compiled on first need: only to name a reaction whose rate is not finite. */
  private propensities: PropensitiesFn | null = null;
  private readonly c: Float64Array;
  private readonly y: Float64Array;
  private readonly stepper: DormandPrinceStep;
  /** Per-trajectory parameters (events may assign them). */
  private readonly p: Float64Array;
  /** Work vector for interpolated states (outputs, bisection). */
  private readonly w: Float64Array;
  private readonly dynamics: DynamicsVector | null;
  private readonly applyRules: ApplyRulesFn | null;
  private readonly triggers: TriggersFn | null;
  /** Indices of state-triggered events, their trigger values (scratch), the event state and propensity scratch. */
  private readonly stateEvents: Int32Array;
  private readonly tv: Float64Array;
  private readonly ev: Float64Array;
  private readonly a: Float64Array;

  constructor(
    private readonly network: CompiledNetwork,
    options: OdeSolverOptions = {},
  ) {
    this.rtol = checkOption('rtol', options.rtol, 1e-6, (v) => v > 0 && v < 1, 'a number in (0, 1)');
    this.atol = checkOption('atol', options.atol, 1e-9, (v) => v > 0 && v < Infinity, 'a finite number > 0');
    this.maxSteps = checkOption('maxSteps', options.maxSteps, 1e6, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1');
    this.maxEvents = eventBudget('ode', options.maxEvents);
    this.speciesIds = network.speciesIds;
    this.parameterIds = network.parameterIds;
    this.defaultParameters = network.parameterValues;
    this.constants = compileRateConstants(network);
    const n = network.speciesIds.length;
    this.c = new Float64Array(network.reactions.length);
    this.a = new Float64Array(network.reactions.length);
    this.y = new Float64Array(n);
    this.w = new Float64Array(n);
    this.p = new Float64Array(network.parameterIds.length);
    this.stepper = new DormandPrinceStep(n, compileDerivative(network), this.c);
    this.dynamics = hasDiscreteDynamics(network) ? compileDynamicsVector(network, false) : null;
    this.ev = new Float64Array(this.dynamics ? this.dynamics.stateLength : 2);
    this.applyRules = network.rules.length > 0 ? compileApplyRules(network) : null;
    this.stateEvents = Int32Array.from(network.events.flatMap((e, k) => (e.time ? [] : [k])));
    this.triggers = this.stateEvents.length > 0 ? compileTriggers(network) : null;
    this.tv = new Float64Array(network.events.length);
  }

  simulateInto(out: Float64Array, grid: Float64Array, parameters: Float64Array, _rng: Uint32Array): number {
    const { y, p, c, a, ev, w, stepper, rtol, atol, dynamics } = this;
    const vol = this.network.volume;
    const nT = grid.length;
    p.set(parameters);
    y.set(this.network.initialState);
    this.constants(p, vol, c);
    if (dynamics) dynamics.start(y, p, vol, c, a, ev);
    else ev[0] = Infinity;
    stepper.bind(p, vol);
    const slot = dynamics ? dynamics.nextTimeSlot : 0;
    const tEnd = grid[nT - 1];
    let t = 0;
    let g = 0;
    let h = 0;
    let accepted = 0;
    let attempts = 0;
    let previousError = 1e-4;
    let rejectedLast = false;
    let restart = true;
    for (;;) {
      // Time events due now: `t >= T` fires before recording an output time equal to T, `t > T` after.
      const tev = ev[slot];
      if (t >= tev && ev[slot + 1] === 0) {
        dynamics!.fireTimeEvents(y, p, vol, c, a, ev);
        restart = true;
        continue;
      }
      for (; g < nT && grid[g] <= t; g++) this.record(y, out, g, nT);
      if (t >= tev) {
        dynamics!.fireTimeEvents(y, p, vol, c, a, ev);
        restart = true;
        continue;
      }
      if (g === nT) break;
      const tStop = Math.min(tEnd, tev);
      if (restart) {
        stepper.f(y, stepper.k1);
        h = this.initialStep(tStop - t);
        previousError = 1e-4;
        rejectedLast = false;
        restart = false;
      }
      if (attempts++ >= this.maxSteps) {
        throw new EngineError(
          'SIMULATION_STEP_LIMIT',
          `ode: more than ${this.maxSteps} steps before t=${tEnd}; stopped at t=${t} with step size ${h}. The rate equations are probably stiff (widely separated time scales); raise maxSteps or loosen rtol/atol`,
          { method: 'ode', maxSteps: this.maxSteps, time: t, stepSize: h },
        );
      }
      const last = t + 1.01 * h >= tStop;
      if (last) h = tStop - t;
      const error = stepper.attempt(y, h, rtol, atol);
      if (!(error <= 1)) {
        // A non-finite error comes from a non-finite derivative: at the state itself that is a rate to name, else shrink.
        if (!(error < Infinity)) this.refuseNonFiniteRates(y, t);
        // Rejected (NaN, from a non-finite derivative, shrinks the most).
        h *= error > 0 ? 1 / Math.min(1 / MIN_RATIO, error ** EXPONENT / SAFETY) : MIN_RATIO;
        rejectedLast = true;
        if (!(h > 1e-14 * Math.max(t, 1))) {
          throw new EngineError(
            'SIMULATION_STEP_UNDERFLOW',
            `ode: step size underflow at t=${t}; a rate is not finite or the equations are too stiff for an explicit method`,
            { method: 'ode', time: t },
          );
        }
        continue;
      }
      if (++accepted > this.maxEvents) throw new SimulationBudgetError('ode', this.maxEvents, t, tEnd, 'steps');
      const tNew = last ? tStop : t + h;
      if (this.triggers && this.triggerRises(stepper.y1)) {
        // A state event inside (t, tNew]: locate it, output the pre-event path, fire, restart.
        stepper.prepareDense(y, h);
        const theta = this.locateRise(y, t, h);
        const tStar = theta === 1 ? tNew : t + theta * h;
        for (; g < nT && grid[g] < tStar; g++) this.recordInterpolated(y, (grid[g] - t) / h, out, g, nT);
        if (theta === 1) y.set(stepper.y1);
        else {
          stepper.interpolate(y, theta, w, 0, 1);
          y.set(w);
        }
        t = tStar;
        dynamics!.afterChange(y, p, vol, c, a, t, ev);
        restart = true;
        continue;
      }
      if (grid[g] < tNew) {
        stepper.prepareDense(y, h);
        for (; g < nT && grid[g] < tNew; g++) this.recordInterpolated(y, (grid[g] - t) / h, out, g, nT);
      }
      stepper.accept(y);
      t = tNew;
      // Triggers that turned false (or stayed) during the step: remember them, so a later rise fires.
      for (let i = 0; i < this.stateEvents.length; i++) ev[this.stateEvents[i]] = this.tv[this.stateEvents[i]];
      const factor = error ** EXPONENT / previousError ** BETA;
      let hNew = h / Math.max(1 / MAX_RATIO, Math.min(1 / MIN_RATIO, factor / SAFETY));
      if (rejectedLast) hNew = Math.min(hNew, h);
      previousError = Math.max(error, 1e-4);
      rejectedLast = false;
      h = hNew;
    }
    return accepted;
  }

  /** Throws RATE_NOT_FINITE naming the first reaction whose propensity at state x is NaN or infinite; returns if there is none. */
  private refuseNonFiniteRates(x: Float64Array, t: number): void {
    this.propensities ??= compilePropensities(this.network);
    this.propensities(x, this.p, this.network.volume, this.c, this.a);
    for (let j = 0; j < this.a.length; j++) {
      const value = this.a[j];
      if (!(value < Infinity && value > -Infinity)) throw MODEL_FAILURES.rate('propensity', this.network.reactions[j].id, value, t);
    }
  }

  /** Evaluate the state triggers at x into tv; true if one that was false (ev[k] = 0) is now true. */
  private triggerRises(x: Float64Array): boolean {
    const { tv, ev, stateEvents } = this;
    this.triggers!(x, this.p, this.network.volume, tv);
    for (let i = 0; i < stateEvents.length; i++) if (tv[stateEvents[i]] !== 0 && ev[stateEvents[i]] === 0) return true;
    return false;
  }

  /**
   * Bisection on the continuous extension of the step (t, t + h] (prepareDense
   * done) for the first theta where a false trigger is true; the rise is
   * known at theta = 1. Returns the upper end, so the trigger holds there.
   */
  private locateRise(y: Float64Array, t: number, h: number): number {
    let lo = 0;
    let hi = 1;
    for (;;) {
      const mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi || (hi - lo) * h <= EVENT_TIME_RTOL * Math.abs(t + hi * h)) return hi;
      this.stepper.interpolate(y, mid, this.w, 0, 1);
      if (this.triggerRises(this.w)) hi = mid;
      else lo = mid;
    }
  }

  /** out[., g] = state with the rule variables evaluated. */
  private record(state: Float64Array, out: Float64Array, g: number, nT: number): void {
    let x = state;
    if (this.applyRules) {
      this.w.set(state);
      this.applyRules(this.w, this.p, this.network.volume);
      x = this.w;
    }
    for (let i = 0; i < x.length; i++) out[i * nT + g] = x[i];
  }

  /** out[., g] = the continuous extension at theta, rule variables evaluated. */
  private recordInterpolated(y: Float64Array, theta: number, out: Float64Array, g: number, nT: number): void {
    const w = this.w;
    this.stepper.interpolate(y, theta, w, 0, 1);
    if (this.applyRules) this.applyRules(w, this.p, this.network.volume);
    for (let i = 0; i < w.length; i++) out[i * nT + g] = w[i];
  }

  /** Hairer's starting step (HNW I, §II.4): h with ‖h f‖ ≈ 0.01 and a second-derivative estimate. */
  private initialStep(span: number): number {
    const { y, stepper, rtol, atol } = this;
    const k1 = stepper.k1;
    const trial = stepper.y1;
    let normF = 0;
    let normY = 0;
    for (let i = 0; i < y.length; i++) {
      const scale = atol + rtol * Math.abs(y[i]);
      normF += (k1[i] / scale) ** 2;
      normY += (y[i] / scale) ** 2;
    }
    let h = normF <= 1e-10 || normY <= 1e-10 ? 1e-6 : 0.01 * Math.sqrt(normY / normF);
    h = Math.min(h, span);
    for (let i = 0; i < y.length; i++) trial[i] = y[i] + h * k1[i];
    const f1 = stepper.scratch;
    stepper.f(trial, f1);
    let second = 0;
    for (let i = 0; i < y.length; i++) second += ((f1[i] - k1[i]) / (atol + rtol * Math.abs(y[i]))) ** 2;
    const curvature = Math.max(Math.sqrt(second) / h, Math.sqrt(normF));
    const h1 = curvature <= 1e-15 ? Math.max(1e-6, h * 1e-3) : (0.01 / curvature) ** 0.2;
    const start = Math.min(100 * h, h1, span);
    return start > 0 ? start : span;
  }
}

function checkOption(name: string, value: number | undefined, fallback: number, ok: (v: number) => boolean, expected: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !ok(value)) throw new SimulationSettingsError(`ode option ${name}`, `expected ${expected}, got ${String(value)}`);
  return value;
}
