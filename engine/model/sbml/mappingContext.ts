/**
 * What the parts of the SBML mapping share: the namespace, the MathML
 * converter (with reaction ids resolved to their rate, SBML Level 3
 * Version 2), and the lists of problems and warnings the import returns.
 */
import type { SbmlProblem } from '../../errors/index.js';
import type { ExprNode } from '../expression/index.js';
import type { AstNode, FunctionDefinition, LibsbmlModule, MathHolder, Reaction, SbmlModel } from './libsbml.js';
import { MathConverter, type Unresolved } from './mathml.js';
import { SbmlNamespace } from './namespace.js';
import { StoichiometryMathText, withMathTree } from './stoichiometryMath.js';
import type { SbmlWarning } from './warnings.js';

export type Where = { element: string; id: string };

export class MappingContext {
  readonly problems: SbmlProblem[] = [];
  readonly warnings: SbmlWarning[] = [];
  readonly ns: SbmlNamespace;
  private readonly math: MathConverter;
  /** Kinetic laws converted for use as values (a reaction id in math), by reaction id. */
  private readonly rates = new Map<string, ExprNode | Unresolved>();
  private readonly ratesInProgress: string[] = [];
  private readonly stoichiometryMath: StoichiometryMathText;

  constructor(
    private readonly module: LibsbmlModule,
    readonly model: SbmlModel,
    readonly level: number,
    readonly version: number,
    xml: string,
  ) {
    this.ns = new SbmlNamespace(model);
    this.stoichiometryMath = new StoichiometryMathText(xml);
    const functions = new Map<string, FunctionDefinition>();
    for (let i = 0; i < model.getNumFunctionDefinitions(); i++) functions.set(model.getFunctionDefinition(i).getId(), model.getFunctionDefinition(i));
    this.math = new MathConverter(module, functions);
  }

  report(where: Where, message: string, kind: 'sbml' | 'unsupported' = 'unsupported'): void {
    this.problems.push({ kind, element: where.element, id: where.id, message });
  }

  warn(where: Where, message: string): void {
    this.warnings.push({ element: where.element, id: where.id, message });
  }

  /**
   * The math of `holder` as an expression; null when it has none (SBML
   * allows math to be missing: the element then has no effect, said in a
   * warning by the caller). `what` names it in messages ("kinetic law",
   * "trigger"); `reaction` puts that reaction's local parameters in scope.
   */
  convert(holder: MathHolder, where: Where, what: string, reaction?: string): ExprNode | null {
    if (!holder.isSetMath()) return null;
    return this.convertAst(holder.getMath(), where, what, reaction);
  }

  convertAst(ast: AstNode, where: Where, what: string, reaction?: string): ExprNode {
    return this.math.convert(ast, {
      resolve: (name) => this.ns.resolve(name, reaction, (r) => this.rateOf(r)),
      time: 'allowed',
      report: (message, kind) => this.report(where, `${what}: ${message}`, kind),
    });
  }

  /**
   * The stoichiometryMath of the `index`-th species reference on `side` of
   * `reaction` (SBML Level 2) as an expression; null when its math cannot be
   * found in the document text.
   */
  convertStoichiometryMath(reaction: string, side: 'reactants' | 'products', index: number, where: Where, what: string): ExprNode | null {
    const text = this.stoichiometryMath.mathOf(reaction, side, index);
    if (text === undefined) return null;
    return withMathTree(this.module, text, (ast) => this.convertAst(ast, where, what));
  }

  /** A reaction's rate as a value in math (SBML Level 3 Version 2): its kinetic law, inlined. */
  private rateOf(reaction: Reaction): ExprNode | Unresolved {
    const id = reaction.getId();
    const known = this.rates.get(id);
    if (known) return known;
    if (this.ratesInProgress.includes(id))
      return { problem: `the rate of reaction "${id}" depends on itself (${[...this.ratesInProgress, id].join(' → ')})`, kind: 'sbml' };
    if (!reaction.isSetKineticLaw() || !reaction.getKineticLaw().isSetMath())
      return { problem: `reaction "${id}" is used as a value but has no kinetic law`, kind: 'sbml' };
    this.ratesInProgress.push(id);
    try {
      const rate = this.convertAst(reaction.getKineticLaw().getMath(), { element: 'reaction', id }, 'kinetic law', id);
      this.rates.set(id, rate);
      return rate;
    } finally {
      this.ratesInProgress.pop();
    }
  }
}
