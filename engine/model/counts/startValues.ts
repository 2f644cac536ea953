/**
 * Every named value of a model in the extended format at t = 0: parameter
 * values and compartment sizes as written, species amounts from `initial`,
 * then initial assignments and assignment rules, which take precedence,
 * evaluated on demand so that each is computed after what it reads (SBML
 * Level 3 §4.11: initial assignments and assignment rules hold together at
 * t = 0). A species with amountOnly false is read, and set by its
 * assignments, as a concentration: amount / compartment size.
 */
import { evaluateExpression, parseExpression, type ExprNode } from '../expression/index.js';
import type { ReactionNetwork, SpeciesSpec } from '../schema.js';
import type { CountConversionProblem } from './CountConversionError.js';

export class StartValues {
  private readonly values = new Map<string, number>();
  private readonly visiting: string[] = [];
  private readonly definitions = new Map<string, { expression: ExprNode; element: CountConversionProblem['element']; what: string }>();
  private readonly species: ReadonlyMap<string, SpeciesSpec>;
  private readonly written = new Map<string, number>();
  readonly problems: CountConversionProblem[] = [];

  constructor(private readonly model: ReactionNetwork) {
    this.species = new Map(model.species.map((s) => [s.id, s]));
    for (const c of model.compartments) this.written.set(c.id, c.size);
    for (const p of model.parameters) this.written.set(p.id, p.value);
    for (const a of model.initialAssignments) {
      this.definitions.set(a.variable, {
        expression: parseExpression(String(a.expression)),
        element: 'initialAssignment',
        what: `the initial assignment to ${a.variable}`,
      });
    }
    for (const r of model.rules) {
      if (r.type !== 'assignment' || r.variable === undefined || this.definitions.has(r.variable)) continue;
      this.definitions.set(r.variable, { expression: parseExpression(String(r.expression)), element: 'rule', what: `the assignment rule for ${r.variable}` });
    }
  }

  /** Whether an initial assignment gives `id` its value at t = 0. */
  hasInitialAssignment(id: string): boolean {
    return this.definitions.get(id)?.element === 'initialAssignment';
  }

  /** The value of `name` at t = 0 as expressions read it (a concentration for a species with amountOnly false); NaN with a problem when it has none. */
  read(name: string): number {
    if (name === 't' || name === 'time') return 0;
    if (name === 'vol') return this.model.volume;
    const known = this.values.get(name);
    if (known !== undefined) return known;
    const value = this.compute(name);
    this.values.set(name, value);
    return value;
  }

  /** The amount of species `id` at t = 0 (substance units). */
  amount(id: string): number {
    const s = this.species.get(id)!;
    const value = this.read(id);
    return s.amountOnly === false ? value * this.size(s) : value;
  }

  /** The size at t = 0 of the compartment a species lives in (the model volume when it names none). */
  size(s: SpeciesSpec): number {
    return s.compartment === undefined ? this.model.volume : this.read(s.compartment);
  }

  /** Evaluate an expression of the model at t = 0. */
  evaluate(expression: ExprNode): number {
    return evaluateExpression(expression, (n) => this.read(n));
  }

  private compute(name: string): number {
    const definition = this.definitions.get(name);
    if (this.visiting.includes(name)) {
      const cycle = [...this.visiting.slice(this.visiting.indexOf(name)), name].join(' → ');
      this.problems.push({ element: definition?.element ?? 'species', id: name, reason: `initial values depend on each other in a cycle: ${cycle}` });
      return NaN;
    }
    if (definition) {
      return this.guarded(name, definition.expression, definition.element, definition.what);
    }
    const s = this.species.get(name);
    if (s) {
      const amount = typeof s.initial === 'number' ? s.initial : this.guarded(name, parseExpression(s.initial), 'species', `the initial amount of ${name}`);
      return s.amountOnly === false ? amount / this.size(s) : amount;
    }
    const written = this.written.get(name);
    if (written !== undefined) return written;
    this.problems.push({ element: 'model', id: name, reason: `"${name}" has no value at t = 0` });
    return NaN;
  }

  private guarded(name: string, expression: ExprNode, element: CountConversionProblem['element'], what: string): number {
    const before = this.problems.length;
    this.visiting.push(name);
    let value: number;
    try {
      value = this.evaluate(expression);
    } catch (error) {
      this.problems.push({ element, id: name, reason: `${what} cannot be evaluated at t = 0: ${(error as Error).message}` });
      value = NaN;
    } finally {
      this.visiting.pop();
    }
    if (!Number.isFinite(value) && this.problems.length === before) {
      this.problems.push({ element, id: name, reason: `${what} evaluates to ${value} at t = 0` });
    }
    return value;
  }
}
