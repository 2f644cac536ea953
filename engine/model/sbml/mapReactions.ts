/**
 * SBML reactions → `reactions`, and species references with ids →
 * stoichiometry parameters.
 *
 * - The kinetic law (a rate in substance per time, SBML) is the `propensity`
 *   as written; its local parameters are global ones renamed by the namespace.
 * - A coefficient is a number, or the name of the species reference's
 *   stoichiometry parameter when rules, events or initial assignments may
 *   set it, or the expression of a Level 2 stoichiometryMath.
 * - The same species twice on one side is merged (a sum); a negative
 *   stoichiometry moves the species to the other side (the net change is
 *   the same: SBML defines the change as (products - reactants) × rate); a
 *   zero one is left out.
 * - Level 3 leaves an unset stoichiometry undefined unless math sets it; it
 *   is taken as 1, with a warning. Level 2's default is 1.
 * - Fast reactions (rapid equilibrium, a different semantics) and
 *   reactions without a kinetic law (an unknown rate) are refused.
 */
import type { ExprNode } from '../expression/index.js';
import type { ParameterSpec, ReactionSpec } from '../schema.js';
import type { Reaction, SpeciesReference } from './libsbml.js';
import type { MappingContext, Where } from './mappingContext.js';
import { printExpression } from './printExpression.js';

type Coefficient = number | string;

export function mapReactions(
  context: MappingContext,
  fastReactions: readonly string[],
  setByMath: ReadonlySet<string>,
): { reactions: ReactionSpec[]; stoichiometryParameters: ParameterSpec[] } {
  const reactions: ReactionSpec[] = [];
  const stoichiometryParameters: ParameterSpec[] = [];
  for (let j = 0; j < context.model.getNumReactions(); j++) {
    const reaction = context.model.getReaction(j);
    const spec = mapReaction(context, reaction, fastReactions.includes(reaction.getId()), setByMath, stoichiometryParameters);
    if (spec) reactions.push(spec);
  }
  return { reactions, stoichiometryParameters };
}

function mapReaction(
  context: MappingContext,
  reaction: Reaction,
  fast: boolean,
  setByMath: ReadonlySet<string>,
  stoichiometryParameters: ParameterSpec[],
): ReactionSpec | null {
  const id = reaction.getId();
  const where = { element: 'reaction', id };
  if (fast) context.report(where, 'fast reactions (rapid equilibrium) are not supported');
  const reactants: Record<string, Coefficient> = {};
  const products: Record<string, Coefficient> = {};
  const sides = [
    {
      count: reaction.getNumReactants(),
      get: (i: number) => reaction.getReactant(i),
      own: reactants,
      other: products,
      what: 'reactant',
      side: 'reactants' as const,
    },
    {
      count: reaction.getNumProducts(),
      get: (i: number) => reaction.getProduct(i),
      own: products,
      other: reactants,
      what: 'product',
      side: 'products' as const,
    },
  ];
  for (const side of sides) {
    for (let i = 0; i < side.count; i++) {
      const ref = side.get(i);
      const symbol = context.ns.symbols.get(ref.getSpecies());
      if (symbol?.kind !== 'species') {
        context.report(where, `${side.what} refers to unknown species "${ref.getSpecies()}"`, 'sbml');
        continue;
      }
      const n = coefficient(context, ref, { ...where, side: side.side, index: i }, symbol.sbml.getId(), setByMath, stoichiometryParameters);
      if (n === null || n === 0) continue;
      if (typeof n === 'number' && n < 0) add(side.other, symbol.engineId, -n);
      else add(side.own, symbol.engineId, n);
    }
  }
  for (let i = 0; i < reaction.getNumModifiers(); i++) {
    const species = reaction.getModifier(i).getSpecies();
    if (context.ns.symbols.get(species)?.kind !== 'species') context.report(where, `modifier refers to unknown species "${species}"`, 'sbml');
  }

  let law: ExprNode | null = null;
  if (reaction.isSetKineticLaw()) law = context.convert(reaction.getKineticLaw(), where, 'kinetic law', id);
  if (!law) {
    // SBML leaves the rate undefined: any number would be invented (flux balance models have no kinetic laws).
    context.report(where, reaction.isSetKineticLaw() ? 'the kinetic law has no math: the rate is unknown' : 'no kinetic law: the rate is unknown');
    return null;
  }
  if (Object.keys(reactants).length === 0 && Object.keys(products).length === 0) {
    context.warn(where, 'changes no species (no reactants or products); left out');
    return null;
  }
  const spec: ReactionSpec = { id, reactants, products, propensity: printExpression(law) };
  if (reaction.getName().trim()) spec.name = reaction.getName().trim();
  return spec;
}

/** Merge a second reference to the same species on one side: a sum. */
function add(side: Record<string, Coefficient>, species: string, n: Coefficient): void {
  const before = side[species];
  if (before === undefined) side[species] = n;
  else if (typeof before === 'number' && typeof n === 'number') side[species] = before + n;
  else side[species] = `${wrap(before)} + ${wrap(n)}`;
}

const wrap = (n: Coefficient) => (typeof n === 'number' ? String(n) : /^[A-Za-z_][A-Za-z0-9_]*$/.test(n) ? n : `(${n})`);

/**
 * The coefficient of one species reference: a number, the name of its
 * stoichiometry parameter (registered in `parameters`) when math may set
 * it, or the printed stoichiometryMath; null when it cannot be mapped
 * (reported).
 */
function coefficient(
  context: MappingContext,
  ref: SpeciesReference,
  at: Where & { side: 'reactants' | 'products'; index: number },
  species: string,
  setByMath: ReadonlySet<string>,
  parameters: ParameterSpec[],
): Coefficient | null {
  const where = { element: at.element, id: at.id };
  if (context.level < 3 && ref.isSetStoichiometryMath()) {
    const math = context.convertStoichiometryMath(at.id, at.side, at.index, where, `stoichiometryMath of species "${species}"`);
    if (math) return math.type === 'number' ? math.value : printExpression(math);
    context.warn(where, `stoichiometryMath of species "${species}" has no math; stoichiometry taken as 1`);
    return 1;
  }
  const refId = ref.getId();
  const symbol = refId ? context.ns.symbols.get(refId) : undefined;
  const variable = symbol?.kind === 'speciesReference' && (setByMath.has(refId) || (context.level >= 3 && !ref.getConstant()));
  let value = ref.getStoichiometry();
  if (context.level >= 3 && !ref.isSetStoichiometry()) {
    value = 1;
    if (!(symbol && setByMath.has(refId))) context.warn(where, `no stoichiometry given for species "${species}"; taken as 1`);
  }
  if (!Number.isFinite(value)) {
    context.report(where, `stoichiometry ${value} of species "${species}" is not a finite number`, 'sbml');
    return null;
  }
  if (symbol?.kind === 'speciesReference') {
    parameters.push({ id: symbol.engineId, value, stoichiometry: true, ...(variable ? { constant: false } : {}) });
    if (variable) return symbol.engineId;
  }
  return value;
}
