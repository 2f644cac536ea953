import { PartSpecError } from '../errors.js';

/**
 * Indices of `subset` in the model's species list (all species, in model
 * order, when no subset is given). Throws PartSpecError naming every species
 * the model lacks, e.g. `statistics.species[1]: unknown species "X"; the model has A, R`.
 */
export function selectSpecies(speciesIds: readonly string[], subset: readonly string[] | undefined): Int32Array {
  if (!subset) return Int32Array.from(speciesIds, (_, i) => i);
  const issues = subset
    .map((id, i) => ({ id, i }))
    .filter(({ id }) => !speciesIds.includes(id))
    .map(({ id, i }) => ({ path: `statistics.species[${i}]`, message: `unknown species "${id}"; the model has ${speciesIds.join(', ')}` }));
  if (issues.length > 0) throw new PartSpecError(issues);
  return Int32Array.from(subset, (id) => speciesIds.indexOf(id));
}
