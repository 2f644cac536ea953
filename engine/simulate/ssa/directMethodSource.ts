import type { CompiledNetwork } from '../../model/compile.js';
import { LOCAL_NAMES, propensityJs } from '../codegen/propensityJs.js';
import {
  dueTimeEventsJs,
  eventBlockJs,
  eventDeclarationsJs,
  eventLocals,
  eventTimesJs,
  hasTimeEvents,
  initialEventsJs,
  initialExpressionsJs,
  nextEventTimeJs,
  rateConstantsJs,
  rulesJs,
  type DynamicsNames,
} from '../codegen/discreteDynamicsJs.js';
import { EXPONENTIAL_LOCALS_JS, exponentialJs, uniformJs, XOSHIRO_LOCALS_JS, XOSHIRO_STORE_JS } from '../codegen/xoshiroJs.js';
import { FAIL_PARAMETER, failJs, finiteNonNegativeJs } from '../codegen/failures.js';

/**
 * Source of a model-specific Gillespie direct method (Gillespie 1977,
 * "Exact stochastic simulation of coupled chemical reactions", J. Phys. Chem.
 * 81:2340, doi:10.1021/j100540a008).
 *
 * Why generate code: with species counts, propensities, rate constants and
 * the generator state all in function locals, V8 keeps the event loop in
 * registers; each reaction's branch updates its species and recomputes only
 * its dependents (Gibson & Bruck 2000, doi:10.1021/jp993732q) as straight-line
 * code. No allocation happens per event.
 *
 * The total propensity is updated incrementally after each event and
 * recomputed from scratch at every output time, which bounds round-off
 * drift, and whenever its sign or finiteness is in doubt; if round-off lets the
 * selection run past the last reaction, the last reaction with a positive
 * propensity fires (the sum is exact to within one ulp per term, so this
 * changes nothing measurable).
 *
 * `order` is the sequence in which the selection scans reactions; scanning
 * the most frequent first (Cao, Li & Petzold 2004, "Efficient formulation of
 * the stochastic simulation algorithm", doi:10.1063/1.1778376) shortens the
 * search and does not change the distribution of trajectories.
 *
 * Discrete dynamics stay exact: assignment rules are re-evaluated in the
 * branch of each reaction that changes what they read; a state-triggered
 * event can only turn true when a reaction fires, so triggers are checked
 * right after the reactions that can change them; a time event at T stops
 * the clock at T (the pending reaction time is discarded, which the memoryless
 * exponential allows), fires, and the next waiting time is drawn afresh.
 *
 * The waiting time is drawn by the ziggurat method (no logarithm in 99% of
 * events; see exponentialZiggurat). The generated factory takes the ziggurat
 * tables (ZX, ZF) and the failures (FAIL, codegen/failures.ts) and returns
 * two functions: start(x0, p, vol, rng, st) puts the state at t = 0 into the
 * Float64Array st (slots: stateLayout), and advance(st, vol, rng, grid, out,
 * maxEvents) runs from it for at most EVENTS_PER_CALL events or until an
 * output time is passed, and returns 1 once the grid is full; with
 * countFirings, a Float64Array `fired` follows and counts each reaction.
 * Between calls every local lives in st as an exact double, so splitting the
 * run into calls changes no trajectory (checked bit for bit against the
 * single-function form on every example and DSMTS model).
 *
 * Bounded work: a trajectory with more than maxEvents events throws
 * EVENT_BUDGET (one counter compare per event), and a propensity that is
 * Infinity or NaN throws RATE_NOT_FINITE naming its reaction. That check
 * costs one compare per event, on the total: an infinite total would make
 * every waiting time 0, so the clock would stop and the loop would spin.
 */
export function directMethodSource(network: CompiledNetwork, order: readonly number[], countFirings = false, eventsPerCall = EVENTS_PER_CALL): string {
  const reactions = network.reactions;
  const nR = reactions.length;
  const a = (j: number) => `a${j}`;
  const names: DynamicsNames = { ...LOCAL_NAMES, propensity: a, total: 'total', integerSpecies: true };
  const timed = hasTimeEvents(network);
  const state = stateLayout(network, timed);
  const load = `let ${state.map((name, i) => `${name}=st[${i}]${INTEGER_STATE.has(name) ? '|0' : ''}`).join(',')};`;
  const store = state.map((name, i) => `st[${i}]=${name};`).join('');
  // advance writes back only what it can change: without events or rules assigning parameters, parameters and rate constants are fixed.
  const fixed = (name: string) => /^[pc]\d+$/.test(name) && network.events.length === 0 && network.rules.every((r) => r.variable.kind !== 'parameter');
  const storeChanged = state.map((name, i) => (fixed(name) ? '' : `st[${i}]=${name};`)).join('');

  // start: the state at t = 0 (initial expressions, rules, constants, propensities, events at t = 0).
  const lines: string[] = ['"use strict";', 'function start(x0, p, vol, rng, st) {'];
  lines.push(`let ${network.speciesIds.map((_, i) => `s${i}=x0[${i}]`).join(',')};`);
  if (network.parameterIds.length > 0) lines.push(`let ${network.parameterIds.map((_, i) => `p${i}=p[${i}]`).join(',')};`);
  const constants = reactions.flatMap((r, j) => (r.rate ? [`c${j}=0`] : []));
  if (constants.length > 0) lines.push(`let ${constants.join(',')};`);
  lines.push('let t=0,g=0,events=0;');
  lines.push(initialExpressionsJs(network, names), rulesJs(network, names), rateConstantsJs(network, names));
  lines.push(`let ${reactions.map((_, j) => `${a(j)}=${propensityJs(network, j, LOCAL_NAMES, 'stochastic')}`).join(',')};`);
  lines.push(`let total=${balancedSum(nR, a)};`);
  lines.push(eventDeclarationsJs(network), eventTimesJs(network, names), initialEventsJs(network, names));
  if (timed) lines.push(`let tev=Infinity,tevStrict=0;${nextEventTimeJs(network)}`);
  lines.push(store, '}');

  // advance: events until the next output time is passed, or to the end of the grid.
  lines.push(`function advance(st, vol, rng, grid, out, maxEvents${countFirings ? ', fired' : ''}) {`);
  lines.push(load);
  lines.push(XOSHIRO_LOCALS_JS, EXPONENTIAL_LOCALS_JS);
  lines.push(`const nT=grid.length,g0=g,ecap=events+${Math.max(1, Math.floor(eventsPerCall)) || 1};let u=0,tn=0,chk=0;`);

  const record = network.speciesIds.map((_, s) => `out[g${s === 0 ? '' : `+${s}*nT`}]=s${s};`).join('');
  const custom = reactions.map((r, j) => (r.propensity ? j : -1)).filter((j) => j >= 0);
  const propensityCheck = (j: number) =>
    finiteNonNegativeJs(
      a(j),
      'propensity',
      reactions[j].id,
      't',
      `${JSON.stringify(`reaction ${reactions[j].id}: propensity is `)}+${a(j)}+" at t="+t+"; expected a finite value >= 0"`,
    );
  const customCheck = custom.map(propensityCheck).join('');
  // Names the reaction when the total is not finite; mass-action propensities only get there through huge counts or constants.
  const finiteCheck = reactions.map((_, j) => propensityCheck(j)).join('');

  lines.push('for(;;){');
  // Incremental updates can leave a total that should be 0 at ±1e-17: recompute before trusting its sign.
  // An infinite or NaN total (a propensity that is, or Inf - Inf after an update) is recomputed too, and refused.
  lines.push(
    `if(!(total>0&&total<Infinity)){total=${balancedSum(nR, a)};` +
      `if(!(total<Infinity&&total>-Infinity)){${finiteCheck}throw ${FAIL_PARAMETER}.total(total,t);}}`,
  );
  lines.push(exponentialJs('u'));
  lines.push('tn=total>0?t+u/total:(total===0?Infinity:NaN);');
  if (timed) {
    // A time event comes first: record up to it, stop the clock there, fire, and draw a new waiting time.
    lines.push(
      `if(tn>=tev){while(g<nT&&(grid[g]<tev||(tevStrict&&grid[g]===tev))){${record}g++;}if(g===nT)break;` +
        `t=tev;${dueTimeEventsJs(network)}${eventBlockJs(network, names)}${nextEventTimeJs(network)}continue;}`,
    );
  }
  lines.push(`if(grid[g]<tn){${customCheck}do{${record}g++;}while(g<nT&&grid[g]<tn);if(g===nT)break;total=${balancedSum(nR, a)};}`);
  // Only a negative or non-finite propensity gets here (a zero total ends the run above); name it if we can.
  lines.push(
    `if(!(total>0)){${customCheck}${failJs('negative-rate', '"total propensity is "+total+" at t="+t+"; a propensity is negative or not finite"', '{value:total,time:t}')}}`,
  );
  lines.push('t=tn;');
  lines.push(uniformJs('u'));
  lines.push('u*=total;');

  const fire = (j: number): string => {
    const r = reactions[j];
    const body: string[] = countFirings ? [`fired[${j}]++;`] : [];
    for (const { species, delta } of r.changes) body.push(delta === 1 ? `s${species}++;` : delta === -1 ? `s${species}--;` : `s${species}+=${delta};`);
    body.push(rulesJs(network, names, network.rulesAfter[j]));
    for (const k of network.dependents[j]) {
      body.push(`u=${propensityJs(network, k, LOCAL_NAMES, 'stochastic')};total+=u-${a(k)};${a(k)}=u;`);
    }
    if (network.eventsAfter[j].length > 0) body.push('chk=1;');
    return body.join('');
  };

  order.forEach((j, position) => {
    const test = position === 0 ? `if(u<${a(j)})` : `else if((u-=${a(order[position - 1])})<${a(j)})`;
    lines.push(`${test}{${fire(j)}}`);
  });
  // Round-off fallback: the last reaction in scan order with a positive propensity.
  // If none is positive the running total was pure round-off: recompute it and draw again.
  const fallback = [...order].reverse().map((j, i) => `${i === 0 ? '' : 'else '}if(${a(j)}>0){${fire(j)}}`);
  lines.push(`else{${fallback.join('')}else{total=${balancedSum(nR, a)};continue;}}`);
  if (network.events.some((e) => !e.time)) lines.push(`if(chk){chk=0;${eventBlockJs(network, names)}}`);
  lines.push(`if(++events>maxEvents)throw ${FAIL_PARAMETER}.budget("ssa",maxEvents,t,grid[nT-1]);`);
  // The call ends after the event that follows a recorded output time, or after EVENTS_PER_CALL events.
  lines.push('if(g!==g0||events>=ecap)break;');
  lines.push('}');
  // One exit, taken after every interval and at the end, so the optimised code never meets an exit it has no feedback for.
  lines.push(storeChanged, XOSHIRO_STORE_JS);
  lines.push('return g===nT?1:0;}');
  lines.push('return { start, advance };');
  return lines.filter((line) => line !== '').join('\n');
}

/**
 * Reaction events one call of `advance` fires at most. Why a cap: V8
 * optimises a function whose loop runs long within one call by on-stack
 * replacement (OSR), and a simulator left running its OSR code was 1.7 to 2.3
 * times slower (Vilar, DSMTS 00005; in one process in three to six, varying
 * with timing). With calls this short, no OSR code outlives the warm-up and
 * `advance` runs its ordinary optimised code: 18 of 18 processes were fast
 * with 64 against 4 of 6 with 256. A call costs a few dozen loads and stores,
 * within the noise against 64 events.
 */
export const EVENTS_PER_CALL = 64;

/** State slots whose values are small integers: loaded with |0 so the optimising compiler keeps them as int32. */
const INTEGER_STATE = new Set(['g', 'events']);

/** The slot of `events` in the state array (the generated functions read and write the layout of stateLayout). */
export function directMethodEventsSlot(network: CompiledNetwork): number {
  return stateLayout(network, hasTimeEvents(network)).indexOf('events');
}

/** Every local that outlives one call of `advance`, in the order of its slot in the state array. */
export function stateLayout(network: CompiledNetwork, timed = hasTimeEvents(network)): string[] {
  const names: string[] = ['t', 'g', 'events', 'total'];
  network.speciesIds.forEach((_, i) => names.push(`s${i}`));
  network.parameterIds.forEach((_, i) => names.push(`p${i}`));
  network.reactions.forEach((r, j) => {
    if (r.rate) names.push(`c${j}`);
    names.push(`a${j}`);
  });
  for (const [name] of eventLocals(network)) names.push(name);
  if (timed) names.push('tev', 'tevStrict');
  return names;
}

/** A pairwise sum expression; a balanced tree shortens the add dependency chain. */
function balancedSum(n: number, term: (i: number) => string, lo = 0, hi = n): string {
  if (hi - lo === 0) return '0';
  if (hi - lo === 1) return term(lo);
  const mid = (lo + hi) >> 1;
  return `(${balancedSum(n, term, lo, mid)}+${balancedSum(n, term, mid, hi)})`;
}
