/**
 * Which substance unit each species of a model is in, and the unit of
 * reaction extent: the caller's override, else the species' own unit, else
 * the model's substance unit, else none (then amounts are taken as counts,
 * F = 1, and the report says so).
 */
import { SimulationSettingsError } from '../../errors/index.js';
import type { ReactionNetwork } from '../schema.js';
import type { SpeciesConversion } from './conversionReport.js';
import { readSubstanceUnit, type SubstanceUnit } from './substanceUnits.js';

export interface ModelUnits {
  /** By species id: its unit and where it came from. */
  readonly species: ReadonlyMap<string, { unit: SubstanceUnit; from: SpeciesConversion['unitFrom'] }>;
  /** The unit of reaction extent (F_E = its moleculesPerUnit). */
  readonly extent: SubstanceUnit;
  /** What the report should say about units read as counts. */
  readonly notes: readonly string[];
}

/** One molecule per unit: items, or amounts without a unit. */
export const COUNTS: SubstanceUnit = { moleculesPerUnit: 1, symbol: 'molecule', known: true };

/** The caller's override: a unit, or molecules per unit (a finite number > 0). Unlike a unit in the model, one the caller names must be known. */
function overrideUnit(option: string | number | undefined): SubstanceUnit | undefined {
  if (option === undefined) return undefined;
  if (typeof option === 'string') {
    const unit = readSubstanceUnit(option);
    if (!unit.known)
      throw new SimulationSettingsError(
        'substanceUnit',
        `unknown substance unit "${option}"; expected mol with an SI prefix (mol, mmol, µmol, nmol...), item, or molecules per unit (a number > 0)`,
      );
    return unit;
  }
  if (!(Number.isFinite(option) && option > 0))
    throw new SimulationSettingsError('substanceUnit', `expected molecules per unit (a finite number > 0), got ${option}`);
  return { moleculesPerUnit: option, symbol: `unit of ${option} molecules`, known: true };
}

export function modelUnits(model: ReactionNetwork, option: string | number | undefined): ModelUnits {
  const notes: string[] = [];
  const note = (text: string | undefined) => {
    if (text !== undefined && !notes.includes(text)) notes.push(text);
  };
  const override = overrideUnit(option);
  const modelUnit = model.units?.substance !== undefined ? readSubstanceUnit(model.units.substance) : undefined;
  const species = new Map<string, { unit: SubstanceUnit; from: SpeciesConversion['unitFrom'] }>();
  for (const s of model.species) {
    const found = override
      ? { unit: override, from: 'option' as const }
      : s.units !== undefined
        ? { unit: readSubstanceUnit(s.units), from: 'species' as const }
        : modelUnit
          ? { unit: modelUnit, from: 'model' as const }
          : { unit: COUNTS, from: 'none' as const };
    note(found.unit.note);
    species.set(s.id, found);
  }
  const unitless = model.species.filter((s) => species.get(s.id)!.from === 'none').map((s) => s.id);
  if (unitless.length > 0)
    note(
      `no substance unit for ${unitless.length === model.species.length ? 'any species' : unitless.join(', ')}: amounts are taken as molecule counts (F = 1)`,
    );

  // F_E: the override, the model's extent unit, its substance unit, else the one unit all species share, else molecules.
  let extent: SubstanceUnit;
  if (override) extent = override;
  else if (model.units?.extent !== undefined) extent = readSubstanceUnit(model.units.extent);
  else if (modelUnit) extent = modelUnit;
  else {
    const units = [...species.values()].map((u) => u.unit);
    const distinct = new Set(units.map((u) => u.moleculesPerUnit));
    extent = distinct.size === 1 ? units[0] : COUNTS;
    if (distinct.size > 1) note('species have different substance units and the model names no extent unit: reaction rates are read in molecules per time');
  }
  note(extent.note);
  return { species, extent, notes };
}
