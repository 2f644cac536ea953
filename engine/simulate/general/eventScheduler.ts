import { SimulationError } from '../../errors/index.js';
import type { CompiledGeneralModel } from './compileGeneralModel.js';
import type { GeneralRun } from './generalRun.js';

/** An event that triggered and waits for its execution time. */
interface PendingExecution {
  readonly event: number;
  readonly time: number;
  /** Assignment values computed at trigger time (useValuesFromTriggerTime), else null: computed at execution. */
  readonly values: Float64Array | null;
  /** Order of triggering, to break priority ties (document order within one instant). */
  readonly sequence: number;
}

/** More executions than this at one instant: events that keep re-triggering each other. */
const MAX_EXECUTIONS_PER_INSTANT = 100_000;

/**
 * SBML Level 3 event semantics (SBML L3V2 core specification, §4.12): an
 * event triggers when its trigger turns from false to true (before t0 it
 * holds `initialValue`); its delay, evaluated at trigger time, schedules the
 * execution; the assignment values are computed at trigger time when
 * `useValuesFromTriggerTime`, else at execution. When several executions
 * are due at one instant, the one with the highest priority (evaluated
 * then) runs first (equal priorities: chosen at random, as SBML says; no
 * priority: after those with one, in triggering order); after each execution the
 * triggers are evaluated again, so new events join the instant (cascades)
 * and non-persistent events whose trigger turned false are dropped.
 */
export class EventScheduler {
  /** Executions so far. */
  executions = 0;
  private readonly n: number;
  /** Trigger values at the last accepted point (1 true, 0 false). */
  private readonly previous: Float64Array;
  private readonly current: Float64Array;
  private readonly scratch: Float64Array;
  private readonly priorities: Float64Array;
  private readonly values: Float64Array;
  private pending: PendingExecution[] = [];
  private sequence = 0;
  /** State of the generator that breaks priority ties; fixed seed, so a trajectory is a function of its inputs. */
  private seed = 0x9e3779b9;

  constructor(
    private readonly compiled: CompiledGeneralModel,
    private readonly run: GeneralRun,
  ) {
    this.n = compiled.model.events.length;
    this.previous = new Float64Array(this.n);
    this.current = new Float64Array(this.n);
    this.scratch = new Float64Array(this.n);
    this.priorities = new Float64Array(this.n);
    const most = Math.max(0, ...compiled.eventTargets.map((targets) => targets.length));
    this.values = new Float64Array(most);
  }

  /** Before t0: each trigger holds its initialValue. */
  start(): void {
    this.compiled.model.events.forEach((e, k) => (this.previous[k] = e.initialValue ? 1 : 0));
    this.pending = [];
    this.seed = 0x9e3779b9;
  }

  /** The earliest time after t at which a step must end: a delayed execution or the time of a time trigger. */
  nextStop(t: number, v: Float64Array): number {
    let next = Infinity;
    for (const p of this.pending) if (p.time > t && p.time < next) next = p.time;
    if (this.n > 0) {
      this.compiled.generated.eventTimes(t, v, this.scratch, this.run.hooks);
      for (let k = 0; k < this.n; k++) if (this.scratch[k] > t && this.scratch[k] < next) next = this.scratch[k];
    }
    return next;
  }

  /** Whether, with values v at time t, a trigger rose, or fell while the event waits to execute non-persistently. */
  changedAt(t: number, v: Float64Array): boolean {
    if (this.n === 0) return false;
    const { current, previous } = this;
    this.compiled.generated.triggers(t, v, current, this.run.hooks);
    for (let k = 0; k < this.n; k++) {
      if (current[k] === previous[k]) continue;
      if (current[k] === 1 || this.waitsNonPersistently(k)) return true;
    }
    return false;
  }

  dueAt(t: number): boolean {
    return this.pending.some((p) => p.time <= t);
  }

  /** Take the trigger values at t as the new reference (nothing relevant changed). */
  acknowledge(t: number, v: Float64Array): void {
    if (this.n === 0) return;
    this.compiled.generated.triggers(t, v, this.previous, this.run.hooks);
  }

  /** Everything that happens at instant t: triggering, then due executions by priority, with cascades. Returns whether the state changed. */
  process(t: number): boolean {
    if (this.n === 0) return false;
    let changed = false;
    this.trigger(t, this.run.valuesAt(t, this.run.y));
    for (let round = 0; ; round++) {
      const next = this.chooseDue(t);
      if (next === null) return changed;
      if (round >= MAX_EXECUTIONS_PER_INSTANT) {
        throw new SimulationError(
          'EVENT_LOOP',
          `events keep triggering each other at t=${t} (more than ${MAX_EXECUTIONS_PER_INSTANT} executions at one instant); last: event ${this.compiled.model.events[next.event].id}`,
          { time: t },
        );
      }
      this.execute(next, t);
      changed = true;
      this.trigger(t, this.run.valuesAt(t, this.run.y));
    }
  }

  /** Compare triggers with the previous values: schedule rising events, drop waiting non-persistent ones whose trigger fell. */
  private trigger(t: number, v: Float64Array): void {
    const { current, previous, compiled } = this;
    const events = compiled.model.events;
    compiled.generated.triggers(t, v, current, this.run.hooks);
    let delays: Float64Array | null = null;
    for (let k = 0; k < this.n; k++) {
      if (current[k] === previous[k]) continue;
      previous[k] = current[k];
      if (current[k] === 0) {
        if (!events[k].persistent) this.pending = this.pending.filter((p) => p.event !== k);
        continue;
      }
      if (delays === null) {
        delays = this.scratch;
        compiled.generated.delays(t, v, delays, this.run.hooks);
      }
      const delay = delays[k];
      if (!(delay >= 0 && delay < Infinity)) {
        throw new SimulationError('EVENT_DELAY_INVALID', `event ${events[k].id}: delay is ${delay} at t=${t}; expected a finite value >= 0`, {
          event: events[k].id,
          time: t,
          delay: String(delay),
        });
      }
      let values: Float64Array | null = null;
      if (events[k].useValuesFromTriggerTime) {
        compiled.generated.eventValues[k](t, v, this.values, this.run.hooks);
        values = this.values.slice(0, compiled.eventTargets[k].length);
      }
      this.pending.push({ event: k, time: t + delay, values, sequence: this.sequence++ });
    }
  }

  /** The due execution to run first: highest priority (evaluated now), then earliest triggered; null when none is due. */
  private chooseDue(t: number): PendingExecution | null {
    let best: PendingExecution | null = null;
    let bestPriority = -Infinity;
    let evaluated = false;
    let ties = 0;
    for (const p of this.pending) {
      if (p.time > t) continue;
      if (!evaluated) {
        this.compiled.generated.priorities(t, this.run.valuesAt(t, this.run.y), this.priorities, this.run.hooks);
        evaluated = true;
      }
      // An event without priority runs after those with one, in triggering order (SBML leaves the order open).
      const given = !Number.isNaN(this.priorities[p.event]);
      const priority = given ? this.priorities[p.event] : -Infinity;
      if (best === null || priority > bestPriority) {
        best = p;
        bestPriority = priority;
        ties = 1;
      } else if (priority === bestPriority && given) {
        // Equal given priorities: SBML L3 §4.12.7 picks at random; reservoir sampling keeps each tie equally likely.
        ties++;
        if (this.random() * ties < 1) best = p;
      }
    }
    if (best !== null) this.pending.splice(this.pending.indexOf(best), 1);
    return best;
  }

  private execute(p: PendingExecution, t: number): void {
    const { compiled, run } = this;
    const event = compiled.model.events[p.event];
    const targets = compiled.eventTargets[p.event];
    let values = p.values;
    if (values === null) {
      compiled.generated.eventValues[p.event](t, run.valuesAt(t, run.y), this.values, run.hooks);
      values = this.values;
    }
    const symbols = compiled.symbols.symbols;
    // Species first, converted with the sizes before the event; then sizes, which keep amounts (SBML test suite 01779).
    const before = run.v.slice();
    for (const speciesPass of [true, false]) {
      for (let m = 0; m < targets.length; m++) {
        const i = targets[m];
        const s = symbols[i];
        if ((s.kind === 'species') !== speciesPass) continue;
        const x = values[m];
        if (!Number.isFinite(x)) {
          throw new SimulationError('EVENT_VALUE_NOT_FINITE', `event ${event.id}: assigns ${s.id} the value ${x} at t=${t}`, {
            event: event.id,
            variable: s.id,
            time: t,
            value: String(x),
          });
        }
        const primary = s.holdsAmount ? x * run.sizeOf(i) : x;
        if (s.role === 'fixed') {
          run.d[i] = primary;
          run.noteStoreChange();
        } else run.y[s.slot] = primary;
        if (s.role === 'rate' && s.concentration) before[i] = x;
      }
    }
    this.keepAmounts(before, run.valuesAt(t, run.y));
    this.executions++;
  }

  /**
   * Uniform in [0, 1) from mulberry32 (Tommy Ettinger, 2017, public domain): a
   * 32-bit generator, ample for choosing among a few tied events.
   */
  private random(): number {
    let x = (this.seed = (this.seed + 0x6d2b79f5) | 0);
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  }

  /**
   * A compartment resized by an event keeps the amounts in it (SBML test
   * suite 01505, 01506): species held as amounts need nothing, but a
   * concentration species integrated as a concentration (rate rule) is
   * rescaled by old size / new size.
   */
  private keepAmounts(before: Float64Array, after: Float64Array): void {
    const { symbols } = this.compiled.symbols;
    for (let i = 0; i < symbols.length; i++) {
      const s = symbols[i];
      if (s.kind !== 'species' || !s.concentration || s.role !== 'rate' || s.compartment < 0) continue;
      const oldSize = before[s.compartment];
      const newSize = after[s.compartment];
      if (oldSize !== newSize && newSize !== 0) this.run.y[s.slot] = (before[i] * oldSize) / newSize;
    }
  }

  private waitsNonPersistently(k: number): boolean {
    return !this.compiled.model.events[k].persistent && this.pending.some((p) => p.event === k);
  }
}
