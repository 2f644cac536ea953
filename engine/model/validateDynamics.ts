import { ExpressionSyntaxError, type ValidationIssue } from '../errors/index.js';
import { identifiersOf, parseExpression, type ExprNode } from './expression/index.js';
import { timeTrigger } from './compile.js';
import type { ReactionNetwork } from './schema.js';

/**
 * Cross-reference checks for the discrete parts of a model: initial
 * expressions, assignment rules and events (validateModel calls this once
 * species, parameters and reactions are known to be well formed).
 */
export function dynamicsIssues(model: ReactionNetwork): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const species = new Set(model.species.map((s) => s.id));
  const parameters = new Set(model.parameters.map((p) => p.id));

  const parse = (text: string | number, path: string): ExprNode | null => {
    try {
      return parseExpression(String(text));
    } catch (error) {
      if (error instanceof ExpressionSyntaxError) {
        issues.push({ path, message: error.message });
        return null;
      }
      throw error;
    }
  };
  /** Check names in `text`; `allow` says which kinds may appear and is named in the message. */
  const check = (text: string | number, path: string, allow: { species: boolean; time: boolean }, expected: string): ExprNode | null => {
    const ast = parse(text, path);
    if (!ast) return null;
    for (const [name, position] of identifiersOf(ast)) {
      const ok = name === 'vol' || parameters.has(name) || (allow.species && species.has(name)) || (allow.time && name === 't');
      if (!ok) {
        const what = species.has(name) ? `species "${name}"` : name === 't' ? 'the time t' : `unknown name "${name}"`;
        issues.push({ path, message: `${what} at column ${position + 1} of "${text}" is not allowed here; expected ${expected}` });
      }
    }
    return ast;
  };

  model.species.forEach((s, i) => {
    if (typeof s.initial === 'string') check(s.initial, `species[${i}].initial`, { species: false, time: false }, 'an expression over parameters and vol');
  });

  const ruleTargets = new Map<string, number>();
  model.rules.forEach((rule, i) => {
    const at = `rules[${i}]`;
    if (!species.has(rule.variable) && !parameters.has(rule.variable)) {
      issues.push({ path: `${at}.variable`, message: `unknown variable "${rule.variable}"; expected a species or parameter` });
    }
    if (ruleTargets.has(rule.variable)) issues.push({ path: `${at}.variable`, message: `"${rule.variable}" already has a rule (rules[${ruleTargets.get(rule.variable)}])` });
    else ruleTargets.set(rule.variable, i);
    check(rule.expression, `${at}.expression`, { species: true, time: false }, 'species, parameters and vol (time-dependent rules are not supported)');
  });
  ruleCycleIssues(model, ruleTargets, issues);

  model.reactions.forEach((reaction, j) => {
    for (const side of ['reactants', 'products'] as const) {
      for (const name of Object.keys(reaction[side])) {
        const s = model.species.find((x) => x.id === name);
        if (ruleTargets.has(name) && !s?.boundary && (reaction.reactants[name] ?? 0) !== (reaction.products[name] ?? 0)) {
          issues.push({ path: `reactions[${j}].${side}.${name}`, message: `species "${name}" is set by rules[${ruleTargets.get(name)}] and cannot also be changed by a reaction (mark it "boundary": true)` });
        }
      }
    }
    if (reaction.rate !== undefined && typeof reaction.rate === 'string') {
      const ast = parse(reaction.rate, `reactions[${j}].rate`);
      for (const name of ast ? identifiersOf(ast).keys() : []) {
        if (ruleTargets.has(name)) issues.push({ path: `reactions[${j}].rate`, message: `"${name}" is set by a rule, so the rate would not be constant; write a "propensity" instead` });
      }
    }
  });

  const eventIds = new Map<string, number>();
  model.events.forEach((event, k) => {
    const at = `events[${k}]`;
    if (eventIds.has(event.id)) issues.push({ path: `${at}.id`, message: `duplicate event id "${event.id}" (already events[${eventIds.get(event.id)}])` });
    else eventIds.set(event.id, k);
    const trigger = check(event.trigger, `${at}.trigger`, { species: true, time: true }, 'species, parameters, vol and t');
    if (trigger && identifiersOf(trigger).has('t') && !timeTrigger(trigger)) {
      issues.push({ path: `${at}.trigger`, message: `a trigger that uses t must have the form "t >= expression" or "t > expression" over parameters, got "${event.trigger}"` });
    }
    const assignments = Object.entries(event.assignments);
    if (assignments.length === 0) issues.push({ path: `${at}.assignments`, message: 'expected at least one assignment' });
    for (const [name, text] of assignments) {
      const path = `${at}.assignments.${name}`;
      if (!species.has(name) && !parameters.has(name)) issues.push({ path, message: `unknown variable "${name}"; expected a species or parameter` });
      else if (ruleTargets.has(name)) issues.push({ path, message: `"${name}" is set by rules[${ruleTargets.get(name)}] and cannot be assigned by an event` });
      check(text, path, { species: true, time: true }, 'species, parameters, vol and t');
    }
  });
  return issues;
}

function ruleCycleIssues(model: ReactionNetwork, ruleTargets: Map<string, number>, issues: ValidationIssue[]): void {
  const reads = model.rules.map((rule) => {
    try {
      return [...identifiersOf(parseExpression(String(rule.expression))).keys()].filter((n) => ruleTargets.has(n));
    } catch {
      return [];
    }
  });
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (i: number, path: string[]): boolean => {
    if (state.get(i) === 'done') return false;
    if (state.get(i) === 'visiting') {
      issues.push({ path: `rules[${i}]`, message: `assignment rules form a cycle: ${[...path, model.rules[i].variable].join(' → ')}` });
      return true;
    }
    state.set(i, 'visiting');
    for (const name of reads[i]) if (visit(ruleTargets.get(name)!, [...path, model.rules[i].variable])) return true;
    state.set(i, 'done');
    return false;
  };
  model.rules.forEach((_, i) => visit(i, []));
}
