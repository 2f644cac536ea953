import type { ValidationIssue } from '../errors/index.js';
import { identifiersOf, type ExprNode } from './expression/index.js';
import { timeTrigger } from './compile.js';
import { atColumn, MAX_NAME_ISSUES, parseField, quoteExpression } from './expressionIssues.js';
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
  const boundary = new Set(model.species.filter((s) => s.boundary).map((s) => s.id));

  // Each expression field is parsed once: its tree is reused by the rule, cycle and trigger checks below.
  const trees = new Map<string, ExprNode | null>();
  const parse = (text: string | number, path: string): ExprNode | null => {
    if (!trees.has(path)) trees.set(path, parseField(text, path, issues));
    return trees.get(path)!;
  };
  /** Check names in `text`; `allow` says which kinds may appear and is named in the message. */
  const check = (text: string | number, path: string, allow: { species: boolean; time: boolean }, expected: string): ExprNode | null => {
    const ast = parse(text, path);
    if (!ast) return null;
    let refused = 0;
    for (const [name, position] of identifiersOf(ast)) {
      const ok = name === 'vol' || parameters.has(name) || (allow.species && species.has(name)) || (allow.time && name === 't');
      if (ok || ++refused > MAX_NAME_ISSUES) continue;
      const what = species.has(name) ? `species "${name}"` : name === 't' ? 'the time t' : `unknown name "${name}"`;
      issues.push({ path, message: `${what} ${atColumn(String(text), position)} is not allowed here; expected ${expected}` });
    }
    if (refused > MAX_NAME_ISSUES) issues.push({ path, message: `and ${refused - MAX_NAME_ISSUES} more names that are not allowed here` });
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
  ruleCycleIssues(model, ruleTargets, model.rules.map((_, i) => trees.get(`rules[${i}].expression`) ?? null), issues);

  model.reactions.forEach((reaction, j) => {
    for (const side of ['reactants', 'products'] as const) {
      for (const name of Object.keys(reaction[side])) {
        if (ruleTargets.has(name) && !boundary.has(name) && (reaction.reactants[name] ?? 0) !== (reaction.products[name] ?? 0)) {
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
      issues.push({ path: `${at}.trigger`, message: `a trigger that uses t must have the form "t >= expression" or "t > expression" over parameters, got ${quoteExpression(event.trigger, 0)}` });
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

/**
 * One issue per cycle of assignment rules, naming the rules around it. The
 * depth-first search keeps its own stack: a chain of 100,000 rules, each
 * reading the next, must not overflow the call stack.
 */
function ruleCycleIssues(model: ReactionNetwork, ruleTargets: Map<string, number>, trees: ReadonlyArray<ExprNode | null>, issues: ValidationIssue[]): void {
  const reads = trees.map((tree) => (tree ? [...identifiersOf(tree).keys()].filter((n) => ruleTargets.has(n)).map((n) => ruleTargets.get(n)!) : []));
  const state = new Map<number, 'visiting' | 'done'>();
  for (let root = 0; root < reads.length; root++) {
    if (state.has(root)) continue;
    const path: Array<{ rule: number; next: number }> = [{ rule: root, next: 0 }];
    state.set(root, 'visiting');
    while (path.length > 0) {
      const top = path[path.length - 1];
      if (top.next === reads[top.rule].length) {
        state.set(top.rule, 'done');
        path.pop();
        continue;
      }
      const read = reads[top.rule][top.next++];
      if (state.get(read) === 'done') continue;
      if (state.get(read) === undefined) {
        state.set(read, 'visiting');
        path.push({ rule: read, next: 0 });
        continue;
      }
      // `read` is on the path: the cycle runs from there to here and back.
      const around = [...path.slice(path.findIndex((p) => p.rule === read)).map((p) => model.rules[p.rule].variable), model.rules[read].variable];
      // A cycle through thousands of rules is named by its ends, so the message stays readable.
      const named = around.length <= 21 ? around : [...around.slice(0, 10), `… ${around.length - 20} more …`, ...around.slice(-10)];
      issues.push({ path: `rules[${read}]`, message: `assignment rules form a cycle: ${named.join(' → ')}` });
      for (const p of path) state.set(p.rule, 'done');
      break;
    }
  }
}
