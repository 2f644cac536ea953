import type { CompiledNetwork } from '../../model/compile.js';
import {
  dueTimeEventsJs,
  eventBlockJs,
  eventDeclarationsJs,
  eventTimesJs,
  hasTimeEvents,
  initialEventsJs,
  initialExpressionsJs,
  nextEventTimeJs,
  rulesJs,
  type DynamicsNames,
} from './discreteDynamicsJs.js';
import { FAIL_PARAMETER, MODEL_FAILURES } from './failures.js';
import { ARRAY_NAMES } from './propensityVector.js';

/**
 * The discrete parts of a model (initial expressions, assignment rules,
 * events) as small generated functions over typed arrays, for simulators
 * that keep their state in arrays (tau-leaping, the ODE solver). They are
 * built from the same snippets as the SSA (discreteDynamicsJs.ts), so all
 * three methods share one reading of SBML's event semantics.
 *
 * Arguments: species x, parameters p (a per-trajectory copy: events may
 * assign parameters), volume, rate constants c, propensities a (rewritten
 * with the 'stochastic' form after an event) and the event state ev, a
 * Float64Array of length eventStateLength(network) laid out as
 *   ev[k] = trigger value e_k,  ev[K + k] = time event k fired,
 *   ev[2K + k] = time event k's time T_k,
 *   ev[3K] = next time event (Infinity if none),  ev[3K + 1] = 1 if it fires just after that time.
 * Nothing is allocated per call: the event scratch lives in locals.
 */

/** At t = 0: initial expressions, rules, time-event times, and the events due at the start (see initialEventsJs). */
export type StartDynamicsFn = (x: Float64Array, p: Float64Array, vol: number, c: Float64Array, a: Float64Array, ev: Float64Array) => void;

/** After the state changed at time t: re-evaluate every rule, then fire state events whose trigger turned true (cascading). */
export type AfterChangeFn = (x: Float64Array, p: Float64Array, vol: number, c: Float64Array, a: Float64Array, t: number, ev: Float64Array) => void;

/** At t = ev[3K]: fire every time event due then (and what cascades), then find the next time event. */
export type FireTimeEventsFn = (x: Float64Array, p: Float64Array, vol: number, c: Float64Array, a: Float64Array, ev: Float64Array) => void;

export interface DynamicsVector {
  readonly start: StartDynamicsFn;
  readonly afterChange: AfterChangeFn;
  readonly fireTimeEvents: FireTimeEventsFn;
  /** Length of the event-state array ev. */
  readonly stateLength: number;
  /** Index in ev of the next time event's time; the strictness flag follows it. */
  readonly nextTimeSlot: number;
}

export function eventStateLength(network: CompiledNetwork): number {
  return 3 * network.events.length + 2;
}

/** Names for array-held state, with propensities a[j]; integerSpecies for the stochastic methods. */
export function arrayDynamicsNames(integerSpecies: boolean): DynamicsNames {
  return { ...ARRAY_NAMES, propensity: (j) => `a[${j}]`, total: null, integerSpecies };
}

/** Load the persistent event state from ev into the snippets' locals, and the transient scratch. */
function loadEventStateJs(network: CompiledNetwork): string {
  const K = network.events.length;
  const vars: string[] = ['evAny=0', 'evRound=0', 'evNow=0'];
  network.events.forEach((e, k) => {
    vars.push(`e${k}=ev[${k}]`, `q${k}=0`);
    if (e.time) vars.push(`f${k}=ev[${K + k}]`, `T${k}=ev[${2 * K + k}]`);
    e.assignments.forEach((_, m) => vars.push(`v${k}_${m}=0`));
  });
  vars.push(`tev=ev[${3 * K}]`, `tevStrict=ev[${3 * K + 1}]`);
  return `let ${vars.join(',')};`;
}

function storeEventStateJs(network: CompiledNetwork): string {
  const K = network.events.length;
  const stores = network.events.map((e, k) => `ev[${k}]=e${k};${e.time ? `ev[${K + k}]=f${k};ev[${2 * K + k}]=T${k};` : ''}`);
  return `${stores.join('')}ev[${3 * K}]=tev;ev[${3 * K + 1}]=tevStrict;`;
}

/** Sources of the three functions (see DynamicsVector), each a `"use strict"; return function ...` body. */
export function dynamicsVectorSources(network: CompiledNetwork, integerSpecies: boolean): { start: string; afterChange: string; fireTimeEvents: string } {
  const names = arrayDynamicsNames(integerSpecies);
  const hasEvents = network.events.length > 0;
  const start = [
    '"use strict";',
    'return function startDynamics(x, p, vol, c, a, ev) {',
    'const t=0;',
    initialExpressionsJs(network, names),
    rulesJs(network, names),
    hasEvents ? `${eventDeclarationsJs(network)}let tev=Infinity,tevStrict=0;` : '',
    hasEvents
      ? eventTimesJs(network, names) + initialEventsJs(network, names) + nextEventTimeJs(network) + storeEventStateJs(network)
      : 'ev[0]=Infinity;ev[1]=0;',
    '};',
  ];
  const afterChange = [
    '"use strict";',
    'return function afterChange(x, p, vol, c, a, t, ev) {',
    hasEvents ? loadEventStateJs(network) : '',
    rulesJs(network, names),
    hasEvents ? eventBlockJs(network, names) + storeEventStateJs(network) : '',
    '};',
  ];
  const fireTimeEvents = [
    '"use strict";',
    'return function fireTimeEvents(x, p, vol, c, a, ev) {',
    hasTimeEvents(network)
      ? `${loadEventStateJs(network)}const t=tev;${rulesJs(network, names)}${dueTimeEventsJs(network)}${eventBlockJs(network, names)}${nextEventTimeJs(network)}${storeEventStateJs(network)}`
      : '',
    '};',
  ];
  const join = (lines: string[]) => lines.filter((line) => line !== '').join('\n');
  return { start: join(start), afterChange: join(afterChange), fireTimeEvents: join(fireTimeEvents) };
}

/**
 * Compile the functions for `network`. The sources are generated from
 * validated ASTs: identifiers map to array slots and numbers are re-printed
 * by the emitter, so no user text is evaluated. Failures are thrown through
 * MODEL_FAILURES (failures.ts).
 */
export function compileDynamicsVector(network: CompiledNetwork, integerSpecies: boolean): DynamicsVector {
  const sources = dynamicsVectorSources(network, integerSpecies);
  const compile = (source: string) => new Function(FAIL_PARAMETER, source)(MODEL_FAILURES);
  return {
    start: compile(sources.start) as StartDynamicsFn,
    afterChange: compile(sources.afterChange) as AfterChangeFn,
    fireTimeEvents: compile(sources.fireTimeEvents) as FireTimeEventsFn,
    stateLength: eventStateLength(network),
    nextTimeSlot: 3 * network.events.length,
  };
}
