import type { ValidationIssue } from '../errors/index.js';
import type { ReactionNetworkInput } from '../model/schema.js';
import type { Study } from './study.js';

/**
 * What runStudy would refuse about a study on this model, found when the
 * study is saved so that the user hears of it before a run: priors on
 * parameters the model lacks (path `priors.<name>`) and species, chosen or
 * observed, that the model lacks (path `species`). Empty when they agree.
 */
export function studyModelMismatches(study: Study, model: ReactionNetworkInput, observedSpecies: readonly string[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const parameterIds = (model.parameters ?? []).map((p) => p.id);
  for (const name of study.prior.names) {
    if (!parameterIds.includes(name))
      issues.push({ path: `priors.${name}`, message: `the model has no parameter "${name}"; its parameters are ${parameterIds.join(', ')}` });
  }
  const speciesIds = (model.species ?? []).map((s) => s.id);
  for (const id of study.species ?? observedSpecies) {
    if (!speciesIds.includes(id)) issues.push({ path: 'species', message: `"${id}" is not a species of the model (species: ${speciesIds.join(', ')})` });
  }
  return issues;
}
