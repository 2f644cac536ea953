import type { ValidationIssue } from '../errors/index.js';
import { forEachNode, identifiersOf, type ExprNode } from './expression/index.js';
import { atColumn, MAX_NAME_ISSUES, parseField, suggest } from './expressionIssues.js';
import type { ReactionNetwork } from './schema.js';

/**
 * Cross-reference checks for what changes a model besides its reactions:
 * initial expressions, rules (assignment, rate, algebraic), initial
 * assignments and events (validateModel calls this once species,
 * parameters, compartments and reactions are known to be well formed).
 * The SBML rules they follow: a variable has at most one rule; an
 * assignment rule and an initial assignment never target the same variable;
 * nothing changes a constant; a species set by a rule is not also changed
 * by reactions unless it is a boundary species; assignment rules form no
 * cycle; every algebraic rule has a variable of its own to determine.
 */
export function dynamicsIssues(model: ReactionNetwork): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const species = new Set(model.species.map((s) => s.id));
  const parameters = new Set(model.parameters.map((p) => p.id));
  const compartments = new Set(model.compartments.map((c) => c.id));
  const variables = new Set([...species, ...parameters, ...compartments]);
  const boundary = new Set(model.species.filter((s) => s.boundary).map((s) => s.id));
  /** Names nothing may change, with why (for messages). */
  const constant = new Map<string, string>();
  model.species.forEach((s) => s.constant && constant.set(s.id, `species "${s.id}" is constant`));
  model.parameters.forEach((p) => p.constant === true && constant.set(p.id, `parameter "${p.id}" is constant`));
  model.compartments.forEach((c) => c.constant && constant.set(c.id, `compartment "${c.id}" is constant (set "constant": false to let it change)`));

  // Each expression field is parsed once: its tree is reused by the rule, cycle and algebraic checks below.
  const trees = new Map<string, ExprNode | null>();
  const parse = (text: string | number, path: string): ExprNode | null => {
    if (!trees.has(path)) trees.set(path, parseField(text, path, issues));
    return trees.get(path)!;
  };
  /** Check that every name in `text` is a species, parameter, compartment, vol or t, and that delay()/rateOf() are well formed. */
  const check = (text: string | number, path: string): ExprNode | null => {
    const ast = parse(text, path);
    if (!ast) return null;
    let refused = 0;
    for (const [name, position] of identifiersOf(ast)) {
      if (name === 'vol' || name === 't' || variables.has(name) || ++refused > MAX_NAME_ISSUES) continue;
      issues.push({
        path,
        message: `unknown name "${name}" ${atColumn(String(text), position)}; expected a species, a parameter, a compartment, vol or t${suggest(name, variables)}`,
      });
    }
    if (refused > MAX_NAME_ISSUES) issues.push({ path, message: `and ${refused - MAX_NAME_ISSUES} more names that are not allowed here` });
    forEachNode(ast, (node) => {
      if (node.type !== 'call' || node.fn !== 'rateOf') return;
      const [arg] = node.args;
      if (arg?.type !== 'identifier' || !variables.has(arg.name)) {
        issues.push({ path, message: `rateOf() takes the name of a species, parameter or compartment ${atColumn(String(text), node.pos)}` });
      }
    });
    return ast;
  };
  /** The path of an unknown or constant target, or nothing when `name` may be changed. */
  const checkTarget = (name: string | undefined, path: string, changes: boolean): boolean => {
    if (name === undefined) return false;
    if (!variables.has(name)) {
      issues.push({ path, message: `unknown variable "${name}"; expected a species, a parameter or a compartment${suggest(name, variables)}` });
      return false;
    }
    if (changes && constant.has(name)) issues.push({ path, message: `${constant.get(name)}, so it cannot be changed by a rule or event` });
    return true;
  };

  model.species.forEach((s, i) => {
    if (typeof s.initial === 'string') check(s.initial, `species[${i}].initial`);
  });

  const ruleTargets = new Map<string, number>();
  model.rules.forEach((rule, i) => {
    const at = `rules[${i}]`;
    check(rule.expression, `${at}.expression`);
    if (rule.type === 'algebraic') {
      if (rule.variable !== undefined)
        issues.push({ path: `${at}.variable`, message: 'an algebraic rule has no variable (0 = expression determines one); remove "variable"' });
      return;
    }
    if (rule.variable === undefined) {
      issues.push({ path: at, message: `a${rule.type === 'assignment' ? 'n assignment' : ' rate'} rule needs a "variable"` });
      return;
    }
    if (!checkTarget(rule.variable, `${at}.variable`, true)) return;
    if (ruleTargets.has(rule.variable))
      issues.push({ path: `${at}.variable`, message: `"${rule.variable}" already has a rule (rules[${ruleTargets.get(rule.variable)}])` });
    else ruleTargets.set(rule.variable, i);
  });
  const assignmentRules = new Map([...ruleTargets].filter(([, i]) => model.rules[i].type === 'assignment'));
  ruleCycleIssues(
    model,
    assignmentRules,
    model.rules.map((_, i) => trees.get(`rules[${i}].expression`) ?? null),
    issues,
  );

  const initialTargets = new Map<string, number>();
  model.initialAssignments.forEach((assignment, i) => {
    const at = `initialAssignments[${i}]`;
    check(assignment.expression, `${at}.expression`);
    if (!checkTarget(assignment.variable, `${at}.variable`, false)) return;
    if (initialTargets.has(assignment.variable)) {
      issues.push({
        path: `${at}.variable`,
        message: `"${assignment.variable}" already has an initial assignment (initialAssignments[${initialTargets.get(assignment.variable)}])`,
      });
    } else initialTargets.set(assignment.variable, i);
    if (assignmentRules.has(assignment.variable)) {
      issues.push({
        path: `${at}.variable`,
        message: `"${assignment.variable}" is set at all times by rules[${assignmentRules.get(assignment.variable)}], so it cannot also have an initial assignment`,
      });
    }
  });

  /** Species a reaction changes: not boundary, on a side with a net change that may be non-zero. */
  const changedByReactions = new Set<string>();
  model.reactions.forEach((reaction, j) => {
    for (const side of ['reactants', 'products'] as const) {
      for (const name of Object.keys(reaction[side])) {
        if (boundary.has(name)) continue;
        const net = reaction.reactants[name] !== reaction.products[name];
        if (net) changedByReactions.add(name);
        if (net && ruleTargets.has(name)) {
          issues.push({
            path: `reactions[${j}].${side}.${name}`,
            message: `species "${name}" is set by rules[${ruleTargets.get(name)}] and cannot also be changed by a reaction (mark it "boundary": true)`,
          });
        } else if (net && constant.has(name)) {
          issues.push({
            path: `reactions[${j}].${side}.${name}`,
            message: `species "${name}" is constant and cannot be changed by a reaction (mark it "boundary": true)`,
          });
        }
      }
    }
    if (reaction.rate !== undefined && typeof reaction.rate === 'string') {
      const ast = parse(reaction.rate, `reactions[${j}].rate`);
      for (const name of ast ? identifiersOf(ast).keys() : []) {
        if (ruleTargets.has(name))
          issues.push({ path: `reactions[${j}].rate`, message: `"${name}" is set by a rule, so the rate would not be constant; write a "propensity" instead` });
      }
    }
  });

  const eventIds = new Map<string, number>();
  model.events.forEach((event, k) => {
    const at = `events[${k}]`;
    if (eventIds.has(event.id)) issues.push({ path: `${at}.id`, message: `duplicate event id "${event.id}" (already events[${eventIds.get(event.id)}])` });
    else eventIds.set(event.id, k);
    check(event.trigger, `${at}.trigger`);
    if (event.delay !== undefined) check(event.delay, `${at}.delay`);
    if (event.priority !== undefined) check(event.priority, `${at}.priority`);
    const assignments = Object.entries(event.assignments);
    if (assignments.length === 0) issues.push({ path: `${at}.assignments`, message: 'expected at least one assignment' });
    for (const [name, text] of assignments) {
      const path = `${at}.assignments.${name}`;
      if (checkTarget(name, path, true) && assignmentRules.has(name)) {
        issues.push({ path, message: `"${name}" is set by rules[${assignmentRules.get(name)}] and cannot be assigned by an event` });
      }
      check(text, path);
    }
  });

  algebraicIssues(model, trees, { ruleTargets, changedByReactions, constant }, issues);
  return issues;
}

/**
 * Every algebraic rule must determine a variable of its own (SBML: the
 * model is not overdetermined). A candidate for rule i is a name in its
 * expression that nothing else determines: not constant, without a rule,
 * not changed by reactions. Rules are matched to distinct candidates by
 * augmenting paths (Kuhn's algorithm for bipartite matching); a rule left
 * without one is reported with its candidates.
 */
function algebraicIssues(
  model: ReactionNetwork,
  trees: ReadonlyMap<string, ExprNode | null>,
  determined: { ruleTargets: ReadonlyMap<string, number>; changedByReactions: ReadonlySet<string>; constant: ReadonlyMap<string, string> },
  issues: ValidationIssue[],
): void {
  const algebraic = model.rules.flatMap((rule, i) => (rule.type === 'algebraic' ? [i] : []));
  if (algebraic.length === 0) return;
  const defined = new Set([...model.species.map((s) => s.id), ...model.parameters.map((p) => p.id), ...model.compartments.map((c) => c.id)]);
  const free = (name: string) =>
    defined.has(name) && !determined.constant.has(name) && !determined.ruleTargets.has(name) && !determined.changedByReactions.has(name);
  const candidates = new Map<number, string[]>();
  for (const i of algebraic) {
    const tree = trees.get(`rules[${i}].expression`);
    if (tree === null) continue; // a syntax error, already reported
    candidates.set(i, tree ? [...identifiersOf(tree).keys()].filter(free) : []);
  }
  const owner = new Map<string, number>();
  const assign = (rule: number, seen: Set<string>): boolean => {
    for (const name of candidates.get(rule) ?? []) {
      if (seen.has(name)) continue;
      seen.add(name);
      const other = owner.get(name);
      if (other === undefined || assign(other, seen)) {
        owner.set(name, rule);
        return true;
      }
    }
    return false;
  };
  for (const [rule, names] of candidates) {
    if (assign(rule, new Set())) continue;
    const path = `rules[${rule}]`;
    if (names.length === 0) {
      issues.push({
        path,
        message:
          'the algebraic rule determines no variable: every name in it is constant, set by a rule or changed by reactions (a variable it determines must be none of these)',
      });
    } else {
      const taken = names.map((n) => `"${n}" (rules[${owner.get(n)}])`).join(', ');
      issues.push({
        path,
        message: `the algebraic rule has no variable left to determine: ${taken} ${names.length === 1 ? 'is' : 'are'} already determined by another algebraic rule`,
      });
    }
  }
}

/**
 * One issue per cycle of assignment rules, naming the rules around it. The
 * depth-first search keeps its own stack: a chain of 100,000 rules, each
 * reading the next, must not overflow the call stack.
 */
function ruleCycleIssues(model: ReactionNetwork, ruleTargets: Map<string, number>, trees: ReadonlyArray<ExprNode | null>, issues: ValidationIssue[]): void {
  const reads = trees.map((tree, i) =>
    tree && model.rules[i].type === 'assignment' && model.rules[i].variable !== undefined && ruleTargets.get(model.rules[i].variable!) === i
      ? [...identifiersOf(tree).keys()].filter((n) => ruleTargets.has(n)).map((n) => ruleTargets.get(n)!)
      : [],
  );
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
      const around = [...path.slice(path.findIndex((p) => p.rule === read)).map((p) => model.rules[p.rule].variable!), model.rules[read].variable!];
      // A cycle through thousands of rules is named by its ends, so the message stays readable.
      const named = around.length <= 21 ? around : [...around.slice(0, 10), `… ${around.length - 20} more …`, ...around.slice(-10)];
      issues.push({ path: `rules[${read}]`, message: `assignment rules form a cycle: ${named.join(' → ')}` });
      for (const p of path) state.set(p.rule, 'done');
      break;
    }
  }
}
