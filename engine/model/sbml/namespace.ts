/**
 * The SBML model's ids and what each becomes in the engine's namespace.
 *
 * The extended model format carries SBML's meaning of a name itself
 * (schema.ts): a species' name means its amount or its concentration per
 * `amountOnly`, a compartment's name its current size, a species
 * reference's id its stoichiometry (a parameter marked `stoichiometry`).
 * So ids map one to one, and math is written as in the SBML, except:
 * - local (reaction-scoped) parameters become global parameters named
 *   `<reaction>_<parameter>`; references inside their kinetic law are rewritten;
 * - ids the engine reserves (t, time, vol) get a trailing underscore;
 * - a reaction id in math (SBML Level 3 Version 2) stands for the reaction's
 *   rate: the caller inlines its kinetic law (see `resolve`).
 */
import { RESERVED_NAMES } from '../schema.js';
import type { ExprNode } from '../expression/index.js';
import type { Compartment, Parameter, Reaction, SbmlModel, Species, SpeciesReference } from './libsbml.js';
import { ident, type Unresolved } from './mathml.js';

export interface CompartmentSymbol {
  kind: 'compartment';
  sbml: Compartment;
  engineId: string;
}
export interface SpeciesSymbol {
  kind: 'species';
  sbml: Species;
  engineId: string;
  compartment: CompartmentSymbol | undefined;
}
export interface ParameterSymbol {
  kind: 'parameter';
  sbml: Parameter;
  engineId: string;
  /** The reaction of a local parameter. */
  reaction?: string;
}
/** A species reference with an id: its stoichiometry, held by a parameter of that name. */
export interface StoichiometrySymbol {
  kind: 'speciesReference';
  sbml: SpeciesReference;
  engineId: string;
  reaction: string;
}
export interface ReactionSymbol {
  kind: 'reaction';
  sbml: Reaction;
  engineId?: undefined;
}
export type SbmlSymbol =
  | CompartmentSymbol
  | SpeciesSymbol
  | ParameterSymbol
  | StoichiometrySymbol
  | ReactionSymbol
  | { kind: 'function'; engineId?: undefined };

export class SbmlNamespace {
  readonly symbols = new Map<string, SbmlSymbol>();
  readonly compartments: CompartmentSymbol[] = [];
  readonly species: SpeciesSymbol[] = [];
  readonly parameters: ParameterSymbol[] = [];
  readonly stoichiometries: StoichiometrySymbol[] = [];
  /** Per reaction id, its local parameters by SBML id. */
  readonly locals = new Map<string, Map<string, ParameterSymbol>>();
  readonly renamed: Array<{ what: string; from: string; to: string }> = [];
  private readonly taken = new Set<string>();

  constructor(model: SbmlModel) {
    const all = <T>(count: number, get: (i: number) => T): T[] => Array.from({ length: count }, (_, i) => get(i));
    const compartments = all(model.getNumCompartments(), (i) => model.getCompartment(i));
    const species = all(model.getNumSpecies(), (i) => model.getSpecies(i));
    const parameters = all(model.getNumParameters(), (i) => model.getParameter(i));
    const reactions = all(model.getNumReactions(), (i) => model.getReaction(i));
    const references = reactions.flatMap((r) =>
      [...all(r.getNumReactants(), (i) => r.getReactant(i)), ...all(r.getNumProducts(), (i) => r.getProduct(i))].map((ref) => ({ ref, reaction: r.getId() })),
    );
    // Every SBML id is taken first, so that generated names never capture one.
    for (const element of [...compartments, ...species, ...parameters, ...reactions]) this.taken.add(element.getId());
    for (const { ref } of references) if (ref.getId()) this.taken.add(ref.getId());

    reactions.forEach((r) => this.symbols.set(r.getId(), { kind: 'reaction', sbml: r }));
    for (let i = 0; i < model.getNumFunctionDefinitions(); i++) this.symbols.set(model.getFunctionDefinition(i).getId(), { kind: 'function' });
    for (const c of compartments) {
      const symbol: CompartmentSymbol = { kind: 'compartment', sbml: c, engineId: this.engineName(c.getId(), 'compartment') };
      this.compartments.push(symbol);
      this.symbols.set(c.getId(), symbol);
    }
    for (const s of species) {
      const symbol: SpeciesSymbol = {
        kind: 'species',
        sbml: s,
        engineId: this.engineName(s.getId(), 'species'),
        compartment: this.compartmentOf(s.getCompartment()),
      };
      this.species.push(symbol);
      this.symbols.set(s.getId(), symbol);
    }
    for (const p of parameters) {
      const symbol: ParameterSymbol = { kind: 'parameter', sbml: p, engineId: this.engineName(p.getId(), 'parameter') };
      this.parameters.push(symbol);
      this.symbols.set(p.getId(), symbol);
    }
    for (const { ref, reaction } of references) {
      if (!ref.getId()) continue;
      const symbol: StoichiometrySymbol = { kind: 'speciesReference', sbml: ref, engineId: this.engineName(ref.getId(), 'speciesReference'), reaction };
      this.stoichiometries.push(symbol);
      this.symbols.set(ref.getId(), symbol);
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

  /**
   * What an SBML id in math stands for, or why it cannot be used. `reaction`
   * selects the local parameters in scope (inside that reaction's kinetic
   * law); `rateOf` gives the expression of a reaction's rate (its inlined
   * kinetic law, SBML Level 3 Version 2).
   */
  resolve(name: string, reaction: string | undefined, rateOf: (reaction: Reaction) => ExprNode | Unresolved): ExprNode | Unresolved {
    const local = reaction !== undefined ? this.locals.get(reaction)?.get(name) : undefined;
    if (local) return ident(local.engineId);
    const symbol = this.symbols.get(name);
    switch (symbol?.kind) {
      case 'species':
      case 'compartment':
      case 'parameter':
      case 'speciesReference':
        return ident(symbol.engineId);
      case 'reaction':
        return rateOf(symbol.sbml);
      case 'function':
        return { problem: `function "${name}" used as a value`, kind: 'sbml' };
      default:
        return { problem: `unknown identifier "${name}"`, kind: 'sbml' };
    }
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
