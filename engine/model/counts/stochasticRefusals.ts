/**
 * The constructs of the extended model format that the exact SSA and
 * tau-leaping cannot give a meaning to, each with the reason and what to
 * use instead. These are checked before any conversion so that one refusal
 * lists them all.
 */
import { timeTrigger } from '../compile.js';
import { identifiersOf, parseExpression, type ExprNode } from '../expression/index.js';
import type { ReactionNetwork } from '../schema.js';
import type { CountConversionProblem } from './CountConversionError.js';
import { callsFunction } from './substituteNames.js';

const USE_ODE = 'use --method ode';

const readsTime = (ast: ExprNode) => {
  const names = identifiersOf(ast);
  return names.has('t') || names.has('time');
};

/** Every expression of the model with where it is, for the checks that look inside all of them. */
function* expressionsOf(model: ReactionNetwork): Generator<{ element: CountConversionProblem['element']; id: string; where: string; text: string | number }> {
  for (const s of model.species) if (typeof s.initial === 'string') yield { element: 'species', id: s.id, where: 'initial amount', text: s.initial };
  for (const r of model.reactions) {
    if (r.rate !== undefined) yield { element: 'reaction', id: r.id, where: 'rate', text: r.rate };
    if (r.propensity !== undefined) yield { element: 'reaction', id: r.id, where: 'kinetic law', text: r.propensity };
    for (const side of ['reactants', 'products'] as const) {
      for (const [s, c] of Object.entries(r[side])) if (typeof c === 'string') yield { element: 'reaction', id: r.id, where: `stoichiometry of ${s}`, text: c };
    }
  }
  for (const [i, rule] of model.rules.entries()) yield { element: 'rule', id: rule.variable ?? `rules[${i}]`, where: 'expression', text: rule.expression };
  for (const a of model.initialAssignments) yield { element: 'initialAssignment', id: a.variable, where: 'expression', text: a.expression };
  for (const e of model.events) {
    yield { element: 'event', id: e.id, where: 'trigger', text: e.trigger };
    for (const [v, text] of Object.entries(e.assignments)) yield { element: 'event', id: e.id, where: `assignment to ${v}`, text };
  }
}

export interface StochasticRefusalOptions {
  /** Let rate rules through (the hybrid method integrates them continuously); default false: refuse them. */
  keepRateRules?: boolean;
}

/** Every construct the stochastic methods refuse, with its element, id and reason; empty when there is none. */
export function stochasticRefusals(model: ReactionNetwork, options: StochasticRefusalOptions = {}): CountConversionProblem[] {
  const problems: CountConversionProblem[] = [];
  const refuse = (element: CountConversionProblem['element'], id: string, reason: string) => problems.push({ element, id, reason });

  for (const x of expressionsOf(model)) {
    if (typeof x.text === 'number') continue;
    const ast = parseExpression(x.text);
    if (callsFunction(ast, 'delay')) refuse(x.element, x.id, `delay() in its ${x.where}: the stochastic methods keep no history of past values; ${USE_ODE}`);
    if (callsFunction(ast, 'rateOf')) refuse(x.element, x.id, `rateOf() in its ${x.where}: a count jumps, it has no time derivative; ${USE_ODE}`);
  }

  for (const [i, rule] of model.rules.entries()) {
    if (rule.type === 'rate') {
      if (options.keepRateRules) continue;
      refuse(
        'rule',
        rule.variable ?? `rules[${i}]`,
        `rate rule on ${rule.variable}: the exact SSA has no continuous variables; use --method hybrid (continuous variables with stochastic reactions) or --method ode`,
      );
    } else if (rule.type === 'algebraic') {
      refuse('rule', `rules[${i}]`, `algebraic rule 0 = ${rule.expression}: the stochastic methods cannot solve algebraic constraints; ${USE_ODE}`);
    } else if (typeof rule.expression === 'string' && readsTime(parseExpression(rule.expression))) {
      refuse(
        'rule',
        rule.variable!,
        `assignment rule for ${rule.variable} depends on the time t: the SSA evaluates rules only when a reaction fires, so the value would be stale in between; ${USE_ODE}`,
      );
    }
  }

  for (const r of model.reactions) {
    const law = r.propensity ?? r.rate;
    if (typeof law === 'string' && readsTime(parseExpression(law))) {
      refuse(
        'reaction',
        r.id,
        `its kinetic law depends on the time t: the exact SSA and tau-leaping assume propensities constant between reactions; ${USE_ODE}`,
      );
    }
  }

  for (const e of model.events) {
    if (e.delay !== undefined)
      refuse('event', e.id, `a delay (${e.delay}): the stochastic methods execute events when they trigger, without delayed executions; ${USE_ODE}`);
    if (e.priority !== undefined)
      refuse('event', e.id, `a priority (${e.priority}): the stochastic methods execute simultaneous events in document order only; ${USE_ODE}`);
    // Without delays these two only matter when events execute together: SBML then computes a later event's values
    // after an earlier one executed, and cancels one whose trigger turned false; the count simulators evaluate every
    // simultaneous event at trigger time and cancel none.
    if (model.events.length > 1 && !e.useValuesFromTriggerTime) {
      refuse(
        'event',
        e.id,
        `it uses values from its execution time: with other events in the model that differs from the stochastic methods, which evaluate events that fire together at trigger time; ${USE_ODE}`,
      );
    }
    if (model.events.length > 1 && !e.persistent) {
      refuse(
        'event',
        e.id,
        `it is not persistent: with other events in the model, one executing first could cancel it, which the stochastic methods do not do; ${USE_ODE}`,
      );
    }
    for (const [v, text] of Object.entries(e.assignments)) {
      if (typeof text === 'string' && readsTime(parseExpression(text))) {
        refuse(
          'event',
          e.id,
          `its assignment to ${v} depends on the time t: the stochastic methods evaluate event assignments over the state only; ${USE_ODE}`,
        );
      }
    }
    const trigger = parseExpression(e.trigger);
    if (readsTime(trigger) && timeTrigger(trigger) === null) {
      refuse(
        'event',
        e.id,
        `its trigger "${e.trigger}" mixes the time t with other conditions: the stochastic methods need a time trigger of the form "t >= expression"; ${USE_ODE}`,
      );
    }
  }

  if (model.reactions.length === 0)
    refuse('model', model.name, `it has no reactions: nothing happens at random, so there is nothing for the stochastic methods to simulate; ${USE_ODE}`);

  // A compartment whose size changes changes the concentration of every species in it without any reaction.
  const changed = new Map<string, string>();
  // Rate rules are refused above already, unless kept.
  for (const rule of model.rules) if (rule.variable !== undefined && rule.type === 'assignment') changed.set(rule.variable, 'an assignment rule');
  if (options.keepRateRules) for (const rule of model.rules) if (rule.variable !== undefined && rule.type === 'rate') changed.set(rule.variable, 'a rate rule');
  for (const e of model.events) for (const v of Object.keys(e.assignments)) if (!changed.has(v)) changed.set(v, `event ${e.id}`);
  for (const c of model.compartments) {
    const how = changed.get(c.id);
    const concentrations = model.species.filter((s) => s.compartment === c.id && s.amountOnly === false).map((s) => s.id);
    if (how !== undefined && concentrations.length > 0) {
      refuse(
        'compartment',
        c.id,
        `its size is changed by ${how}, which changes the concentrations of ${concentrations.join(', ')} without a reaction; counts cannot follow that; ${USE_ODE}`,
      );
    }
    if (c.dimensions === 0 && concentrations.length > 0) {
      refuse('compartment', c.id, `it has no size (0 dimensions) but holds species read as concentrations (${concentrations.join(', ')})`);
    }
  }
  return problems;
}
