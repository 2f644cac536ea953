import { SimulationBudgetError } from '../../errors/index.js';
import { hasDiscreteDynamics, type CompiledNetwork } from '../../model/compile.js';
import { exponentialZiggurat } from '../../sample/random/exponentialZiggurat.js';
import { Xoshiro128 } from '../../sample/random/Xoshiro128.js';
import { MODEL_FAILURES } from '../codegen/failures.js';
import { compileDynamicsVector, type DynamicsVector } from '../codegen/discreteDynamicsVector.js';
import { compileRateConstants, type RateConstantsFn } from '../codegen/propensityVector.js';
import { compileApplyRules, compileTriggers, type ApplyRulesFn, type TriggersFn } from '../ode/algebraicRules.js';
import { createIntegrator } from '../ode/createIntegrator.js';
import type { OdeIntegrator, OdeSystem } from '../ode/integrator.js';
import type { Simulator } from '../types.js';
import { compileHybridFunctions, hybridLayout, type HybridDerivativeFn, type HybridLayout, type HybridPropensitiesFn } from './hybridSource.js';
import { HYBRID_METHOD, resolveHybridOptions, type HybridMethodName, type HybridOptions, type ResolvedHybridOptions } from './options.js';
import { locateLevel, locateRise } from './locate.js';
import { Partition } from './partition.js';

/** The discrete clock's crossing is located to within this many expected firings. */
const CLOCK_TOLERANCE = 1e-10;

/**
 * Hybrid stochastic/deterministic simulation: the hybrid SSA/ODE method of
 * Haseltine & Rawlings (2002, J. Chem. Phys. 117:6959, doi:10.1063/1.1505860)
 * and Salis & Kaznessis (2005, J. Chem. Phys. 122:054103,
 * doi:10.1063/1.1835951), with the dynamic partition of GillesPy2's
 * TauHybridSolver (partition.ts).
 *
 * Method. Continuous reactions (deterministic mass-action form) and rate
 * rules are integrated by an adaptive ODE integrator (createIntegrator) with
 * one more state, G, the integral of the total stochastic propensity of the
 * discrete reactions. The next discrete firing happens when G reaches a
 * threshold ξ ~ Exp(1) (the random time change of a time-inhomogeneous
 * Poisson process); the crossing is located on the integrator's dense output
 * (Illinois regula falsi, to 1e-10 expected firings), the reaction is chosen
 * with probability a_j / Σ a_discrete at that state, and the integrator is
 * reset. When no reaction is continuous and there is no rate rule, the
 * discrete propensities are constant between firings and G is advanced in
 * closed form (G += a0 Δt): the method is then the exact SSA (the draws:
 * one exponential per firing, one uniform per selection), with ξ consumed,
 * not redrawn, across output times. The partition is revisited after every
 * firing, every accepted ODE step and at every output time (the
 * integrator restarts only when it changed); steps end on output times, so
 * outputs are never interpolated.
 *
 * Discrete dynamics (as the ODE solver): assignment rules are algebraic
 * (evaluated inside the derivative and on every output); a time event at T
 * ends a step at T and fires (before an output at T for `t >= T`, after it for
 * `t > T`); a state trigger is checked after every accepted step and every
 * firing, its rise located by bisection on the dense output to 1e-10
 * relative in time, where the event fires. After every event or firing the
 * integrator restarts. Parameters live in a per-trajectory copy.
 *
 * Returns discrete firings plus accepted ODE steps. Draws come from
 * xoshiro128** started at `rng` and written back, so seeded runs repeat bit
 * for bit.
 */
export class HybridSimulator implements Simulator {
  readonly method: HybridMethodName = HYBRID_METHOD;
  readonly speciesIds: readonly string[];
  readonly parameterIds: readonly string[];
  readonly defaultParameters: Float64Array;
  readonly options: ResolvedHybridOptions;
  private readonly layout: HybridLayout;
  private readonly derivative: HybridDerivativeFn;
  private readonly propensities: HybridPropensitiesFn;
  private readonly constants: RateConstantsFn;
  private readonly dynamics: DynamicsVector | null;
  private readonly applyRules: ApplyRulesFn | null;
  private readonly triggers: TriggersFn | null;
  private readonly stateEvents: Int32Array;
  private readonly partition: Partition;
  private readonly random = new Xoshiro128([1, 0, 0, 0]);
  private readonly system: OdeSystem;
  private integrator: OdeIntegrator | null = null;
  /** Current state and work vectors over the layout; rate-rule parameter slots of p are kept in step with y. */
  private readonly y: Float64Array;
  private readonly w: Float64Array;
  private readonly probe: Float64Array;
  /** Whether a state trigger that was false holds at a state (for locateRise). */
  private readonly rises = (state: Float64Array): boolean => this.triggerRises(state);
  private readonly p: Float64Array;
  private readonly a: Float64Array;
  private readonly c: Float64Array;
  private readonly scratchA: Float64Array;
  private readonly tv: Float64Array;
  private readonly ev: Float64Array;
  private readonly slots: Int32Array;
  private readonly slotParameters: Int32Array;

  constructor(
    private readonly network: CompiledNetwork,
    options: HybridOptions = {},
  ) {
    this.options = resolveHybridOptions(options);
    this.speciesIds = network.speciesIds;
    this.parameterIds = network.parameterIds;
    this.defaultParameters = network.parameterValues;
    const rateRules = this.options.rateRules;
    this.layout = hybridLayout(network, rateRules);
    ({ derivative: this.derivative, propensities: this.propensities } = compileHybridFunctions(network, rateRules, this.layout));
    this.constants = compileRateConstants(network);
    this.dynamics = hasDiscreteDynamics(network) ? compileDynamicsVector(network, false) : null;
    this.applyRules = network.rules.length > 0 ? compileApplyRules(network) : null;
    this.stateEvents = Int32Array.from(network.events.flatMap((e, k) => (e.time ? [] : [k])));
    this.triggers = this.stateEvents.length > 0 ? compileTriggers(network) : null;
    this.partition = new Partition(network, rateRules, this.options);
    const nR = network.reactions.length;
    const size = this.layout.size;
    this.y = new Float64Array(size);
    this.w = new Float64Array(size);
    this.probe = new Float64Array(size);
    this.p = new Float64Array(network.parameterIds.length);
    this.a = new Float64Array(nR);
    this.c = new Float64Array(nR);
    this.scratchA = new Float64Array(nR);
    this.tv = new Float64Array(network.events.length);
    this.ev = new Float64Array(this.dynamics ? this.dynamics.stateLength : 2);
    this.slots = Int32Array.from(this.layout.parameterSlot.values());
    this.slotParameters = Int32Array.from(this.layout.parameterSlot.keys());
    const { p, partition, derivative } = this;
    const vol = network.volume;
    this.system = { size, derivative: (t, y, dy) => derivative(t, y, p, vol, partition.continuous, dy) };
  }

  simulateInto(out: Float64Array, grid: Float64Array, parameters: Float64Array, rng: Uint32Array): number {
    const { y, w, p, a, c, ev, dynamics, partition, random, network } = this;
    const vol = network.volume;
    const nT = grid.length;
    const tEnd = grid[nT - 1];
    const window = this.options.window ?? (nT > 1 ? tEnd / (nT - 1) : Math.max(tEnd, 1));
    const G = this.layout.gSlot;
    random.setState(rng);
    p.set(parameters);
    y.fill(0);
    y.set(network.initialState);
    this.constants(p, vol, c);
    if (dynamics) dynamics.start(y, p, vol, c, this.scratchA, ev);
    else ev[0] = Infinity;
    this.storeSlots(y);
    const slot = dynamics ? dynamics.nextTimeSlot : 0;
    partition.clear();
    this.integrator = null;
    let xi = exponentialZiggurat(random);
    let t = 0;
    let g = 0;
    let work = 0;
    let restart = true;
    for (;;) {
      const tev = ev[slot];
      if (t >= tev && ev[slot + 1] === 0) {
        this.fireTimeEvents(y);
        restart = true;
        continue;
      }
      if (g < nT && grid[g] <= t) {
        for (; g < nT && grid[g] <= t; g++) this.record(y, out, g, nT);
        // Re-partition at output times; the integrator goes on unless the partition changed.
        if (!restart && g < nT && this.repartition(t, y, window) !== 0) restart = true;
      }
      if (t >= tev) {
        this.fireTimeEvents(y);
        restart = true;
        continue;
      }
      if (g === nT) break;
      if (work > this.options.maxEvents) throw new SimulationBudgetError('hybrid', this.options.maxEvents, t, tEnd, 'firings and ODE steps');
      const tStop = Math.min(grid[g], tev);
      if (restart) {
        this.repartition(t, y, window);
        restart = false;
        // The clock restarts at 0; what it had run since the last reset is spent from the threshold.
        xi -= y[G];
        y[G] = 0;
        if (partition.count > 0 || this.options.rateRules.length > 0) this.integratorOf().reset(t, y);
      }
      if (partition.count === 0 && this.options.rateRules.length === 0) {
        // Every reaction discrete and nothing continuous: propensities are constant until the next firing (exact SSA).
        let a0 = 0;
        for (let j = 0; j < a.length; j++) a0 += a[j];
        const span = tStop - t;
        if (!(a0 * span >= xi)) {
          xi -= a0 * span;
          t = tStop;
          continue;
        }
        t += Math.max(xi, 0) / a0;
        if (!(t < tStop)) t = tStop; // round-off at the boundary: fire at tStop
        this.fireDiscrete(a, a0, y);
        work++;
        xi = exponentialZiggurat(random);
        this.afterChange(y, t);
        restart = true;
        continue;
      }
      // Continuous part: one accepted step towards tStop.
      const ode = this.integratorOf();
      const t1 = ode.step(tStop);
      work++;
      const t0 = ode.tPrevious;
      let tCut = t1;
      const fires = ode.y[G] >= xi;
      if (fires) tCut = locateLevel(ode, G, xi, CLOCK_TOLERANCE, w);
      else w.set(ode.y);
      // w holds the state at tCut. A state event before it comes first.
      if (this.triggers && this.triggerRises(w)) {
        const tStar = locateRise(ode, t0, tCut, this.probe, this.rises);
        ode.interpolate(tStar, w);
        y.set(w);
        t = tStar;
        this.afterChange(y, t);
        restart = true;
        continue;
      }
      y.set(w);
      t = tCut;
      if (fires) {
        this.loadSlots(y);
        this.propensities(t, y, p, vol, a);
        let a0 = 0;
        for (let j = 0; j < a.length; j++) if (partition.continuous[j] === 0) a0 += a[j];
        if (a0 > 0) {
          this.fireDiscrete(a, a0, y);
          work++;
        }
        xi = exponentialZiggurat(random);
        y[G] = 0;
        this.afterChange(y, t);
        restart = true;
        continue;
      }
      // Accepted without firing: remember triggers that stayed or turned false, and revisit the partition.
      for (let i = 0; i < this.stateEvents.length; i++) ev[this.stateEvents[i]] = this.tv[this.stateEvents[i]];
      if (t < tStop && this.repartition(t, y, window) !== 0) restart = true;
    }
    rng.set(random.getState());
    return work;
  }

  /** The trajectory's integrator, created on first need: its step budget and stiffness switch belong to one trajectory. */
  private integratorOf(): OdeIntegrator {
    const { rtol, atol, maxEvents, integrator } = this.options;
    return (this.integrator ??= createIntegrator(this.system, integrator, { rtol, atol, maxSteps: Math.min(maxEvents, 1e9) }));
  }

  /** Propensities at y, checked, then the partition; returns what Partition.update returned. */
  private repartition(t: number, y: Float64Array, window: number): number {
    const { a, p } = this;
    this.loadSlots(y);
    this.propensities(t, y, p, this.network.volume, a);
    this.checkPropensities(t);
    const changed = this.partition.update(y, a, window, this.random);
    if (changed === 2) {
      this.propensities(t, y, p, this.network.volume, a);
      this.checkPropensities(t);
    }
    return changed;
  }

  private checkPropensities(t: number): void {
    const a = this.a;
    for (let j = 0; j < a.length; j++) {
      if (a[j] >= 0 && a[j] < Infinity) continue;
      const id = this.network.reactions[j].id;
      if (a[j] < 0)
        throw MODEL_FAILURES.failed('negative-rate', `reaction ${id}: propensity is ${a[j]} at t=${t}; expected a finite value >= 0`, {
          reaction: id,
          what: 'propensity',
          value: String(a[j]),
          time: t,
        });
      throw MODEL_FAILURES.rate('propensity', id, a[j], t);
    }
  }

  /** Fire one discrete reaction, chosen with probability a_j / a0 over the discrete ones. */
  private fireDiscrete(a: Float64Array, a0: number, y: Float64Array): void {
    const continuous = this.partition.continuous;
    const reactions = this.network.reactions;
    let u = this.random.nextDouble() * a0;
    let chosen = -1;
    for (let j = 0; j < a.length; j++) {
      if (continuous[j] === 1 || !(a[j] > 0)) continue;
      chosen = j;
      if (u < a[j]) break;
      u -= a[j];
    }
    if (chosen < 0) return;
    const changes = reactions[chosen].changes;
    for (let i = 0; i < changes.length; i++) y[changes[i].species] += changes[i].delta;
  }

  /** Rules and state events after the state changed at t (events cascade; see discreteDynamicsVector). */
  private afterChange(y: Float64Array, t: number): void {
    if (!this.dynamics) return;
    this.loadSlots(y);
    this.dynamics.afterChange(y, this.p, this.network.volume, this.c, this.scratchA, t, this.ev);
    this.storeSlots(y);
  }

  private fireTimeEvents(y: Float64Array): void {
    this.loadSlots(y);
    this.dynamics!.fireTimeEvents(y, this.p, this.network.volume, this.c, this.scratchA, this.ev);
    this.storeSlots(y);
  }

  /** p ← the rate-rule parameters held in y. */
  private loadSlots(y: Float64Array): void {
    for (let i = 0; i < this.slots.length; i++) this.p[this.slotParameters[i]] = y[this.slots[i]];
  }

  /** y ← rate-rule parameters an event may have assigned in p. */
  private storeSlots(y: Float64Array): void {
    for (let i = 0; i < this.slots.length; i++) y[this.slots[i]] = this.p[this.slotParameters[i]];
  }

  /** Evaluate the state triggers at state x into tv; true if one that was false is now true. */
  private triggerRises(x: Float64Array): boolean {
    const { tv, ev, stateEvents } = this;
    this.loadSlots(x);
    this.triggers!(x, this.p, this.network.volume, tv);
    for (let i = 0; i < stateEvents.length; i++) if (tv[stateEvents[i]] !== 0 && ev[stateEvents[i]] === 0) return true;
    return false;
  }

  /** out[., g] = the species at y with the rule variables evaluated. */
  private record(y: Float64Array, out: Float64Array, g: number, nT: number): void {
    let x = y;
    if (this.applyRules) {
      this.w.set(y);
      this.loadSlots(y);
      this.applyRules(this.w, this.p, this.network.volume);
      x = this.w;
    }
    const nS = this.speciesIds.length;
    for (let s = 0; s < nS; s++) out[s * nT + g] = x[s];
  }
}
