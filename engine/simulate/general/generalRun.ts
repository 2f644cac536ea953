import { SimulationBudgetError, SimulationError, SimulationSettingsError } from '../../errors/index.js';
import { createIntegrator } from '../ode/createIntegrator.js';
import type { OdeIntegrator, OdeSystem } from '../ode/integrator.js';
import { AlgebraicSolver } from './algebraicSolver.js';
import type { CompiledGeneralModel } from './compileGeneralModel.js';
import { EventScheduler } from './eventScheduler.js';
import { StateHistory } from './stateHistory.js';
import { TrajectoryFunctions } from './trajectoryFunctions.js';
import { TrajectoryRecorder } from './trajectoryRecorder.js';
import type { GeneralSimulationOptions, GeneralTrajectory } from './types.js';
import { explainIntegratorFailure } from './rateDiagnostics.js';
import { StaticIntegrator } from './staticIntegrator.js';

/** Event crossings are located to this relative precision in time. */
const EVENT_TIME_RTOL = 1e-13;

/**
 * One deterministic trajectory of a general model (SBML semantics). The
 * state y (species amounts changed by reactions, rate-rule variables) is
 * integrated by createIntegrator's method one accepted step at a time;
 * between steps the event triggers are checked at the step end and, when
 * one changed, the crossing is located by bisection on the dense output to
 * EVENT_TIME_RTOL, the trajectory is cut there, events are processed
 * (EventScheduler) and the integrator restarts: it never steps across a
 * discontinuity. Steps also end exactly at time-trigger times and at
 * delayed executions. Assignment rules are evaluated in dependency order at
 * every evaluation; algebraic unknowns are solved by Newton (index-1 DAE).
 * The stiff method gets ∂f/∂y generated from the expressions where the model
 * allows it (analyticJacobian.ts; else finite differences), and skips ∂f/∂t
 * when f does not read the time.
 */
export class GeneralRun {
  readonly v: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
  readonly d: Float64Array;
  private readonly dy: Float64Array;
  readonly w: Float64Array;
  readonly ov: Uint8Array;
  private readonly work: Float64Array;
  private readonly rates: Float64Array;
  private readonly algebraic: AlgebraicSolver | null;
  private readonly history: StateHistory | null;
  private readonly scheduler: EventScheduler;
  private integrator!: OdeIntegrator;
  /** The integrator's view of the generated Jacobian: null until first asked for, undefined when there is none. */
  private integratorJacobian: OdeSystem['jacobian'] | null = null;
  private readonly recorder: TrajectoryRecorder;
  /** delay() and rateOf() for the generated code. */
  readonly hooks: TrajectoryFunctions;
  /** The point whose values are in v. */
  currentT = 0;
  currentY: Float64Array;
  private storeChanged = true;
  private readonly started = Date.now();

  constructor(
    private readonly compiled: CompiledGeneralModel,
    private readonly grid: Float64Array,
    private readonly options: GeneralSimulationOptions,
  ) {
    const { symbols, stateSymbols, algebraicSymbols, algebraicRules } = compiled.symbols;
    checkGrid(grid);
    const n = stateSymbols.length;
    this.v = new Float64Array(symbols.length);
    this.y = new Float64Array(n);
    this.z = new Float64Array(algebraicSymbols.length);
    this.d = new Float64Array(symbols.length);
    this.dy = new Float64Array(n);
    this.work = new Float64Array(n);
    this.rates = new Float64Array(compiled.model.reactions.length);
    this.currentY = this.y;
    ({ written: this.w, overridden: this.ov } = compiled.startingValues(options.overrides));
    this.algebraic =
      algebraicSymbols.length > 0
        ? new AlgebraicSolver(
            algebraicSymbols.length,
            (k) => `algebraic rule ${algebraicRules[k] + 1} (0 = ${compiled.model.rules[algebraicRules[k]].expression})`,
          )
        : null;
    this.history = compiled.usesDelay ? new StateHistory(n, algebraicSymbols.length) : null;
    this.hooks = new TrajectoryFunctions(compiled, this, this.history);
    this.scheduler = new EventScheduler(compiled, this);
    this.recorder = new TrajectoryRecorder(compiled, grid);
  }

  /**
   * The integrator, made once the values at t0 are known: with delay(), no
   * step may be longer than the shortest delay seen at t0 (the method of
   * steps: a stage then never reads history the step itself has not made).
   * With events, steps are at most 1/100 of the span, so that a trigger that
   * turns true and back inside one long step is not missed.
   */
  private makeIntegrator(): OdeIntegrator {
    const { compiled, options, grid } = this;
    const n = compiled.symbols.stateSymbols.length;
    const tEnd = grid[grid.length - 1];
    const eventStep = compiled.model.events.length > 0 && tEnd > 0 ? tEnd / 100 : Infinity;
    const maxStep = Math.min(compiled.delayStepLimit, this.hooks.shortestDelay, eventStep);
    const maxSteps = options.maxSteps ?? 1e6;
    if (n === 0) return new StaticIntegrator(maxStep === Infinity ? tEnd / 100 : maxStep, maxSteps);
    const method = options.method ?? 'auto';
    const stiff = method !== 'nonstiff';
    const analytic = stiff && options.analyticJacobian !== false;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the getters below have their own `this` (the OdeSystem literal) and need the run's
    const run = this;
    const system: OdeSystem = {
      size: n,
      derivative: (t, y, dydt) => this.derivative(t, y, dydt),
      // Read by the Rosenbrock method only (under `auto`, once it switches), so both are worked out on first need, once per model.
      get autonomous(): boolean {
        return stiff && compiled.derivativeGraph.autonomous;
      },
      get jacobian(): OdeSystem['jacobian'] {
        return analytic ? run.analyticJacobian() : undefined;
      },
    };
    return createIntegrator(system, method, { rtol: options.rtol ?? 1e-6, atol: options.atol ?? 1e-9, maxSteps, maxStep });
  }

  run(): GeneralTrajectory {
    const { grid, scheduler, recorder } = this;
    const nT = grid.length;
    const tEnd = grid[nT - 1];
    let t = 0;
    this.initialise();
    this.recordHistory(t);
    const integrator = (this.integrator = this.makeIntegrator());
    scheduler.start();
    scheduler.process(t);
    let g = 0;
    for (; g < nT && grid[g] <= t; g++) this.recordAt(g, t, this.y);
    this.recordHistory(t);
    this.restart(t);
    while (g < nT) {
      this.checkBudget(t, tEnd);
      this.evaluate(t, this.y);
      const tStop = Math.min(tEnd, scheduler.nextStop(t, this.v));
      const t1 = this.step(tStop, t);
      // Triggers at the step end: a relevant change means an event happened inside (t, t1].
      this.evaluate(t1, integrator.y);
      const changed = scheduler.changedAt(t1, this.v);
      const tEvent = changed ? this.locateChange(t, t1) : t1;
      for (; g < nT && grid[g] < tEvent; g++) {
        integrator.interpolate(grid[g], this.work);
        this.recordAt(g, grid[g], this.work);
      }
      this.recordStepInterior(t, t1, tEvent);
      if (tEvent === t1) this.y.set(integrator.y);
      else integrator.interpolate(tEvent, this.y);
      t = tEvent;
      this.recordHistory(t);
      const fired = changed || scheduler.dueAt(t) ? scheduler.process(t) : false;
      if (!changed) scheduler.acknowledge(t, this.valuesAt(t, this.y));
      for (; g < nT && grid[g] <= t; g++) this.recordAt(g, t, this.y);
      if (fired) this.recordHistory(t);
      if (fired || tEvent !== t1) this.restart(t);
    }
    return recorder.finish({
      steps: integrator.stats.accepted,
      rejected: integrator.stats.rejected,
      events: scheduler.executions,
      stiff: integrator.stats.switchedToStiffAt !== null,
      derivativeCalls: integrator.stats.derivativeCalls,
      jacobianCalls: integrator.stats.jacobianCalls,
    });
  }

  /** v at (t, y): algebraic unknowns solved, then every value refreshed. */
  evaluate(t: number, y: Float64Array): void {
    this.currentT = t;
    this.currentY = y;
    if (this.algebraic) this.algebraic.solve(this.z, this.residual, t);
    this.compiled.generated.refresh(t, y, this.z, this.d, this.v, this.hooks);
  }

  /** evaluate(t, y) and return v. */
  valuesAt(t: number, y: Float64Array): Float64Array {
    this.evaluate(t, y);
    return this.v;
  }

  /** The ODE right-hand side: values at (t, y), then the reactions' and rate rules' rates into dydt. */
  derivative(t: number, y: Float64Array, dydt: Float64Array): void {
    this.evaluate(t, y);
    this.compiled.generated.derivative(t, this.v, dydt, this.hooks);
  }

  /** The generated ∂f/∂y for the integrator (values at (t, y) first, as for the derivative), or undefined: finite differences. */
  private analyticJacobian(): OdeSystem['jacobian'] {
    if (this.integratorJacobian === null) {
      const generated = this.compiled.jacobianPlan.jacobian;
      this.integratorJacobian = generated
        ? (t: number, y: Float64Array, jac: Float64Array) => {
            this.evaluate(t, y);
            generated(t, this.v, jac);
          }
        : undefined;
    }
    return this.integratorJacobian;
  }

  /** Marks the discrete store as changed (the scheduler calls this after an execution). */
  noteStoreChange(): void {
    this.storeChanged = true;
  }

  /** The algebraic residuals at the current point (currentT, currentY) for unknowns z; bound once, so a solve allocates nothing. */
  private readonly residual = (z: Float64Array, r: Float64Array): void => {
    this.compiled.generated.refresh(this.currentT, this.currentY, z, this.d, this.v, this.hooks);
    this.compiled.generated.residual(this.currentT, this.v, r, this.hooks);
  };

  /** Values at t0 (written values, initial assignments, rules, algebraic rules), then the state and store they imply. */
  private initialise(): void {
    const { compiled, v, z, w, ov, y, d } = this;
    const { symbols, stateSymbols, algebraicSymbols } = compiled.symbols;
    const generated = compiled.generated;
    algebraicSymbols.forEach((i, k) => (z[k] = Number.isFinite(w[i]) ? w[i] : 0));
    if (this.algebraic) {
      this.algebraic.solve(
        z,
        (zz, r) => {
          generated.init(0, v, zz, w, ov, this.hooks);
          generated.residual(0, v, r, this.hooks);
        },
        0,
      );
    }
    generated.init(0, v, z, w, ov, this.hooks);
    symbols.forEach((s, i) => {
      if (!Number.isFinite(v[i]))
        throw new SimulationError('INITIAL_VALUE_NOT_FINITE', `${s.kind} ${s.id}: initial value is ${v[i]}`, { id: s.id, value: String(v[i]) });
    });
    stateSymbols.forEach((i, slot) => (y[slot] = this.primaryOf(i)));
    symbols.forEach((s, i) => {
      if (s.role === 'fixed') d[i] = this.primaryOf(i);
    });
  }

  /** The primary value of symbol i (amount for a concentration species kept as an amount) from v. */
  primaryOf(i: number): number {
    const s = this.compiled.symbols.symbols[i];
    return s.holdsAmount ? this.v[i] * this.sizeOf(i) : this.v[i];
  }

  sizeOf(i: number): number {
    const c = this.compiled.symbols.symbols[i].compartment;
    return c >= 0 ? this.v[c] : this.compiled.model.volume;
  }

  /** One accepted step towards tStop; errors get the name of the rate that is not finite. */
  private step(tStop: number, t: number): number {
    return this.explained(() => this.integrator.step(tStop), t);
  }

  /** Restart the integrator at (t, y) after a discontinuity; errors get names as in `step`. */
  private restart(t: number): void {
    this.explained(() => this.integrator.reset(t, this.y), t);
  }

  private explained<T>(action: () => T, t: number): T {
    try {
      return action();
    } catch (error) {
      if (error instanceof SimulationError && (error.code === 'DERIVATIVE_NOT_FINITE' || error.code === 'SIMULATION_STEP_UNDERFLOW')) {
        const at = this.integrator.t ?? t;
        this.evaluate(at, this.integrator.y);
        throw explainIntegratorFailure(error, this.compiled, this.v, at, this.hooks);
      }
      throw error;
    }
  }

  /** Bisection on the dense output of the last step for the first time in (t0, t1] where a relevant trigger change holds. */
  private locateChange(t0: number, t1: number): number {
    let lo = t0;
    let hi = t1;
    while (hi - lo > EVENT_TIME_RTOL * Math.max(Math.abs(hi), Number.MIN_VALUE)) {
      const mid = lo + 0.5 * (hi - lo);
      if (mid <= lo || mid >= hi) break;
      this.integrator.interpolate(mid, this.work);
      if (this.scheduler.changedAt(mid, this.valuesAt(mid, this.work))) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  private recordAt(g: number, t: number, y: Float64Array): void {
    this.evaluate(t, y);
    this.compiled.generated.rates(t, this.v, this.rates, this.hooks);
    this.recorder.record(g, this.v, y, this.d, this.rates);
  }

  private recordHistory(t: number, y: Float64Array = this.y): void {
    if (!this.history) return;
    this.derivative(t, y, this.dy);
    this.history.record(t, y, this.dy, this.z, this.d, this.storeChanged);
    this.storeChanged = false;
  }

  /**
   * History inside the step just taken, up to tEnd: three points of the
   * integrator's dense output, so the Hermite pieces span a quarter step
   * (their error shrinks 4⁴ = 256-fold) and delay() stays as accurate as the
   * integrator even at loose tolerances.
   */
  private recordStepInterior(t0: number, t1: number, tEnd: number): void {
    if (!this.history) return;
    for (const theta of [0.25, 0.5, 0.75]) {
      const s = t0 + theta * (t1 - t0);
      if (!(s < tEnd)) break;
      this.integrator.interpolate(s, this.work);
      this.recordHistory(s, this.work);
    }
  }

  private checkBudget(t: number, tEnd: number): void {
    this.options.signal?.throwIfAborted();
    const limit = this.options.timeLimitMs;
    if (limit !== undefined && Date.now() - this.started > limit) throw new SimulationBudgetError('ode', limit, t, tEnd, 'ms of wall time', 'timeLimitMs');
  }
}

function checkGrid(grid: Float64Array): void {
  if (grid.length < 1) throw new SimulationSettingsError('grid', 'expected at least one output time');
  if (!(grid[0] >= 0)) throw new SimulationSettingsError('grid', `expected output times >= 0 (the model starts at t = 0), got ${grid[0]}`);
  for (let g = 1; g < grid.length; g++) {
    if (!(grid[g] >= grid[g - 1]) || !Number.isFinite(grid[g]))
      throw new SimulationSettingsError('grid', `expected finite, non-decreasing output times; got ${grid[g]} after ${grid[g - 1]}`);
  }
}
