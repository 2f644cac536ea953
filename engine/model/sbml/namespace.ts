/**
 * The SBML model's ids and what each becomes in the engine's namespace.
 *
 * - A species is its amount (a molecule count). Where SBML math means its
 *   concentration (hasOnlySubstanceUnits false, compartment of dimension > 0)
 *   the symbol reads `X / size`, and a value assigned to it is multiplied by
 *   the size to give the amount.
 * - With one compartment, its size is the model `volume` and its symbol is
 *   `vol`; with several, each is a parameter named by its id (its size), so
 *   concentrations stay explicit.
 * - Local (reaction-scoped) parameters become global parameters named
 *   `<reaction>_<parameter>`; references inside their kinetic law are rewritten.
 * - Ids the engine reserves (t, time, vol) get a trailing underscore.
 */
import { RESERVED_NAMES } from '../schema.js';
import type { ExprNode } from '../expression/index.js';
import type { Compartment, Parameter, SbmlModel, Species } from './libsbml.js';
import { bin, ident, type Unresolved } from './mathml.js';

export interface CompartmentSymbol {
  kind: 'compartment';
  sbml: Compartment;
  /** `vol` for the only compartment, else the parameter holding its size. */
  engineId: string;
}
export interface SpeciesSymbol {
  kind: 'species';
  sbml: Species;
  engineId: string;
  compartment: CompartmentSymbol | undefined;
  /** Whether its symbol in SBML math stands for a concentration (amount / size). */
  concentration: boolean;
}
export interface ParameterSymbol {
  kind: 'parameter';
  sbml: Parameter;
  engineId: string;
  /** The reaction of a local parameter. */
  reaction?: string;
}
export type SbmlSymbol =
  | CompartmentSymbol
  | SpeciesSymbol
  | ParameterSymbol
  | { kind: 'reaction' | 'speciesReference' | 'function'; engineId?: undefined };

export class SbmlNamespace {
  readonly symbols = new Map<string, SbmlSymbol>();
  readonly compartments: CompartmentSymbol[] = [];
  readonly species: SpeciesSymbol[] = [];
  readonly parameters: ParameterSymbol[] = [];
  /** Per reaction id, its local parameters by SBML id. */
  readonly locals = new Map<string, Map<string, ParameterSymbol>>();
  readonly renamed: Array<{ what: string; from: string; to: string }> = [];
  readonly singleCompartment: boolean;
  private readonly taken = new Set<string>();

  constructor(model: SbmlModel) {
    const all = <T>(count: number, get: (i: number) => T): T[] => Array.from({ length: count }, (_, i) => get(i));
    const compartments = all(model.getNumCompartments(), (i) => model.getCompartment(i));
    const species = all(model.getNumSpecies(), (i) => model.getSpecies(i));
    const parameters = all(model.getNumParameters(), (i) => model.getParameter(i));
    const reactions = all(model.getNumReactions(), (i) => model.getReaction(i));
    // Every SBML id is taken first, so that generated names never capture one.
    for (const element of [...compartments, ...species, ...parameters, ...reactions]) this.taken.add(element.getId());
    this.singleCompartment = compartments.length === 1;

    reactions.forEach((r) => this.symbols.set(r.getId(), { kind: 'reaction' }));
    for (const r of reactions) {
      for (const list of [r.getNumReactants(), r.getNumProducts(), r.getNumModifiers()].map((n, side) => all(n, (i) => (side === 0 ? r.getReactant(i) : side === 1 ? r.getProduct(i) : r.getModifier(i))))) {
        for (const ref of list) if (ref.getId()) this.symbols.set(ref.getId(), { kind: 'speciesReference' });
      }
    }
    for (let i = 0; i < model.getNumFunctionDefinitions(); i++) this.symbols.set(model.getFunctionDefinition(i).getId(), { kind: 'function' });
    for (const c of compartments) {
      const symbol: CompartmentSymbol = { kind: 'compartment', sbml: c, engineId: this.singleCompartment ? 'vol' : this.engineName(c.getId(), 'compartment') };
      this.compartments.push(symbol);
      this.symbols.set(c.getId(), symbol);
    }
    for (const s of species) {
      const compartment = this.compartmentOf(s.getCompartment());
      const concentration = !s.getHasOnlySubstanceUnits() && compartment !== undefined && compartment.sbml.getSpatialDimensions() !== 0;
      const symbol: SpeciesSymbol = { kind: 'species', sbml: s, engineId: this.engineName(s.getId(), 'species'), compartment, concentration };
      this.species.push(symbol);
      this.symbols.set(s.getId(), symbol);
    }
    for (const p of parameters) {
      const symbol: ParameterSymbol = { kind: 'parameter', sbml: p, engineId: this.engineName(p.getId(), 'parameter') };
      this.parameters.push(symbol);
      this.symbols.set(p.getId(), symbol);
    }
    for (const r of reactions) {
      const locals = new Map<string, ParameterSymbol>();
      const law = r.isSetKineticLaw() ? r.getKineticLaw() : undefined;
      for (let i = 0; law && i < law.getNumParameters(); i++) {
        const p = law.getParameter(i);
        locals.set(p.getId(), { kind: 'parameter', sbml: p, engineId: this.fresh(`${r.getId()}_${p.getId()}`), reaction: r.getId() });
      }
      this.locals.set(r.getId(), locals);
    }
  }

  compartmentOf(id: string): CompartmentSymbol | undefined {
    const symbol = this.symbols.get(id);
    return symbol?.kind === 'compartment' ? symbol : undefined;
  }

  /** The size of a compartment as an expression: `vol` or its parameter. */
  size(compartment: CompartmentSymbol): ExprNode {
    return ident(compartment.engineId);
  }

  /**
   * What an SBML id in math stands for, or why it cannot be used. `reaction`
   * selects the local parameters in scope (inside that reaction's kinetic law).
   */
  resolve(name: string, reaction?: string): ExprNode | Unresolved {
    const local = reaction !== undefined ? this.locals.get(reaction)?.get(name) : undefined;
    if (local) return ident(local.engineId);
    const symbol = this.symbols.get(name);
    switch (symbol?.kind) {
      case 'species':
        return symbol.concentration && symbol.compartment ? bin('/', ident(symbol.engineId), this.size(symbol.compartment)) : ident(symbol.engineId);
      case 'compartment':
      case 'parameter':
        return ident(symbol.engineId);
      case 'reaction':
        return { problem: `the rate of reaction "${name}" used as a value in math is not supported`, kind: 'unsupported' };
      case 'speciesReference':
        return { problem: `the stoichiometry "${name}" used as a value in math is not supported`, kind: 'unsupported' };
      case 'function':
        return { problem: `function "${name}" used as a value`, kind: 'sbml' };
      default:
        return { problem: `unknown identifier "${name}"`, kind: 'sbml' };
    }
  }

  /** A value SBML assigns to `symbol` (a concentration for concentration species) as the engine's amount. */
  toAmount(symbol: SpeciesSymbol, value: ExprNode): ExprNode {
    return symbol.concentration && symbol.compartment ? bin('*', value, this.size(symbol.compartment)) : value;
  }

  /** Local parameters of every reaction, in reaction order. */
  localParameters(): ParameterSymbol[] {
    return [...this.locals.values()].flatMap((m) => [...m.values()]);
  }

  private engineName(id: string, what: string): string {
    if (!RESERVED_NAMES.has(id)) return id;
    const to = this.fresh(`${id}_`);
    this.renamed.push({ what, from: id, to });
    return to;
  }

  /** `base`, or `base_2`, `base_3`..., whichever is not taken yet; marks it taken. */
  private fresh(base: string): string {
    let name = base;
    for (let n = 2; this.taken.has(name) || RESERVED_NAMES.has(name); n++) name = `${base}_${n}`;
    this.taken.add(name);
    return name;
  }
}
