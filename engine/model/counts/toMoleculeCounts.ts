/**
 * A model in the extended format (amounts, concentrations, compartments,
 * SBML semantics) → the legacy count model the exact SSA and tau-leaping run
 * (engine/model/compile.ts): no compartments, integer initial counts,
 * propensities in events per unit time over counts.
 *
 * Method (COPASI's particle-number view): count = amount × F with F the
 * molecules per substance unit (N_A × scale for moles, 1 for items). Each
 * species name in an expression is replaced by what it meant, over counts:
 * count / F for an amount, count / (F × size) for a concentration; kinetic
 * laws are multiplied by F_E, the molecules per unit of reaction extent
 * (reactionToCounts.ts); a rule or event that set an amount or concentration
 * sets F × amount or F × size × concentration. Compartment sizes become
 * constant parameters; initial assignments are evaluated at t = 0. What the
 * stochastic methods cannot mean is refused with every reason
 * (stochasticRefusals.ts); rounding of initial counts and the expected work
 * per trajectory are reported, never applied silently.
 */
import { ModelValidationError } from '../../errors/index.js';
import { beyondCounts } from '../countModel.js';
import { identifiersOf, parseExpression, type ExprNode } from '../expression/index.js';
import type { EventSpec, ParameterSpec, ReactionNetwork, ReactionSpec, RuleSpec, SpeciesSpec } from '../schema.js';
import { printExpression } from '../sbml/printExpression.js';
import { validateModel } from '../validate.js';
import { CountConversionError, type CountConversionProblem } from './CountConversionError.js';
import type { ConversionReport, ReactionConversion, RoundedCount, SpeciesConversion } from './conversionReport.js';
import { feasibility, MAX_EXPECTED_EVENTS } from './feasibility.js';
import type { NameKinds } from './massActionForm.js';
import { reactionToCounts, type CountContext } from './reactionToCounts.js';
import { StartValues } from './startValues.js';
import { stochasticRefusals } from './stochasticRefusals.js';
import { modelUnits } from './modelUnits.js';
import { binaryNode, nameNode, numberNode, scaled, substituteNames } from './substituteNames.js';

export interface CountConversionOptions {
  /**
   * The substance unit of every species and of reaction extents, overriding the model's: a unit ("mmol", "mole",
   * "item", "1e-9 mole") or molecules per unit (a number > 0).
   */
  substanceUnit?: string | number;
  /** End time for the feasibility estimate; default model.time.end. */
  endTime?: number;
  /** Expected reaction events per trajectory above which the report suggests tau-leaping or the ODE; default 1e8. */
  maxExpectedEvents?: number;
  /** Names the model in the error message (a file name). */
  source?: string;
  /**
   * 'refuse' (default): a rate rule is refused, as the exact SSA and tau-leaping have no continuous variables.
   * 'keep': rate rules stay in the count model, converted to count units (d count/dt = F × d amount/dt, or
   * F × size × d concentration/dt), for the hybrid method, which integrates them (engine/simulate/hybrid);
   * a species set by a rate rule keeps its real initial value (not rounded). The result is then not a count
   * model for compileNetwork; compile it with compileHybridModel.
   */
  rateRules?: 'refuse' | 'keep';
}

export interface CountConversion {
  model: ReactionNetwork;
  report: ConversionReport;
}

/** Relative change by rounding that the report lists (anything larger than floating-point dust). */
const ROUNDING_REPORTED = 1e-9;

/** The count model equivalent to `model`, with a report of what was converted; throws CountConversionError listing every reason it cannot be. */
export function toMoleculeCounts(model: ReactionNetwork, options: CountConversionOptions = {}): CountConversion {
  const keepRateRules = options.rateRules === 'keep';
  const problems = stochasticRefusals(model, { keepRateRules });
  const rateRuleTargets = new Set(keepRateRules ? model.rules.flatMap((r) => (r.type === 'rate' && r.variable !== undefined ? [r.variable] : [])) : []);
  const notes: string[] = [];
  const note = (text: string) => {
    if (!notes.includes(text)) notes.push(text);
  };
  const start = new StartValues(model);
  const species = new Map(model.species.map((s) => [s.id, s]));

  // Units: one F per species, and F_E for reaction extents.
  const { species: units, extent: extentUnit, notes: unitNotes } = modelUnits(model, options.substanceUnit);
  unitNotes.forEach(note);
  const factorOf = (id: string) => units.get(id)!.unit.moleculesPerUnit;

  // What changes in time besides species: rule and event targets. Everything else is a constant.
  const ruleTargets = new Set(model.rules.flatMap((r) => (r.variable !== undefined ? [r.variable] : [])));
  const variable = new Set([...ruleTargets, ...model.events.flatMap((e) => Object.keys(e.assignments))]);
  const kinds: NameKinds = {
    isSpecies: (name) => species.has(name) && !ruleTargets.has(name),
    isConstant: (name) => !species.has(name) && !variable.has(name) && name !== 't' && name !== 'time',
  };
  for (const id of [model.conversionFactor, ...model.species.map((s) => s.conversionFactor)]) {
    if (id !== undefined && variable.has(id))
      problems.push({
        element: 'parameter',
        id,
        reason: 'a conversion factor that rules or events change: the molecules a reaction event changes must be a fixed whole number',
      });
  }

  // A species name over counts: count / F for an amount, count / (F × size) for a concentration.
  const meaning = new Map<string, ExprNode>();
  for (const s of model.species) {
    const f = factorOf(s.id);
    let node: ExprNode = nameNode(s.id);
    if (f !== 1) node = binaryNode('/', node, numberNode(f));
    if (s.amountOnly === false) node = binaryNode('/', node, nameNode(s.compartment ?? 'vol'));
    if (node.type !== 'identifier') meaning.set(s.id, node);
  }
  const toCounts = (ast: ExprNode) => (meaning.size === 0 ? ast : substituteNames(ast, (name) => meaning.get(name)));
  /** count = F × amount = F × size × concentration: what a rule or event writing into species `s` now writes. */
  const countOfValue = (s: SpeciesSpec, value: ExprNode) =>
    scaled(factorOf(s.id), s.amountOnly === false ? binaryNode('*', nameNode(s.compartment ?? 'vol'), value) : value);

  const ctx: CountContext = {
    model,
    start,
    species,
    factorOf,
    extentFactor: extentUnit.moleculesPerUnit,
    kinds,
    toCounts,
    print: printExpression,
    reactionIds: new Set(model.reactions.map((r) => r.id)),
    problems,
  };

  // Species: initial counts rounded, every visible rounding reported.
  const speciesOut: SpeciesSpec[] = [];
  const conversions: SpeciesConversion[] = [];
  const rounded: RoundedCount[] = [];
  for (const s of model.species) {
    const amount = start.amount(s.id);
    const exact = amount * factorOf(s.id);
    // A species a rate rule sets is continuous in the hybrid method: it keeps its real value.
    const count = rateRuleTargets.has(s.id) ? exact : Math.round(exact);
    if (!Number.isFinite(exact) || exact < 0) {
      if (Number.isFinite(amount)) problems.push({ element: 'species', id: s.id, reason: `initial amount ${amount} is negative: a molecule count cannot be` });
      continue;
    }
    const changed = Math.abs(count - exact) > ROUNDING_REPORTED * Math.abs(exact);
    if (ruleTargets.has(s.id)) {
      if (changed && !isUnchangedByReactions(s)) {
        problems.push({
          element: 'rule',
          id: s.id,
          reason: `the assignment rule for ${s.id} sets it to ${exact} molecules at t = 0: a species the stochastic methods count must hold a whole number; mark ${s.id} a boundary species if it is an input, not a population, or use --method ode`,
        });
      }
    } else if (changed) rounded.push({ id: s.id, before: exact, after: count });
    const unit = units.get(s.id)!;
    conversions.push({
      id: s.id,
      unit: unit.unit.symbol,
      moleculesPerUnit: unit.unit.moleculesPerUnit,
      unitFrom: unit.from,
      amount,
      count,
      concentration: s.amountOnly === false,
    });
    speciesOut.push({ id: s.id, initial: count, ...(isUnchangedByReactions(s) ? { boundary: true } : {}), ...(s.name !== undefined ? { name: s.name } : {}) });
  }

  // Amounts far from whole molecules with F = 1 mean the unit was missing, not that the model has 0.00015 molecules.
  const lost = rounded.find((r) => units.get(r.id)!.unit.moleculesPerUnit === 1 && Math.abs(r.after - r.before) > 0.01 * r.before);
  if (lost) {
    note(
      `initial amounts are not whole numbers of molecules (${lost.id}: ${lost.before} → ${lost.after}) and were read as counts: ` +
        'if they are amounts of substance, give their unit (substanceUnit, e.g. "µmol") so they are converted',
    );
  }

  const reactions: ReactionSpec[] = [];
  const reactionConversions: ReactionConversion[] = [];
  for (const r of model.reactions) {
    const converted = reactionToCounts(r, ctx);
    if (!converted) continue;
    reactions.push(...converted.reactions);
    reactionConversions.push(converted.conversion);
  }

  const rules: RuleSpec[] = model.rules.flatMap((rule): RuleSpec[] => {
    if (rule.type === 'rate' && keepRateRules && rule.variable !== undefined) {
      // d(count)/dt = F × d(amount)/dt = F × size × d(concentration)/dt (the size is constant: stochasticRefusals refuses a changing one).
      const original = parseExpression(String(rule.expression));
      const target = species.get(rule.variable);
      const expression = target ? countOfValue(target, toCounts(original)) : toCounts(original);
      return [{ type: 'rate' as const, variable: rule.variable, expression: textOf(rule.expression, original, expression) }];
    }
    if (rule.type !== 'assignment' || rule.variable === undefined) return [];
    const original = parseExpression(String(rule.expression));
    const target = species.get(rule.variable);
    const expression = target ? countOfValue(target, toCounts(original)) : toCounts(original);
    return [{ type: 'assignment' as const, variable: rule.variable, expression: textOf(rule.expression, original, expression) }];
  });

  const events: EventSpec[] = model.events.map((e) => ({
    id: e.id,
    trigger: triggerOverCounts(e.trigger),
    assignments: Object.fromEntries(Object.entries(e.assignments).map(([v, text]) => [v, eventAssignment(e, v, text)])),
    initialValue: e.initialValue,
    persistent: true,
    useValuesFromTriggerTime: true,
    ...(e.name !== undefined ? { name: e.name } : {}),
  }));

  function triggerOverCounts(trigger: string): string {
    const original = parseExpression(trigger);
    return String(textOf(trigger, original, toCounts(original)));
  }

  /** An event assignment over counts; a constant one becomes the exact whole number, so the SSA's integer check never sees rounding dust. */
  function eventAssignment(e: EventSpec, v: string, text: string | number): string | number {
    const original = parseExpression(String(text));
    const ast = toCounts(original);
    const target = species.get(v);
    if (!target) return textOf(text, original, ast);
    const expression = countOfValue(target, ast);
    const names = [...identifiersOf(expression).keys()];
    if (names.every((name) => kinds.isConstant(name))) {
      const value = start.evaluate(expression);
      const whole = Math.round(value);
      if (!(value >= 0) || Math.abs(value - whole) > ROUNDING_REPORTED * Math.abs(value)) {
        problems.push({
          element: 'event',
          id: e.id,
          reason: `it sets ${v} to ${value} molecules: a molecule count must be a non-negative whole number; use --method ode`,
        });
        return text;
      }
      return whole;
    }
    if (expression !== original)
      note(
        `event ${e.id} sets ${v} from the state (${printExpression(expression)} molecules): the stochastic methods stop with an error if that is not a whole number when it fires`,
      );
    return textOf(text, original, expression);
  }

  const parameters: ParameterSpec[] = [
    ...model.parameters.map((p) => {
      const value = start.hasInitialAssignment(p.id) ? start.read(p.id) : p.value;
      return { ...p, value: Number.isFinite(value) ? value : p.value };
    }),
    ...model.compartments.map((c) => ({
      id: c.id,
      value: start.read(c.id),
      constant: !variable.has(c.id),
      ...(c.units !== undefined ? { units: c.units } : {}),
      ...(c.name !== undefined ? { name: `compartment ${c.name}` } : { name: `size of compartment ${c.id}` }),
    })),
  ];

  problems.push(...start.problems);
  if (problems.length > 0) throw new CountConversionError(dedupe(problems), options.source);

  const { substance: _substance, ...otherUnits } = model.units ?? {};
  const countModel = {
    name: model.name,
    ...(model.description !== undefined ? { description: model.description } : {}),
    ...(model.source !== undefined ? { source: model.source } : {}),
    volume: model.volume,
    species: speciesOut,
    parameters,
    reactions,
    rules,
    events,
    units: { ...otherUnits, substance: 'item' },
    ...(model.time !== undefined ? { time: model.time } : {}),
  };
  let validated: ReactionNetwork;
  try {
    validated = validateModel(countModel, options.source);
  } catch (error) {
    if (!(error instanceof ModelValidationError)) throw error;
    throw new CountConversionError(
      error.issues.map((issue) => ({ element: 'model', id: issue.path, reason: `the count model is not valid: ${issue.message}` })),
      options.source,
    );
  }
  // The count simulators' own definition of what they run (countModel.ts): anything left is a gap in the checks above.
  // Kept rate rules, and the real initial values of the species they set, are meant to be there.
  const keptPaths = new Set([
    ...validated.rules.flatMap((r, i) => (r.type === 'rate' ? [`rules[${i}]`] : [])),
    ...validated.species.flatMap((s, i) => (rateRuleTargets.has(s.id) ? [`species[${i}].initial`] : [])),
  ]);
  const beyond = beyondCounts(validated).filter((issue) => !keptPaths.has(issue.path));
  if (beyond.length > 0) {
    throw new CountConversionError(
      beyond.map((issue) => ({ element: 'model', id: issue.path, reason: `the count model is still beyond counts: ${issue.message}` })),
      options.source,
    );
  }
  return {
    model: validated,
    report: {
      species: conversions,
      extent: { unit: extentUnit.symbol, moleculesPerUnit: extentUnit.moleculesPerUnit },
      rounded,
      reactions: reactionConversions,
      notes,
      feasibility: feasibility(validated, options.endTime, options.maxExpectedEvents ?? MAX_EXPECTED_EVENTS),
    },
  };
}

const isUnchangedByReactions = (s: SpeciesSpec) => s.boundary === true || s.constant === true;

/** The original text when conversion left the expression as it was (so count models stay exactly as written), else the printed tree. */
function textOf(text: string | number, original: ExprNode, converted: ExprNode): string | number {
  return converted === original ? text : printExpression(converted);
}

function dedupe(problems: CountConversionProblem[]): CountConversionProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.element}\u0000${p.id}\u0000${p.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
