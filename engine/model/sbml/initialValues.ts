/**
 * Values at t = 0, in the engine's namespace: parameter values and
 * compartment sizes as written, species amounts (initialAmount, or
 * initialConcentration × size), then SBML initial assignments and assignment
 * rules, which take precedence, evaluated in dependency order (the csymbol
 * time is 0 here).
 */
import { evaluateExpression, type ExprNode } from '../expression/index.js';

export class InitialValues {
  private readonly values = new Map<string, number>();
  private readonly visiting: string[] = [];
  readonly problems: string[] = [];

  constructor(
    /** Numbers as written in the SBML, by engine name. */
    private readonly written: ReadonlyMap<string, number>,
    /** Values defined by math at t = 0, by engine name, with a description for messages. */
    private readonly defined: ReadonlyMap<string, { expression: ExprNode; what: string }>,
  ) {}

  /** The value of `name` at t = 0; NaN (and a problem) when it has none. */
  valueOf(name: string): number {
    const known = this.values.get(name);
    if (known !== undefined) return known;
    const definition = this.defined.get(name);
    let value: number;
    if (definition) {
      if (this.visiting.includes(name)) {
        this.problems.push(`initial values depend on each other in a cycle: ${[...this.visiting.slice(this.visiting.indexOf(name)), name].join(' → ')}`);
        return NaN;
      }
      const before = this.problems.length;
      this.visiting.push(name);
      try {
        value = evaluateExpression(definition.expression, (n) => (n === 't' ? 0 : this.valueOf(n)));
      } finally {
        this.visiting.pop();
      }
      if (!Number.isFinite(value) && this.problems.length === before) this.problems.push(`${definition.what} evaluates to ${value} at t = 0`);
    } else {
      value = this.written.get(name) ?? NaN;
      if (Number.isNaN(value)) this.problems.push(`"${name}" has no value at t = 0 (no value attribute, initial assignment or assignment rule)`);
      else if (!Number.isFinite(value)) this.problems.push(`"${name}" is ${value}; expected a finite number`);
    }
    this.values.set(name, value);
    return value;
  }
}
