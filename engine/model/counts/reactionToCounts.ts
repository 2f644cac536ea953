/**
 * One reaction of a model in amounts or concentrations → reactions over
 * molecule counts.
 *
 * A kinetic law v gives the reaction rate in units of extent per time; with
 * F_E molecules per unit of extent, reaction events happen at F_E × v per
 * unit time, where each species name in v now reads count / F (an amount) or
 * count / (F × size) (a concentration). This is the usual deterministic →
 * stochastic correspondence (Gillespie 1977, doi:10.1021/j100540a008) and
 * what COPASI does when it runs a model in particle numbers (Hoops et al.
 * 2006, doi:10.1093/bioinformatics/btl485). A mass-action law with a reactant of
 * stoichiometry ≥ 2 is written as a mass-action rate instead so the SSA uses
 * falling factorials (massActionForm.ts), and a reversible mass-action law
 * kf·Π R − kr·Π P is split into its two irreversible halves: a net rate can
 * be negative and is not the rate of any event.
 */
import { identifiersOf, parseExpression, type ExprNode } from '../expression/index.js';
import type { ReactionNetwork, ReactionSpec, SpeciesSpec } from '../schema.js';
import type { CountConversionProblem } from './CountConversionError.js';
import type { ReactionConversion } from './conversionReport.js';
import { massActionForm, matchesStoichiometry, type MassActionForm, type NameKinds } from './massActionForm.js';
import type { StartValues } from './startValues.js';
import { binaryNode, nameNode, numberNode, productOf, scaled } from './substituteNames.js';

/** What converting a reaction needs to know about the whole model. */
export interface CountContext {
  readonly model: ReactionNetwork;
  readonly start: StartValues;
  readonly species: ReadonlyMap<string, SpeciesSpec>;
  /** F of a species: molecules per unit of its substance. */
  factorOf(species: string): number;
  /** F_E: molecules per unit of reaction extent. */
  readonly extentFactor: number;
  readonly kinds: NameKinds;
  /** `ast` with every species name replaced by its meaning over counts. */
  toCounts(ast: ExprNode): ExprNode;
  print(ast: ExprNode): string;
  /** Reaction ids already taken in the count model (split halves get fresh ones). */
  readonly reactionIds: Set<string>;
  readonly problems: CountConversionProblem[];
}

/** Relative tolerance for a product of factors to count as a whole number (floating-point dust of F × stoichiometry). */
const WHOLE = 1e-9;

function wholeNumber(x: number): number | null {
  const n = Math.round(x);
  return n >= 1 && Math.abs(x - n) <= WHOLE * Math.abs(x) ? n : null;
}

const isUnchangedByReactions = (s: SpeciesSpec) => s.boundary === true || s.constant === true;

interface Sides {
  reactants: Record<string, number>;
  products: Record<string, number>;
  /** Whether a stoichiometry differs from the law's view (a conversion factor, mixed units, or a boundary coefficient made 1). */
  rescaled: boolean;
}

/** Whole-number stoichiometries in molecules per event, or null (with problems) when there are none. */
function countStoichiometry(r: ReactionSpec, ctx: CountContext): Sides | null {
  const sides: Sides = { reactants: {}, products: {}, rescaled: false };
  let ok = true;
  for (const side of ['reactants', 'products'] as const) {
    for (const [id, coefficient] of Object.entries(r[side])) {
      const s = ctx.species.get(id)!;
      let value: number;
      if (typeof coefficient === 'number') value = coefficient;
      else {
        const ast = parseExpression(coefficient);
        if (![...identifiersOf(ast).keys()].every((name) => ctx.kinds.isConstant(name))) {
          ctx.problems.push({
            element: 'reaction',
            id: r.id,
            reason: `variable stoichiometry of ${id} (${coefficient}): a reaction event must change each species by a fixed whole number of molecules; use --method ode`,
          });
          ok = false;
          continue;
        }
        value = ctx.start.evaluate(ast);
      }
      if (isUnchangedByReactions(s)) {
        // Reactions never change it: its coefficient only matters to a mass-action law, which is then written as a propensity.
        const n = wholeNumber(value);
        if (n === null) sides.rescaled = true;
        sides[side][id] = n ?? 1;
        continue;
      }
      const multiplier = (conversionFactor(s, ctx) * ctx.factorOf(id)) / ctx.extentFactor;
      const n = wholeNumber(value * multiplier);
      if (n === null || !Number.isFinite(multiplier)) {
        const why = multiplier === 1 ? '' : ` × ${multiplier} (conversion factor × molecules per unit of ${id} / molecules per unit of extent)`;
        ctx.problems.push({
          element: 'reaction',
          id: r.id,
          reason: `stoichiometry ${value}${why} of ${id} is not a whole number: a reaction event must change ${id} by a whole number of molecules; use --method ode`,
        });
        ok = false;
        continue;
      }
      if (multiplier !== 1) sides.rescaled = true;
      sides[side][id] = n;
    }
  }
  return ok ? sides : null;
}

/** The species' conversion factor value (its own, else the model's; 1 when neither). */
function conversionFactor(s: SpeciesSpec, ctx: CountContext): number {
  const id = s.conversionFactor ?? ctx.model.conversionFactor;
  return id === undefined ? 1 : ctx.start.read(id);
}

/** A fresh reaction id: `base`, or `base_2`, `base_3`... */
function freshId(base: string, taken: Set<string>): string {
  let id = base;
  for (let k = 2; taken.has(id); k++) id = `${base}_${k}`;
  taken.add(id);
  return id;
}

/**
 * The mass-action constant k for the engine's `rate` (propensity k·vol^(1−n)·Π N(N−1)…, n the order) equal to
 * F_E × K × Π (N_i / (F_i × size_i))^n_i once the falling factorials are powers:
 * k = K × F_E × Π (F_i × size_i)^(−n_i) × vol^(n−1).
 */
function rateConstant(form: MassActionForm, ctx: CountContext): string {
  let numeric = ctx.extentFactor;
  const factors: ExprNode[] = [form.constant];
  let order = 0;
  for (const [id, n] of form.exponents) {
    order += n;
    numeric /= ctx.factorOf(id) ** n;
    const s = ctx.species.get(id)!;
    if (s.amountOnly === false) factors.push(binaryNode('^', nameNode(s.compartment ?? 'vol'), numberNode(-n)));
  }
  if (numeric !== 1) factors.push(numberNode(numeric));
  if (order === 2) factors.push(nameNode('vol'));
  else if (order !== 1) factors.push(binaryNode('^', nameNode('vol'), numberNode(order - 1)));
  return ctx.print(productOf(factors));
}

/** `K × (P − Q)`, `(P − Q) / K`...: the halves P and Q with the constant factors distributed, or null. */
function reversibleHalves(ast: ExprNode, kinds: NameKinds): [ExprNode, ExprNode] | null {
  const constant = (n: ExprNode) => [...identifiersOf(n).keys()].every((name) => kinds.isConstant(name));
  if (ast.type !== 'binary') return null;
  if (ast.op === '-') return [ast.left, ast.right];
  if (ast.op === '*' || ast.op === '/') {
    const inner = reversibleHalves(ast.left, kinds);
    if (inner && constant(ast.right)) return [binaryNode(ast.op, inner[0], ast.right), binaryNode(ast.op, inner[1], ast.right)];
    if (ast.op === '*' && constant(ast.left)) {
      const right = reversibleHalves(ast.right, kinds);
      if (right) return [binaryNode('*', ast.left, right[0]), binaryNode('*', ast.left, right[1])];
    }
  }
  return null;
}

const needsFallingFactorial = (side: Readonly<Record<string, number>>) => Object.values(side).some((n) => n >= 2);

/** One irreversible reaction from a law: mass-action rate when it matters (and the law has that form), else F_E × law over counts. */
function irreversible(
  id: string,
  reactants: Record<string, number>,
  products: Record<string, number>,
  law: ExprNode,
  form: MassActionForm | null,
  ctx: CountContext,
): { reaction: ReactionSpec; massAction: boolean } {
  if (form && needsFallingFactorial(reactants)) return { reaction: { id, reactants, products, rate: rateConstant(form, ctx) }, massAction: true };
  return { reaction: { id, reactants, products, propensity: ctx.print(scaled(ctx.extentFactor, ctx.toCounts(law))) }, massAction: false };
}

/** The count-model reactions for `r` (one, or two for a split reversible law) and how it was converted; null after a refusal. */
export function reactionToCounts(r: ReactionSpec, ctx: CountContext): { reactions: ReactionSpec[]; conversion: ReactionConversion } | null {
  const sides = countStoichiometry(r, ctx);
  if (!sides) return null;
  const { reactants, products } = sides;
  const name = r.name !== undefined ? { name: r.name } : {};
  const keep = (law: { rate: string | number } | { propensity: string | number }, form: ReactionConversion['form']) => ({
    reactions: [{ id: r.id, reactants, products, ...law, ...name }],
    conversion: { id: r.id, form, into: [r.id] },
  });

  if (r.rate !== undefined) {
    // The engine's mass-action constant over amounts: k·vol^(1−n)·Π A^n becomes k·F_E·Π F_i^(−n_i)·vol^(1−n)·Π N^n.
    if (sides.rescaled) {
      ctx.problems.push({
        element: 'reaction',
        id: r.id,
        reason:
          'a mass-action rate whose stoichiometry in molecules differs from the one the rate is written for (a conversion factor, species in different substance units, or a fractional coefficient of a boundary species): write its kinetic law as a propensity',
      });
      return null;
    }
    let numeric = ctx.extentFactor;
    for (const [id, n] of Object.entries(reactants)) numeric /= ctx.factorOf(id) ** n;
    if (numeric === 1) return keep({ rate: r.rate }, 'unchanged');
    return keep({ rate: ctx.print(scaled(numeric, parseExpression(String(r.rate)))) }, 'mass-action');
  }

  const law = parseExpression(String(r.propensity));
  if (!sides.rescaled) {
    const whole = massActionForm(law, ctx.kinds);
    if (whole && matchesStoichiometry(whole, reactants) && needsFallingFactorial(reactants)) {
      return keep({ rate: rateConstant(whole, ctx) }, 'mass-action');
    }
    const halves = reversibleHalves(law, ctx.kinds);
    const forward = halves && massActionForm(halves[0], ctx.kinds);
    const backward = halves && massActionForm(halves[1], ctx.kinds);
    if (halves && forward && backward && matchesStoichiometry(forward, reactants) && matchesStoichiometry(backward, products)) {
      const a = irreversible(freshId(`${r.id}_forward`, ctx.reactionIds), reactants, products, halves[0], forward, ctx);
      const b = irreversible(freshId(`${r.id}_backward`, ctx.reactionIds), products, reactants, halves[1], backward, ctx);
      const reactions = [a.reaction, b.reaction].map((x) => ({ ...x, ...name }));
      return { reactions, conversion: { id: r.id, form: 'split', into: reactions.map((x) => x.id) } };
    }
  }
  const counted = scaled(ctx.extentFactor, ctx.toCounts(law));
  if (counted === law) return keep({ propensity: r.propensity! }, 'unchanged');
  return keep({ propensity: ctx.print(counted) }, 'propensity');
}
