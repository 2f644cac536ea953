/**
 * The simulated series of a reported variable, as the case's settings ask:
 * species listed under `amount` as amounts, under `concentration` as
 * concentrations, anything else (parameters, compartments, species listed in
 * neither) as expressions read it (`values`), reactions as their rates
 * (reactionRateSeries.ts). The importer renames SBML ids
 * that are reserved words in the engine (t, time, vol) and says how (`renamed`).
 */
import type { SbmlImportResult } from '../model/sbml/index.js';
import type { GeneralTrajectory } from '../simulate/general/types.js';
import { reactionRateSeries } from './reactionRateSeries.js';
import type { SuiteSettings } from './settings.js';

export function trajectorySeries(
  trajectory: GeneralTrajectory,
  settings: SuiteSettings,
  imported: Pick<SbmlImportResult, 'renamed' | 'model'>,
): (variable: string) => Float64Array | undefined {
  const renamed = new Map(Object.entries(imported.renamed));
  const amounts = new Set(settings.amount);
  const concentrations = new Set(settings.concentration);
  return (variable) => {
    const id = renamed.get(variable) ?? variable;
    if (amounts.has(variable)) return trajectory.amounts.get(id) ?? trajectory.values.get(id);
    if (concentrations.has(variable)) return trajectory.concentrations.get(id) ?? trajectory.values.get(id);
    return trajectory.values.get(id) ?? reactionRateSeries(imported.model, trajectory, id);
  };
}
