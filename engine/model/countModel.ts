/**
 * Which models the count-based simulators (exact SSA, tau-leaping, the
 * classic rate-equation solver) can run as they are: molecule counts, one
 * implicit volume, reactions with integer stoichiometry, assignment rules
 * and undelayed events over the current state. Everything else in the model
 * format (compartments, concentrations, real amounts, rate and algebraic
 * rules, initial assignments, delayed or prioritised events, variable
 * stoichiometry, conversion factors, time in rules or rates, delay() and
 * rateOf()) needs the general deterministic simulator (simulate/general),
 * or for the stochastic methods a conversion to molecule counts first
 * (model/counts).
 */
import { ModelNotCountsError, type ValidationIssue } from '../errors/index.js';
import { identifiersOf, parseExpression, type ExprNode } from './expression/index.js';
import { foldExpression } from './expression/walk.js';
import type { ReactionNetwork } from './schema.js';
import { timeTrigger } from './timeTrigger.js';

/** Every reason `model` is not a count model, with the path of the field; empty for a count model. */
export function beyondCounts(model: ReactionNetwork): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  if (model.compartments.length > 0)
    add('compartments', `${model.compartments.length} compartment${model.compartments.length === 1 ? '' : 's'} (sizes and concentrations)`);
  if (model.species.length === 0) add('species', 'no species');
  if (model.reactions.length === 0) add('reactions', 'no reactions');
  if (model.conversionFactor !== undefined) add('conversionFactor', 'a conversion factor');
  /** `timeAllowed`: read once at a known instant (an event assignment at its firing), so t is fine there. */
  const usesTrajectory = (text: string | number, path: string, what: string, timeAllowed = false) => {
    if (typeof text === 'number') return;
    const ast = tryParse(text);
    if (!ast) return;
    if (!timeAllowed && identifiersOf(ast).has('t')) add(path, `${what} depends on the time t`);
    const calls = trajectoryCalls(ast);
    if (calls.length > 0) add(path, `${what} uses ${calls.join(' and ')}`);
  };
  model.species.forEach((s, i) => {
    const at = `species[${i}]`;
    if (typeof s.initial === 'number' && !(Number.isInteger(s.initial) && s.initial >= 0))
      add(`${at}.initial`, `initial amount ${s.initial} of "${s.id}" is not a whole number of molecules`);
    if (typeof s.initial === 'string') usesTrajectory(s.initial, `${at}.initial`, 'the initial amount');
    if (s.amountOnly === false) add(`${at}.amountOnly`, `"${s.id}" is a concentration`);
    if (s.conversionFactor !== undefined) add(`${at}.conversionFactor`, `"${s.id}" has a conversion factor`);
  });
  model.reactions.forEach((r, j) => {
    for (const side of ['reactants', 'products'] as const) {
      for (const [id, n] of Object.entries(r[side])) {
        if (typeof n === 'string') add(`reactions[${j}].${side}.${id}`, `variable stoichiometry "${n}"`);
        else if (!Number.isInteger(n)) add(`reactions[${j}].${side}.${id}`, `stoichiometry ${n} is not a whole number`);
      }
    }
    if (r.propensity !== undefined) usesTrajectory(r.propensity, `reactions[${j}].propensity`, 'the rate law');
    if (r.rate !== undefined) usesTrajectory(r.rate, `reactions[${j}].rate`, 'the rate');
  });
  model.rules.forEach((rule, i) => {
    const at = `rules[${i}]`;
    if (rule.type === 'rate') add(at, `a rate rule for "${rule.variable}" (continuous change)`);
    else if (rule.type === 'algebraic') add(at, 'an algebraic rule');
    else usesTrajectory(rule.expression, `${at}.expression`, `the rule for "${rule.variable}"`);
  });
  if (model.initialAssignments.length > 0)
    add('initialAssignments', `${model.initialAssignments.length} initial assignment${model.initialAssignments.length === 1 ? '' : 's'}`);
  model.events.forEach((e, k) => {
    const at = `events[${k}]`;
    if (e.delay !== undefined) add(`${at}.delay`, `event "${e.id}" has a delay`);
    if (e.priority !== undefined) add(`${at}.priority`, `event "${e.id}" has a priority`);
    if (!e.persistent) add(`${at}.persistent`, `event "${e.id}" is not persistent`);
    if (!e.useValuesFromTriggerTime) add(`${at}.useValuesFromTriggerTime`, `event "${e.id}" uses values from its execution time`);
    Object.entries(e.assignments).forEach(([variable, text]) => usesTrajectory(text, `${at}.assignments.${variable}`, `the assignment to "${variable}"`, true));
    const trigger = tryParse(e.trigger);
    // The count simulators time a trigger on t only in the form t >= T (or t > T): exactly at T.
    if (trigger && identifiersOf(trigger).has('t') && !timeTrigger(trigger))
      add(`${at}.trigger`, 'the trigger uses t other than as "t >= expression" or "t > expression"');
    if (trigger && trajectoryCalls(trigger).length > 0) add(`${at}.trigger`, `the trigger uses ${trajectoryCalls(trigger).join(' and ')}`);
  });
  return issues;
}

/** Throws ModelNotCountsError when a count-based simulator (`method`) cannot run `model` as it is. */
export function assertCountModel(model: ReactionNetwork, method: string): void {
  const issues = beyondCounts(model);
  if (issues.length > 0) throw new ModelNotCountsError(issues, method);
}

function tryParse(text: string): ExprNode | null {
  try {
    return parseExpression(text);
  } catch {
    return null;
  }
}

/** The names of delay() and rateOf() calls in an expression (each once). */
function trajectoryCalls(ast: ExprNode): string[] {
  const found = foldExpression<Set<string>>(ast, (node, children) => {
    const out = new Set<string>();
    for (const c of children) c.forEach((n) => out.add(n));
    if (node.type === 'call' && (node.fn === 'delay' || node.fn === 'rateOf')) out.add(`${node.fn}()`);
    return out;
  });
  return [...found];
}
