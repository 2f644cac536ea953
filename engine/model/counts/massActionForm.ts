/**
 * Recognise a kinetic law of mass-action form, K × Π S_i^n_i, where K is a
 * product and quotient of constants (numbers, constant parameters and
 * compartment sizes) and the S_i are species with whole exponents.
 *
 * Why: the deterministic law k·[A]² of 2A → B corresponds to the stochastic
 * propensity k·N(N−1)/(F·V), not k·N²/(F·V) (Gillespie 1977,
 * doi:10.1021/j100540a008, and 2007, doi:10.1146/annurev.physchem.58.032806.104637).
 * COPASI applies the same correction to mass-action reactions when it
 * simulates stochastically. A recognised law is written as the engine's
 * mass-action `rate`, whose stochastic propensity has the falling factorial.
 */
import { identifiersOf, type ExprNode } from '../expression/index.js';
import { binaryNode, productOf } from './substituteNames.js';

export interface MassActionForm {
  /** K: the law without its species factors. */
  readonly constant: ExprNode;
  /** n_i by species id. */
  readonly exponents: ReadonlyMap<string, number>;
}

export interface NameKinds {
  isSpecies(name: string): boolean;
  /** A name whose value never changes (not t, not a species, not set by rules or events). */
  isConstant(name: string): boolean;
}

/** The mass-action form of `law`, or null when it is not a product of constants and species powers. */
export function massActionForm(law: ExprNode, kinds: NameKinds): MassActionForm | null {
  const numerator: ExprNode[] = [];
  const denominator: ExprNode[] = [];
  const exponents = new Map<string, number>();
  const pending: Array<{ node: ExprNode; below: boolean }> = [{ node: law, below: false }];
  while (pending.length > 0) {
    const { node, below } = pending.pop()!;
    if (node.type === 'binary' && (node.op === '*' || node.op === '/')) {
      pending.push({ node: node.right, below: node.op === '/' ? !below : below });
      pending.push({ node: node.left, below });
      continue;
    }
    const power = speciesPower(node, kinds);
    if (power) {
      if (below) return null;
      exponents.set(power.species, (exponents.get(power.species) ?? 0) + power.exponent);
      continue;
    }
    const names = [...identifiersOf(node).keys()];
    if (!names.every((name) => kinds.isConstant(name))) return null;
    (below ? denominator : numerator).push(node);
  }
  const top = productOf(numerator);
  return { constant: denominator.length === 0 ? top : binaryNode('/', top, productOf(denominator)), exponents };
}

/** `S` or `S^n` (n a whole number ≥ 1) for a species S. */
function speciesPower(node: ExprNode, kinds: NameKinds): { species: string; exponent: number } | null {
  if (node.type === 'identifier' && kinds.isSpecies(node.name)) return { species: node.name, exponent: 1 };
  if (node.type === 'binary' && node.op === '^' && node.left.type === 'identifier' && kinds.isSpecies(node.left.name)) {
    const n = node.right;
    if (n.type === 'number' && Number.isInteger(n.value) && n.value >= 1) return { species: node.left.name, exponent: n.value };
  }
  return null;
}

/** Whether the exponents are exactly the stoichiometries (same species, same numbers). */
export function matchesStoichiometry(form: MassActionForm, side: Readonly<Record<string, number>>): boolean {
  const entries = Object.entries(side);
  return entries.length === form.exponents.size && entries.every(([id, n]) => form.exponents.get(id) === n);
}
