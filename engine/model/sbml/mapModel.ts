/**
 * An SBML model (read by libSBML) → the engine's reaction-network JSON.
 *
 * Mapping (see namespace.ts for names, amounts and concentrations):
 * - compartments → `volume` (one compartment) or size parameters (several);
 * - species → `species` with `initial` a count (initialAmount, or
 *   initialConcentration × size) or an initial assignment over parameters,
 *   `boundary` for boundaryCondition or constant species;
 * - parameters, and local parameters renamed `<reaction>_<id>` → `parameters`;
 * - reactions → `reactions` with integer stoichiometry; the kinetic law, a
 *   rate in amount per time, is the `propensity` as written;
 * - function definitions → inlined; initial assignments → `initial`
 *   expressions or values at t = 0; assignment rules → `rules`;
 * - events → `events`, with `initialValue`. Without delays an event executes
 *   when it triggers, so persistence and useValuesFromTriggerTime cannot
 *   change the result (up to the order of simultaneous events, which SBML
 *   leaves open without priorities); they are accepted.
 * Everything else is a problem (unsupported, with its SBML id) or a warning.
 */
import type { SbmlProblem } from '../../errors/index.js';
import { identifiersOf, type ExprNode } from '../expression/index.js';
import type { EventSpec, ParameterSpec, ReactionNetworkInput, ReactionSpec, RuleSpec, SpeciesSpec } from '../schema.js';
import type { DocumentAttributes } from './documentChecks.js';
import { InitialValues } from './initialValues.js';
import type { AstNode, FunctionDefinition, LibsbmlModule, MathHolder, Reaction, SbmlModel, SpeciesReference } from './libsbml.js';
import { MathConverter, type MathScope } from './mathml.js';
import { SbmlNamespace, type SpeciesSymbol } from './namespace.js';
import { printExpression } from './printExpression.js';
import { collectDocumentWarnings, notesText, type SbmlWarning } from './warnings.js';

export interface MappedModel {
  network: ReactionNetworkInput;
  warnings: SbmlWarning[];
  problems: SbmlProblem[];
}

type Where = { element: string; id: string };

export function mapModel(module: LibsbmlModule, model: SbmlModel, attributes: DocumentAttributes, level: number): MappedModel {
  return new ModelMapper(module, model, attributes, level).run();
}

class ModelMapper {
  readonly problems: SbmlProblem[] = [];
  readonly warnings: SbmlWarning[] = [];
  private readonly ns: SbmlNamespace;
  private readonly math: MathConverter;
  /** Engine names set by assignment rules / initial assignments, with their expression (amount-adjusted). */
  private readonly ruled = new Map<string, ExprNode>();
  private readonly assigned = new Map<string, ExprNode>();

  constructor(
    module: LibsbmlModule,
    private readonly model: SbmlModel,
    private readonly attributes: DocumentAttributes,
    private readonly level: number,
  ) {
    this.ns = new SbmlNamespace(model);
    const functions = new Map<string, FunctionDefinition>();
    for (let i = 0; i < model.getNumFunctionDefinitions(); i++) functions.set(model.getFunctionDefinition(i).getId(), model.getFunctionDefinition(i));
    this.math = new MathConverter(module, functions);
  }

  run(): MappedModel {
    this.warnings.push(...collectDocumentWarnings(this.model, this.attributes, this.ns, this.problems));
    const rules = this.mapRules();
    this.mapInitialAssignments();
    const initial = this.initialValues();
    const species = this.ns.species.map((s) => this.mapSpecies(s, initial));
    const parameters = this.mapParameters(initial);
    let volume = 1;
    if (this.ns.singleCompartment) volume = this.checkSize(this.ns.compartments[0].sbml.getId(), initial.valueOf('vol')) ?? 1;
    else this.ns.compartments.forEach((c) => c.sbml.getSpatialDimensions() !== 0 && this.checkSize(c.sbml.getId(), initial.valueOf(c.engineId)));
    for (const message of initial.problems) this.problems.push({ kind: 'sbml', message });
    const reactions = Array.from({ length: this.model.getNumReactions() }, (_, j) => this.mapReaction(this.model.getReaction(j))).filter((r): r is ReactionSpec => r !== null);
    const events = Array.from({ length: this.model.getNumEvents() }, (_, k) => this.mapEvent(k)).filter((e): e is EventSpec => e !== null);
    const name = this.model.getName().trim() || this.model.getId() || 'model';
    const network: ReactionNetworkInput = { name, volume, species, parameters, reactions, rules, events };
    const notes = this.model.isSetNotes() ? notesText(this.model.getNotesString()) : '';
    if (notes) network.description = notes;
    return { network, warnings: this.warnings, problems: this.problems };
  }

  private report(where: Where, message: string, kind: 'sbml' | 'unsupported' = 'unsupported'): void {
    this.problems.push({ kind, element: where.element, id: where.id, message });
  }

  /** Convert the math of `holder`; `what` names it in messages ("kinetic law", "trigger"). */
  private convert(holder: MathHolder, where: Where, what: string, time: MathScope['time'], reaction?: string): ExprNode | null {
    if (!holder.isSetMath()) {
      this.report(where, `${what} has no math`, 'sbml');
      return null;
    }
    return this.convertAst(holder.getMath(), where, what, time, reaction);
  }

  private convertAst(ast: AstNode, where: Where, what: string, time: MathScope['time'], reaction?: string): ExprNode {
    return this.math.convert(ast, {
      resolve: (name) => this.ns.resolve(name, reaction),
      time,
      report: (message, kind) => this.report(where, `${what}: ${message}`, kind),
    });
  }

  /** The engine variable an SBML rule, initial assignment or event assigns, or null (reported). */
  private target(id: string, where: Where, what: string): { engineId: string; species?: SpeciesSymbol } | null {
    const symbol = this.ns.symbols.get(id);
    if (symbol?.kind === 'species') return { engineId: symbol.engineId, species: symbol };
    if (symbol?.kind === 'parameter') return { engineId: symbol.engineId };
    if (symbol?.kind === 'compartment' && what === 'initial assignment') return { engineId: symbol.engineId };
    if (symbol?.kind === 'compartment') this.report(where, `${what} to compartment "${id}": a compartment size that changes in time is not supported`);
    else if (symbol?.kind === 'speciesReference') this.report(where, `${what} to the stoichiometry "${id}": variable stoichiometry is not supported`);
    else this.report(where, `${what} to unknown variable "${id}"`, 'sbml');
    return null;
  }

  private mapRules(): RuleSpec[] {
    const rules: RuleSpec[] = [];
    for (let i = 0; i < this.model.getNumRules(); i++) {
      const rule = this.model.getRule(i);
      const variable = rule.getVariable();
      if (rule.isAlgebraic()) {
        this.report({ element: 'algebraicRule', id: rule.getMetaId() || `#${i + 1}` }, 'algebraic rules are not supported');
        continue;
      }
      if (rule.isRate()) {
        this.report({ element: 'rateRule', id: variable }, 'rate rules (continuous change of a variable) are not supported');
        continue;
      }
      const where = { element: 'assignmentRule', id: variable };
      const target = this.target(variable, where, 'assignment rule');
      const expression = this.convert(rule, where, 'math', { notAllowed: 'csymbol time: time-dependent assignment rules are not supported' });
      if (!target || !expression) continue;
      const amount = target.species ? this.ns.toAmount(target.species, expression) : expression;
      this.ruled.set(target.engineId, amount);
      rules.push({ variable: target.engineId, expression: printExpression(amount) });
    }
    return rules;
  }

  private mapInitialAssignments(): void {
    for (let i = 0; i < this.model.getNumInitialAssignments(); i++) {
      const assignment = this.model.getInitialAssignment(i);
      const symbol = assignment.getSymbol();
      const where = { element: 'initialAssignment', id: symbol };
      const target = this.target(symbol, where, 'initial assignment');
      const expression = this.convert(assignment, where, 'math', 'zero');
      if (target && expression) this.assigned.set(target.engineId, target.species ? this.ns.toAmount(target.species, expression) : expression);
    }
  }

  private initialValues(): InitialValues {
    const written = new Map<string, number>();
    const defined = new Map<string, { expression: ExprNode; what: string }>();
    const setByMath = (engineId: string) => this.ruled.has(engineId) || this.assigned.has(engineId);
    for (const c of this.ns.compartments) {
      // Level 2 defaults an unset size to 1 (libSBML reports it so); Level 3 has no default.
      const size = c.sbml.isSetSize() || this.level < 3 ? c.sbml.getSize() : NaN;
      if (Number.isNaN(size) && !setByMath(c.engineId)) {
        this.warnings.push({ element: 'compartment', id: c.sbml.getId(), message: 'no size given; taken as 1' });
        written.set(c.engineId, 1);
      } else written.set(c.engineId, size);
    }
    for (const s of this.ns.species) {
      const id = s.sbml.getId();
      if (s.sbml.isSetInitialAmount()) written.set(s.engineId, s.sbml.getInitialAmount());
      else if (s.sbml.isSetInitialConcentration() && s.compartment) {
        const concentration: ExprNode = { type: 'number', value: s.sbml.getInitialConcentration(), pos: 0 };
        defined.set(s.engineId, { expression: { type: 'binary', op: '*', left: concentration, right: this.ns.size(s.compartment), pos: 0 }, what: `species "${id}" initial amount` });
      } else if (!setByMath(s.engineId)) {
        this.warnings.push({ element: 'species', id, message: 'no initial amount or concentration given; taken as 0' });
        written.set(s.engineId, 0);
      }
    }
    for (const p of this.ns.parameters) if (p.sbml.isSetValue()) written.set(p.engineId, p.sbml.getValue());
    for (const p of this.ns.localParameters()) written.set(p.engineId, p.sbml.isSetValue() ? p.sbml.getValue() : NaN);
    for (const [name, expression] of this.assigned) defined.set(name, { expression, what: `the initial assignment to "${name}"` });
    for (const [name, expression] of this.ruled) defined.set(name, { expression, what: `the assignment rule for "${name}"` });
    return new InitialValues(written, defined);
  }

  private mapSpecies(s: SpeciesSymbol, initial: InitialValues): SpeciesSpec {
    const id = s.sbml.getId();
    const spec: SpeciesSpec = { id: s.engineId, initial: 0 };
    const assignment = this.assigned.get(s.engineId);
    const value = initial.valueOf(s.engineId);
    if (this.ruled.has(s.engineId)) {
      // The engine applies the rule from t = 0; the number here is only a placeholder when not a count.
      spec.initial = isCount(value) ? Math.round(value) : 0;
    } else if (assignment && this.overParametersOnly(assignment)) {
      spec.initial = printExpression(assignment);
    } else if (isCount(value)) {
      spec.initial = Math.round(value);
    } else if (Number.isFinite(value)) {
      this.report({ element: 'species', id }, `initial amount ${value} is not a whole number of molecules (the simulators count molecules)`);
    }
    if (s.sbml.getBoundaryCondition() || s.sbml.getConstant()) spec.boundary = true;
    if (s.sbml.getName().trim()) spec.name = s.sbml.getName().trim();
    return spec;
  }

  /** An initial assignment the engine can evaluate itself: over parameters no rule sets, and vol; constants are evaluated here. */
  private overParametersOnly(expression: ExprNode): boolean {
    const names = [...identifiersOf(expression).keys()];
    const parameters = new Set(this.ns.parameters.map((p) => p.engineId));
    if (!this.ns.singleCompartment) this.ns.compartments.forEach((c) => parameters.add(c.engineId));
    return names.length > 0 && names.every((n) => (n === 'vol' || parameters.has(n)) && !this.ruled.has(n) && !this.assigned.has(n));
  }

  private mapParameters(initial: InitialValues): ParameterSpec[] {
    const spec = (id: string, value: number, name?: string): ParameterSpec => ({ id, value: Number.isFinite(value) ? value : 0, ...(name?.trim() ? { name: name.trim() } : {}) });
    const compartments = this.ns.singleCompartment ? [] : this.ns.compartments.map((c) => spec(c.engineId, initial.valueOf(c.engineId), c.sbml.getName()));
    return [
      ...this.ns.parameters.map((p) => spec(p.engineId, initial.valueOf(p.engineId), p.sbml.getName())),
      ...compartments,
      ...this.ns.localParameters().map((p) => spec(p.engineId, initial.valueOf(p.engineId), p.sbml.getName())),
    ];
  }

  private checkSize(id: string, size: number): number | undefined {
    if (size > 0 && Number.isFinite(size)) return size;
    if (!Number.isNaN(size)) this.report({ element: 'compartment', id }, `size ${size} is not a positive number`);
    return undefined;
  }

  private mapReaction(reaction: Reaction): ReactionSpec | null {
    const id = reaction.getId();
    const where = { element: 'reaction', id };
    if (this.attributes.fastReactions.includes(id)) this.report(where, 'fast reactions (rapid equilibrium) are not supported');
    const side = (count: number, get: (i: number) => SpeciesReference, what: string) => {
      const out: Record<string, number> = {};
      for (let i = 0; i < count; i++) {
        const ref = get(i);
        const symbol = this.ns.symbols.get(ref.getSpecies());
        if (symbol?.kind !== 'species') {
          this.report(where, `${what} refers to unknown species "${ref.getSpecies()}"`, 'sbml');
          continue;
        }
        if (what === 'modifier') continue;
        const n = this.stoichiometry(ref, where, symbol.sbml.getId());
        if (n !== null) out[symbol.engineId] = (out[symbol.engineId] ?? 0) + n;
      }
      return out;
    };
    const reactants = side(reaction.getNumReactants(), (i) => reaction.getReactant(i), 'reactant');
    const products = side(reaction.getNumProducts(), (i) => reaction.getProduct(i), 'product');
    side(reaction.getNumModifiers(), (i) => reaction.getModifier(i), 'modifier');
    if (!reaction.isSetKineticLaw()) {
      this.report(where, 'no kinetic law: the propensity is unknown', 'unsupported');
      return null;
    }
    const law = this.convert(reaction.getKineticLaw(), where, 'kinetic law', { notAllowed: 'csymbol time: a time-dependent kinetic law is not supported by the stochastic simulators' }, id);
    if (!law) return null;
    if (Object.keys(reactants).length === 0 && Object.keys(products).length === 0) {
      this.warnings.push({ ...where, message: 'changes no species (no reactants or products); left out' });
      return null;
    }
    if (reaction.getReversible()) {
      this.warnings.push({ ...where, message: 'reversible: its kinetic law is used as the propensity of the forward direction (a negative value stops the simulation)' });
    }
    const spec: ReactionSpec = { id, reactants, products, propensity: printExpression(law) };
    if (reaction.getName().trim()) spec.name = reaction.getName().trim();
    return spec;
  }

  private stoichiometry(ref: SpeciesReference, where: Where, species: string): number | null {
    if (ref.isSetStoichiometryMath()) {
      this.report(where, `stoichiometryMath for species "${species}" is not supported`);
      return null;
    }
    const n = ref.getStoichiometry();
    if (!ref.isSetStoichiometry() && this.level >= 3) this.warnings.push({ ...where, message: `no stoichiometry given for species "${species}"; taken as 1` });
    const value = !ref.isSetStoichiometry() && this.level >= 3 ? 1 : n;
    if (Number.isInteger(value) && value > 0) return value;
    this.report(where, `stoichiometry ${value} of species "${species}" is not supported (the simulators need a positive integer)`);
    return null;
  }

  private mapEvent(k: number): EventSpec | null {
    const event = this.model.getEvent(k);
    const id = event.getId() || `event${k + 1}`;
    const where = { element: 'event', id };
    if (event.isSetDelay()) this.report(where, 'delayed events are not supported');
    if (event.isSetPriority()) this.report(where, 'event priorities are not supported');
    if (!event.isSetTrigger()) {
      this.report(where, 'no trigger', 'sbml');
      return null;
    }
    const trigger = event.getTrigger();
    const condition = this.convert(trigger, where, 'trigger', 'allowed');
    const assignments: Record<string, string> = {};
    for (let i = 0; i < event.getNumEventAssignments(); i++) {
      const assignment = event.getEventAssignment(i);
      const target = this.target(assignment.getVariable(), where, 'event assignment');
      const value = this.convert(assignment, where, `assignment to "${assignment.getVariable()}"`, 'allowed');
      if (target && value) assignments[target.engineId] = printExpression(target.species ? this.ns.toAmount(target.species, value) : value);
    }
    if (!condition) return null;
    // Level 2 has no initialValue attribute; its triggers behave as initialValue = true.
    const spec: EventSpec = { id, trigger: printExpression(condition), assignments, initialValue: this.level >= 3 ? trigger.getInitialValue() : true };
    if (event.getName().trim()) spec.name = event.getName().trim();
    return spec;
  }
}

/** A non-negative whole number, allowing the rounding error of concentration × size. */
function isCount(value: number): boolean {
  return Number.isFinite(value) && value >= 0 && Math.abs(value - Math.round(value)) <= 1e-9 * Math.max(1, value);
}
