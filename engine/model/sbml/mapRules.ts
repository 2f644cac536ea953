/**
 * SBML rules → `rules`, initial assignments → `initialAssignments`.
 *
 * Targets keep their SBML meaning (schema.ts): a rule or initial assignment
 * for a species with hasOnlySubstanceUnits false sets its concentration, for
 * a compartment its size, for a species reference its stoichiometry (the
 * parameter of that name). Math that is missing (SBML allows it) makes the
 * element have no effect: an assignment rule or initial assignment is left
 * out; a rate rule becomes rate 0, so the variable stays where it starts
 * and, as SBML requires of a rate-ruled variable, no reaction changes it.
 */
import type { InitialAssignmentSpec, RuleSpec } from '../schema.js';
import type { MappingContext, Where } from './mappingContext.js';
import { printExpression } from './printExpression.js';

/** The engine variable a rule, initial assignment or event assignment sets, or null (reported). */
export function targetOf(context: MappingContext, id: string, where: Where, what: string): string | null {
  const symbol = context.ns.symbols.get(id);
  switch (symbol?.kind) {
    case 'species':
    case 'parameter':
    case 'compartment':
    case 'speciesReference':
      return symbol.engineId;
    case 'reaction':
      context.report(where, `${what} to reaction "${id}": a reaction is not a variable`, 'sbml');
      return null;
    default:
      context.report(where, `${what} to unknown variable "${id}"`, 'sbml');
      return null;
  }
}

export function mapRules(context: MappingContext): RuleSpec[] {
  const rules: RuleSpec[] = [];
  for (let i = 0; i < context.model.getNumRules(); i++) {
    const rule = context.model.getRule(i);
    if (rule.isAlgebraic()) {
      const where = { element: 'algebraicRule', id: rule.getMetaId() || `#${i + 1}` };
      const expression = context.convert(rule, where, 'math');
      if (expression) rules.push({ type: 'algebraic', expression: printExpression(expression) });
      else context.warn(where, 'no math: the rule is left out');
      continue;
    }
    const variable = rule.getVariable();
    const type = rule.isRate() ? 'rate' : 'assignment';
    const where = { element: `${type}Rule`, id: variable };
    const target = targetOf(context, variable, where, `${type} rule`);
    const expression = context.convert(rule, where, 'math');
    if (!target) continue;
    if (expression) rules.push({ type, variable: target, expression: printExpression(expression) });
    else if (type === 'rate') {
      context.warn(where, 'no math: taken as rate 0 (the variable keeps its initial value)');
      rules.push({ type, variable: target, expression: 0 });
    } else context.warn(where, 'no math: the rule is left out');
  }
  return rules;
}

export function mapInitialAssignments(context: MappingContext): InitialAssignmentSpec[] {
  const assignments: InitialAssignmentSpec[] = [];
  for (let i = 0; i < context.model.getNumInitialAssignments(); i++) {
    const assignment = context.model.getInitialAssignment(i);
    const symbol = assignment.getSymbol();
    const where = { element: 'initialAssignment', id: symbol };
    const target = targetOf(context, symbol, where, 'initial assignment');
    const expression = context.convert(assignment, where, 'math');
    if (!target) continue;
    if (expression) assignments.push({ variable: target, expression: printExpression(expression) });
    else context.warn(where, 'no math: the initial assignment is left out');
  }
  return assignments;
}

/** SBML ids of everything an initial assignment, rule or event may set (to tell constant sizes and stoichiometries from variable ones). */
export function idsSetByMath(context: MappingContext): Set<string> {
  const ids = new Set<string>();
  const model = context.model;
  for (let i = 0; i < model.getNumInitialAssignments(); i++) ids.add(model.getInitialAssignment(i).getSymbol());
  for (let i = 0; i < model.getNumRules(); i++) if (!model.getRule(i).isAlgebraic()) ids.add(model.getRule(i).getVariable());
  for (let k = 0; k < model.getNumEvents(); k++) {
    const event = model.getEvent(k);
    for (let i = 0; i < event.getNumEventAssignments(); i++) ids.add(event.getEventAssignment(i).getVariable());
  }
  return ids;
}
