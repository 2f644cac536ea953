import type { CompiledNetwork, VariableRef } from '../../model/compile.js';
import { emitJs, type ExprNode } from '../../model/expression/index.js';
import { failJs, finiteNonNegativeJs } from './failures.js';
import { propensityJs, rateConstantJs, type NameScheme } from './propensityJs.js';

/**
 * JS snippets for the discrete parts of a model, shared by the generated
 * simulators: initial expressions, assignment rules, events and the full
 * refresh of rate constants and propensities after an event. Snippets are
 * statement lists over the names of a NameScheme (locals in the SSA, array
 * slots in tau-leaping and the ODE); `declarations` declares the scratch
 * locals they use. Semantics are SBML's without delays: an event fires when
 * its trigger turns from false to true; all its assignments are evaluated
 * first, then applied; after any event, triggers are evaluated again so that
 * events can cascade (bounded, to catch a model that loops).
 */
export interface DynamicsNames extends NameScheme {
  /** Propensity of reaction j. */
  propensity(j: number): string;
  /** Name of the running total propensity, or null when the simulator keeps none. */
  total: string | null;
  /** Whether event assignments to species must be non-negative integers (stochastic methods). */
  integerSpecies: boolean;
}

const quote = JSON.stringify;

function resolver(network: CompiledNetwork, names: NameScheme) {
  const species = new Map(network.speciesIds.map((id, i) => [id, i]));
  const parameters = new Map(network.parameterIds.map((id, i) => [id, i]));
  return (name: string): string => {
    if (name === 'vol') return 'vol';
    if (name === 't') return 't';
    const s = species.get(name);
    if (s !== undefined) return names.species(s);
    const p = parameters.get(name);
    if (p !== undefined) return names.parameter(p);
    throw new Error(`unresolved name in expression: ${name}`);
  };
}

export function expressionJs(network: CompiledNetwork, names: NameScheme, ast: ExprNode): string {
  return emitJs(ast, resolver(network, names));
}

function variableJs(names: NameScheme, v: VariableRef): string {
  return v.kind === 'species' ? names.species(v.index) : names.parameter(v.index);
}

/** Evaluate initial expressions (SBML initial assignments) into their species, checking they are counts when required. */
export function initialExpressionsJs(network: CompiledNetwork, names: DynamicsNames): string {
  return network.initialExpressions
    .map((ast, i) => {
      if (!ast) return '';
      const target = names.species(i);
      const check = names.integerSpecies
        ? `if(!(${target}>=0&&${target}===Math.floor(${target})&&${target}<Infinity))${failJs('initial-value', `${quote(`species ${network.speciesIds[i]}: initial value is `)}+${target}+"; expected a non-negative integer count"`, `{species:${quote(network.speciesIds[i])},value:String(${target})}`)}`
        : `if(!(${target}<Infinity&&${target}>-Infinity))${failJs('initial-value', `${quote(`species ${network.speciesIds[i]}: initial value is `)}+${target}`, `{species:${quote(network.speciesIds[i])},value:String(${target})}`)}`;
      return `${target}=${expressionJs(network, names, ast)};${check}`;
    })
    .join('');
}

/** Re-evaluate the given rules (indices into network.rules, already in evaluation order). */
export function rulesJs(network: CompiledNetwork, names: NameScheme, which: readonly number[] = network.rules.map((_, i) => i)): string {
  return which.map((i) => `${variableJs(names, network.rules[i].variable)}=${expressionJs(network, names, network.rules[i].expression)};`).join('');
}

/** Compute every mass-action constant, with the finiteness check (needs `t` and FAIL in scope; see failures.ts). */
export function rateConstantsJs(network: CompiledNetwork, names: NameScheme): string {
  return network.reactions
    .map((r, j) => {
      if (!r.rate) return '';
      const c = names.constant(j);
      const negative = `${quote(`reaction ${r.id}: rate constant is `)}+${c}+"; expected a finite value >= 0"`;
      return `${c}=${rateConstantJs(network, r, names)};${finiteNonNegativeJs(c, 'rate constant', r.id, 't', negative)}`;
    })
    .join('');
}

/** Recompute rate constants, rules, every propensity and the total: after an event may have changed anything. */
export function refreshJs(network: CompiledNetwork, names: DynamicsNames): string {
  const propensities = network.reactions.map((_, j) => `${names.propensity(j)}=${propensityJs(network, j, names, 'stochastic')};`).join('');
  const total = names.total ? `${names.total}=${network.reactions.map((_, j) => names.propensity(j)).join('+') || '0'};` : '';
  return rateConstantsJs(network, names) + rulesJs(network, names) + propensities + total;
}

/** Scratch locals of the event block: trigger states e_k, pending flags q_k, assignment values v_k_m, and time-event bookkeeping. */
export function eventDeclarationsJs(network: CompiledNetwork): string {
  const locals = eventLocals(network);
  return locals.length === 0 ? '' : `let ${locals.map(([name, initial]) => `${name}=${initial}`).join(',')};`;
}

/** The event block's locals with their initial values (also the state a simulator keeps between calls, see directMethodSource). */
export function eventLocals(network: CompiledNetwork): Array<[name: string, initial: number]> {
  if (network.events.length === 0) return [];
  const vars: Array<[string, number]> = [
    ['evAny', 0],
    ['evRound', 0],
    ['evNow', 0],
  ];
  network.events.forEach((e, k) => {
    vars.push([`e${k}`, e.initialValue ? 1 : 0], [`q${k}`, 0]);
    if (e.time) vars.push([`T${k}`, 0], [`f${k}`, 0]);
    e.assignments.forEach((_, m) => vars.push([`v${k}_${m}`, 0]));
  });
  return vars;
}

/** Compute each time event's firing time T_k from parameters. */
export function eventTimesJs(network: CompiledNetwork, names: NameScheme): string {
  return network.events
    .map((e, k) =>
      e.time
        ? `T${k}=${expressionJs(network, names, e.time.at)};if(T${k}!==T${k})${failJs('event-time', quote(`event ${e.id}: trigger time is NaN`), `{event:${quote(e.id)}}`)}`
        : '',
    )
    .join('');
}

/**
 * At t = 0: time triggers already true count as fired (they fire now only if
 * initialValue is false); then the event block runs for state triggers.
 */
export function initialEventsJs(network: CompiledNetwork, names: DynamicsNames): string {
  const time = network.events
    .map((e, k) => (e.time ? `if(${e.time.strict ? `t>T${k}` : `t>=T${k}`}){f${k}=1;${e.initialValue ? '' : `q${k}=1;`}}` : ''))
    .join('');
  return time + eventBlockJs(network, names);
}

/**
 * The event block: evaluate state triggers, fire the events whose trigger
 * turned true (and time events marked pending), refresh, and repeat until
 * nothing fires. Time events must have set q_k before.
 */
export function eventBlockJs(network: CompiledNetwork, names: DynamicsNames): string {
  if (network.events.length === 0) return '';
  const events = network.events;
  const triggers = events
    .map((e, k) => (e.time ? '' : `evNow=(${expressionJs(network, names, e.trigger)})!==0?1:0;if(evNow&&!e${k})q${k}=1;e${k}=evNow;`))
    .join('');
  const any = `evAny=${events.map((_, k) => `q${k}`).join('|')};`;
  const evaluate = events
    .map((e, k) => `if(q${k}){${e.assignments.map((a, m) => `v${k}_${m}=${expressionJs(network, names, a.expression)};`).join('')}}`)
    .join('');
  const apply = events
    .map((e, k) => {
      const body = e.assignments
        .map((a, m) => {
          const target = variableJs(names, a.variable);
          const v = `v${k}_${m}`;
          const check =
            a.variable.kind === 'species' && names.integerSpecies
              ? `if(!(${v}>=0&&${v}===Math.floor(${v})&&${v}<Infinity))${failJs('event-assignment', `${quote(`event ${e.id}: assigns ${network.speciesIds[a.variable.index]} the value `)}+${v}+" at t="+t+"; expected a non-negative integer count"`, `{event:${quote(e.id)},value:String(${v}),time:t}`)}`
              : `if(!(${v}<Infinity&&${v}>-Infinity))${failJs('event-assignment', `${quote(`event ${e.id}: assigns a non-finite value `)}+${v}+" at t="+t`, `{event:${quote(e.id)},value:String(${v}),time:t}`)}`;
          return `${check}${target}=${v};`;
        })
        .join('');
      return `if(q${k}){q${k}=0;${body}}`;
    })
    .join('');
  return (
    `for(evRound=0;;){${triggers}${any}if(!evAny)break;` +
    `if(++evRound>1000)${failJs('event-loop', '"events keep triggering each other at t="+t+" (more than 1000 rounds)"', '{time:t}')}` +
    `${evaluate}${apply}${refreshJs(network, names)}}`
  );
}

/** Set `tev` to the earliest unfired time event (Infinity if none) and `tevStrict` to whether it fires just after tev. */
export function nextEventTimeJs(network: CompiledNetwork): string {
  const timed = network.events.map((e, k) => ({ e, k })).filter(({ e }) => e.time);
  if (timed.length === 0) return '';
  const pick = timed
    .map(({ e, k }) => `if(!f${k}){if(T${k}<tev){tev=T${k};tevStrict=${e.time!.strict ? 1 : 0};}else if(T${k}===tev&&${e.time!.strict ? 0 : 1})tevStrict=0;}`)
    .join('');
  return `tev=Infinity;tevStrict=0;${pick}`;
}

/** Mark every unfired time event due at tev as fired and pending. */
export function dueTimeEventsJs(network: CompiledNetwork): string {
  return network.events.map((e, k) => (e.time ? `if(!f${k}&&T${k}<=tev){f${k}=1;q${k}=1;}` : '')).join('');
}

export function hasTimeEvents(network: CompiledNetwork): boolean {
  return network.events.some((e) => e.time);
}
