import { SimulationBudgetError, SimulationSettingsError } from '../../errors/index.js';
import { hasDiscreteDynamics, type CompiledNetwork } from '../../model/compile.js';
import { poisson } from '../../sample/random/poisson.js';
import { Xoshiro128 } from '../../sample/random/Xoshiro128.js';
import type { Simulator } from '../types.js';
import { leapStructure, type LeapStructure } from './leapStructure.js';
import { compilePropensityVector, compileRateConstants, type PropensityVectorFn, type RateConstantsFn } from '../codegen/propensityVector.js';
import { compileDynamicsVector, type DynamicsVector } from '../codegen/discreteDynamicsVector.js';
import { leapTau, markCritical } from './stepSize.js';
import { eventBudget } from '../budget.js';
import { MODEL_FAILURES } from '../codegen/failures.js';

export interface TauLeapingOptions {
  /** Error-control parameter eps of the leap condition, in (0, 1); default 0.03. */
  epsilon?: number;
  /** n_c: a reaction within this many firings of exhausting a reactant is critical; integer >= 1, default 10. */
  criticalThreshold?: number;
  /**
   * Event budget per trajectory, counting leaps and exact SSA steps: more
   * throw SimulationBudgetError (code EVENT_BUDGET). Default
   * DEFAULT_MAX_EVENTS.tau (1e9, see budget.ts).
   */
  maxEvents?: number;
  /** The earlier name of maxEvents, still accepted; maxEvents wins when both are given. */
  maxSteps?: number;
}

/** When tau' < SSA_SWITCH / a0 a leap would save little: take SSA_BURST exact steps instead (the paper's values). */
const SSA_SWITCH = 10;
const SSA_BURST = 100;
/** Halvings of tau' for one leap before a negative count is blamed on the model. */
const MAX_REJECTIONS = 60;

/**
 * Explicit tau-leaping with the step-size selection of Cao, Gillespie &
 * Petzold (2006), J. Chem. Phys. 124:044109, doi:10.1063/1.2159468.
 *
 * Method, per leap (the paper's steps 1-5): mark critical reactions
 * (stepSize.ts) and compute tau'; if tau' < 10/a0 take 100 exact SSA steps
 * instead; else draw tau'' ~ Exp(a0^c) for the critical reactions, leap by
 * min(tau', tau''), firing each non-critical reaction Poisson(a_j tau) times
 * and, when tau'' is the smaller, one critical reaction chosen with
 * probability a_j / a0^c. A leap that would drive a count negative is
 * rejected and tau' halved. Leaps are shortened to end exactly on output
 * times; by memorylessness the pending critical firing is then redrawn.
 *
 * Discrete dynamics (SBML semantics without delays, as in the SSA): initial
 * expressions and rules are evaluated at t = 0 and rules again after every
 * leap or SSA step; state-event triggers are checked after every leap or SSA
 * step, so an event whose trigger turns true inside a leap fires at the
 * leap's end, with the state reached there (an O(tau) approximation, like
 * the leap itself; exact in the SSA steps). A time event at T cuts the leap
 * short to end exactly at T (by memorylessness, as at output times), fires
 * before recording an output time equal to T for `t >= T` and after it for
 * `t > T`, and the simulation continues from the new state. After any event
 * rate constants and propensities are recomputed. Parameters live in a
 * per-trajectory copy, since events may assign them; the caller's array is
 * not changed. The discrete parts are generated functions
 * (codegen/discreteDynamicsVector.ts) sharing the SSA's snippets.
 *
 * Propensities are one generated straight-line function (propensityVector.ts);
 * all scratch arrays belong to the simulator, so nothing is allocated per
 * step. Draws come from xoshiro128** started at `rng` and written back.
 */
export class TauLeaping implements Simulator {
  readonly method = 'tau' as const;
  readonly speciesIds: readonly string[];
  readonly parameterIds: readonly string[];
  readonly defaultParameters: Float64Array;
  readonly epsilon: number;
  readonly criticalThreshold: number;
  readonly maxEvents: number;
  private readonly structure: LeapStructure;
  private readonly constants: RateConstantsFn;
  private readonly propensities: PropensityVectorFn;
  private readonly random = new Xoshiro128([1, 0, 0, 0]);
  private readonly c: Float64Array;
  private readonly a: Float64Array;
  private readonly x: Float64Array;
  private readonly xNew: Float64Array;
  private readonly mu: Float64Array;
  private readonly sigma2: Float64Array;
  private readonly critical: Uint8Array;
  /** Per-trajectory parameters (events may assign them) and the event state. */
  private readonly p: Float64Array;
  private readonly ev: Float64Array;
  private readonly dynamics: DynamicsVector | null;
  /** Whether rules or state events must be revisited after every change of state. */
  private readonly checkAfterChange: boolean;
  private steps = 0;

  constructor(
    private readonly network: CompiledNetwork,
    options: TauLeapingOptions = {},
  ) {
    this.epsilon = checkOption('epsilon', options.epsilon, 0.03, (v) => v > 0 && v < 1, 'a number in (0, 1)');
    this.criticalThreshold = checkOption('criticalThreshold', options.criticalThreshold, 10, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1');
    this.maxEvents = options.maxEvents !== undefined ? eventBudget('tau', options.maxEvents) : eventBudget('tau', options.maxSteps, 'tau option maxSteps');
    this.speciesIds = network.speciesIds;
    this.parameterIds = network.parameterIds;
    this.defaultParameters = network.parameterValues;
    this.structure = leapStructure(network);
    this.constants = compileRateConstants(network);
    this.propensities = compilePropensityVector(network, 'stochastic');
    const nS = network.speciesIds.length;
    const nR = network.reactions.length;
    this.c = new Float64Array(nR);
    this.a = new Float64Array(nR);
    this.critical = new Uint8Array(nR);
    this.x = new Float64Array(nS);
    this.xNew = new Float64Array(nS);
    this.mu = new Float64Array(nS);
    this.sigma2 = new Float64Array(nS);
    this.p = new Float64Array(network.parameterIds.length);
    this.dynamics = hasDiscreteDynamics(network) ? compileDynamicsVector(network, true) : null;
    this.ev = new Float64Array(this.dynamics ? this.dynamics.stateLength : 2);
    this.checkAfterChange = network.rules.length > 0 || network.events.some((e) => !e.time);
  }

  simulateInto(out: Float64Array, grid: Float64Array, parameters: Float64Array, rng: Uint32Array): number {
    const { x, a, c, p, ev, structure, dynamics } = this;
    const vol = this.network.volume;
    const nS = structure.species;
    const nT = grid.length;
    p.set(parameters);
    this.constants(p, vol, c);
    x.set(this.network.initialState);
    if (dynamics) dynamics.start(x, p, vol, c, a, ev);
    else ev[0] = Infinity;
    const slot = dynamics ? dynamics.nextTimeSlot : 0;
    this.random.setState(rng);
    this.steps = 0;
    let t = 0;
    let g = 0;
    for (;;) {
      // Time events due now: `t >= T` fires before recording an output time equal to T, `t > T` after.
      if (t >= ev[slot] && ev[slot + 1] === 0) {
        dynamics!.fireTimeEvents(x, p, vol, c, a, ev);
        continue;
      }
      while (g < nT && grid[g] <= t) {
        for (let s = 0; s < nS; s++) out[s * nT + g] = x[s];
        g++;
      }
      if (t >= ev[slot]) {
        dynamics!.fireTimeEvents(x, p, vol, c, a, ev);
        continue;
      }
      if (g === nT) break;
      const tNext = Math.min(grid[g], ev[slot]);
      if (this.steps >= this.maxEvents) throw new SimulationBudgetError('tau-leaping', this.maxEvents, t, grid[nT - 1], 'leaps and SSA steps');
      const a0 = this.updatePropensities(t);
      if (a0 === 0) {
        t = tNext; // nothing can fire before the next output or time event
        continue;
      }
      const a0c = markCritical(structure, x, a, this.criticalThreshold, this.critical);
      const tau1 = leapTau(structure, x, a, this.critical, this.epsilon, this.mu, this.sigma2);
      t = tau1 < SSA_SWITCH / a0 ? this.ssaBurst(t, tNext, a0) : this.leap(t, tNext, tau1, a0c);
    }
    rng.set(this.random.getState());
    return this.steps;
  }

  /** Fill the propensity vector at time t; returns a0. */
  private updatePropensities(t: number): number {
    const a = this.a;
    this.propensities(this.x, this.p, this.network.volume, this.c, a);
    let a0 = 0;
    for (let j = 0; j < a.length; j++) {
      if (!(a[j] >= 0 && a[j] < Infinity)) this.refusePropensity(j, t);
      a0 += a[j];
    }
    if (!(a0 < Infinity)) throw MODEL_FAILURES.total(a0, t);
    return a0;
  }

  /** A finite negative propensity is SIMULATION_FAILED (negative-rate); NaN or ±Infinity is RATE_NOT_FINITE. */
  private refusePropensity(j: number, t: number): never {
    const value = this.a[j];
    const id = this.network.reactions[j].id;
    if (value < 0 && value > -Infinity)
      throw MODEL_FAILURES.failed('negative-rate', `reaction ${id}: propensity is ${value} at t=${t}; expected a finite value >= 0`, {
        reaction: id,
        what: 'propensity',
        value,
        time: t,
      });
    throw MODEL_FAILURES.rate('propensity', id, value, t);
  }

  /** Up to SSA_BURST exact direct-method steps (Gillespie 1977, doi:10.1021/j100540a008); returns the new time. */
  private ssaBurst(t: number, tNext: number, a0: number): number {
    const a = this.a;
    for (let n = 0; n < SSA_BURST; n++) {
      const dt = a0 > 0 ? -Math.log(this.random.nextOpenDouble()) / a0 : Infinity;
      // Memorylessness: stop at the output time and redraw from there.
      if (t + dt > tNext) return tNext;
      t += dt;
      let u = this.random.nextDouble() * a0;
      let j = 0;
      while (j < a.length - 1 && (u >= a[j] || a[j] === 0)) u -= a[j++];
      // Round-off can run past the end: take the last reaction that can fire.
      while (a[j] === 0) j--;
      this.apply(this.x, j, 1);
      this.steps++;
      this.afterChange(t);
      if (this.steps >= this.maxEvents) return t;
      a0 = this.updatePropensities(t);
    }
    return t;
  }

  /** One leap (steps 3-5 of the paper) from t, not past tNext; returns the new time. */
  private leap(t: number, tNext: number, tau1: number, a0c: number): number {
    const { a, x, xNew, critical, random } = this;
    for (let rejections = 0; ; rejections++) {
      if (rejections > MAX_REJECTIONS) {
        throw MODEL_FAILURES.failed(
          'negative-count',
          `tau-leaping: a count turns negative at t=${t} however short the leap; a propensity must be 0 when its reaction lacks reactants`,
          { time: t, rejections },
        );
      }
      const tau2 = a0c > 0 ? -Math.log(random.nextOpenDouble()) / a0c : Infinity;
      let fireCritical = tau2 <= tau1;
      let tau = fireCritical ? tau2 : tau1;
      let end = t + tau;
      const truncated = end > tNext;
      if (truncated) {
        tau = tNext - t;
        end = tNext;
        fireCritical = false;
      }
      xNew.set(x);
      for (let j = 0; j < a.length; j++) {
        if (critical[j] === 0 && a[j] > 0) {
          const k = poisson(a[j] * tau, random);
          if (k > 0) this.apply(xNew, j, k);
        }
      }
      if (fireCritical) {
        let u = random.nextDouble() * a0c;
        let chosen = -1;
        for (let j = 0; j < a.length; j++) {
          if (critical[j] === 0) continue;
          chosen = j;
          if (u < a[j]) break;
          u -= a[j];
        }
        this.apply(xNew, chosen, 1);
      }
      let negative = false;
      for (let s = 0; s < xNew.length; s++) if (xNew[s] < 0) negative = true;
      if (negative) {
        tau1 = (truncated ? tau : tau1) / 2;
        continue;
      }
      x.set(xNew);
      this.steps++;
      this.afterChange(end);
      return end;
    }
  }

  /** Rules, then state events (approximated at the end of a leap), after the state changed at time t. */
  private afterChange(t: number): void {
    if (this.checkAfterChange) this.dynamics!.afterChange(this.x, this.p, this.network.volume, this.c, this.a, t, this.ev);
  }

  /** x += k · v_j. */
  private apply(x: Float64Array, j: number, k: number): void {
    const { changeStart, changeSpecies, changeDelta } = this.structure;
    for (let e = changeStart[j]; e < changeStart[j + 1]; e++) x[changeSpecies[e]] += k * changeDelta[e];
  }
}

function checkOption(name: string, value: number | undefined, fallback: number, ok: (v: number) => boolean, expected: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !ok(value)) throw new SimulationSettingsError(`tau option ${name}`, `expected ${expected}, got ${String(value)}`);
  return value;
}
