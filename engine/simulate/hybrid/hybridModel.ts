import { compileNetwork, type CompiledNetwork, type VariableRef } from '../../model/compile.js';
import { identifiersOf, parseExpression, type ExprNode } from '../../model/expression/index.js';
import type { ReactionNetwork } from '../../model/schema.js';
import { ModelNotCountsError } from '../../errors/index.js';

/** d(variable)/dt = expression: a rate rule over counts, integrated continuously by the hybrid method. */
export interface HybridRateRule {
  readonly variable: VariableRef;
  /** Over species (counts), parameters, `vol` and the time `t`. */
  readonly expression: ExprNode;
}

/** A count network and the rate rules the count simulators cannot run, which the hybrid method integrates. */
export interface HybridNetwork {
  readonly network: CompiledNetwork;
  readonly rateRules: readonly HybridRateRule[];
}

/**
 * Compile a validated count model that may carry rate rules (e.g. from
 * toMoleculeCounts(model, { rateRules: 'keep' })): the rate rules are taken
 * out, the rest is compiled by compileNetwork (which refuses anything else
 * beyond counts, with every reason), and the rules are resolved against its
 * names. A rate-rule variable keeps its place: a parameter stays a parameter
 * (its value is the initial value), a species stays a species (reactions
 * must not change it, as SBML requires; it is then continuous and never
 * rounded).
 */
export function compileHybridModel(model: ReactionNetwork): HybridNetwork {
  const rates = model.rules.filter((r) => r.type === 'rate');
  // A species a rate rule sets may start at a real value: compile it as 0 and put the value back after.
  const continuous = new Set(rates.map((r) => r.variable));
  const realStart = model.species.filter((s) => continuous.has(s.id) && typeof s.initial === 'number' && !Number.isInteger(s.initial));
  const countModel = {
    ...model,
    species: model.species.map((s) => (realStart.includes(s) ? { ...s, initial: 0 } : s)),
    rules: model.rules.filter((r) => r.type !== 'rate'),
  };
  const compiled = compileNetwork(countModel, 'hybrid');
  const initialState = Float64Array.from(compiled.initialState);
  for (const s of realStart) initialState[compiled.speciesIds.indexOf(s.id)] = s.initial as number;
  const network: CompiledNetwork = { ...compiled, initialState };
  const species = new Map(network.speciesIds.map((id, i) => [id, i]));
  const parameters = new Map(network.parameterIds.map((id, i) => [id, i]));
  const issues: { path: string; message: string }[] = [];
  const rateRules: HybridRateRule[] = [];
  for (const rule of rates) {
    const path = `rules[${model.rules.indexOf(rule)}]`;
    const id = rule.variable!;
    const variable: VariableRef | null = species.has(id)
      ? { kind: 'species', index: species.get(id)! }
      : parameters.has(id)
        ? { kind: 'parameter', index: parameters.get(id)! }
        : null;
    if (!variable) {
      issues.push({ path, message: `the rate rule's variable "${id}" is neither a species nor a parameter` });
      continue;
    }
    if (network.rules.some((r) => r.variable.kind === variable.kind && r.variable.index === variable.index))
      issues.push({ path, message: `"${id}" has both a rate rule and an assignment rule` });
    if (variable.kind === 'species' && network.reactions.some((r) => r.changes.some((c) => c.species === variable.index))) {
      issues.push({ path, message: `"${id}" has a rate rule and reactions change it: mark it a boundary species (SBML forbids both)` });
    }
    const expression = parseExpression(String(rule.expression));
    for (const name of identifiersOf(expression).keys()) {
      if (!species.has(name) && !parameters.has(name) && name !== 't' && name !== 'time' && name !== 'vol')
        issues.push({ path, message: `the rate rule for "${id}" reads the unknown name "${name}"` });
    }
    rateRules.push({ variable, expression });
  }
  if (issues.length > 0) throw new ModelNotCountsError(issues, 'hybrid');
  return { network, rateRules };
}
