/**
 * An SBML model (read by libSBML) → the engine's reaction-network JSON in
 * the extended format (schema.ts), which holds SBML's semantics itself:
 * - compartments → `compartments` (size, constant, dimensions); `volume` is
 *   the size of the only compartment where there is one, else 1;
 * - species → `species`: `initial` the initial amount (initialAmount, or
 *   initialConcentration × size: a number when the size is a known
 *   constant, else the expression `c * C`), `amountOnly` from
 *   hasOnlySubstanceUnits, `boundary`, `constant`, `conversionFactor`;
 * - parameters, local parameters renamed `<reaction>_<id>`, and species
 *   references with ids (their stoichiometry) → `parameters`;
 * - reactions (mapReactions.ts), rules and initial assignments
 *   (mapRules.ts), events (mapEvents.ts); function definitions are inlined
 *   and MathML converted by mathml.ts.
 * Problems (unsupported constructs, with their SBML element and id) are
 * collected, never thrown one by one: the caller refuses the whole model.
 */
import type { SbmlProblem } from '../../errors/index.js';
import type { CompartmentSpec, ParameterSpec, ReactionNetworkInput, SpeciesSpec } from '../schema.js';
import type { DocumentAttributes } from './documentChecks.js';
import type { LibsbmlModule, SbmlModel } from './libsbml.js';
import { MappingContext } from './mappingContext.js';
import { mapEvents } from './mapEvents.js';
import { mapReactions } from './mapReactions.js';
import { idsSetByMath, mapInitialAssignments, mapRules } from './mapRules.js';
import type { CompartmentSymbol, SpeciesSymbol } from './namespace.js';
import { UnitNames } from './unitNames.js';
import { collectDocumentWarnings, notesText, type SbmlWarning } from './warnings.js';

export interface MappedModel {
  network: ReactionNetworkInput;
  warnings: SbmlWarning[];
  problems: SbmlProblem[];
  /** SBML id → engine name, for ids the engine reserves. */
  renamed: Record<string, string>;
}

export function mapModel(module: LibsbmlModule, model: SbmlModel, attributes: DocumentAttributes, level: number, version = 1, xml = ''): MappedModel {
  const context = new MappingContext(module, model, level, version, xml);
  const units = new UnitNames(xml);
  context.warnings.push(...collectDocumentWarnings(model, attributes, context.ns, context.problems));
  const setByMath = idsSetByMath(context);
  const rules = mapRules(context);
  const initialAssignments = mapInitialAssignments(context);
  const compartments = context.ns.compartments.map((c) => mapCompartment(context, c, setByMath, units));
  const species = context.ns.species.map((s) => mapSpecies(context, s, setByMath, units));
  const { reactions, stoichiometryParameters } = mapReactions(context, attributes.fastReactions, setByMath);
  const parameters = [...mapParameters(context, setByMath, units), ...stoichiometryParameters];
  const events = mapEvents(context);

  const name = model.getName().trim() || model.getId() || 'model';
  const only = compartments.length === 1 ? compartments[0] : undefined;
  const volume = only && Number.isFinite(only.size) && only.size > 0 ? only.size : 1;
  const network: ReactionNetworkInput = { name, volume, compartments, species, parameters, reactions, rules, initialAssignments, events };
  if (attributes.modelConversionFactor)
    network.conversionFactor = conversionFactor(context, attributes.modelConversionFactor, { element: 'model', id: model.getId() });
  const modelUnits = units.modelUnits(attributes);
  if (modelUnits) network.units = modelUnits;
  const notes = model.isSetNotes() ? notesText(model.getNotesString()) : '';
  if (notes) network.description = notes;
  const renamed = Object.fromEntries(context.ns.renamed.map(({ from, to }) => [from, to]));
  return { network, warnings: context.warnings, problems: context.problems, renamed };
}

function mapCompartment(context: MappingContext, c: CompartmentSymbol, setByMath: ReadonlySet<string>, units: UnitNames): CompartmentSpec {
  const id = c.sbml.getId();
  const dimensions = context.level >= 3 && !c.sbml.isSetSpatialDimensions() ? 3 : c.sbml.getSpatialDimensions();
  // Level 2 defaults an unset size to 1 (libSBML reports it so); Level 3 has no default.
  let size = c.sbml.isSetSize() || context.level < 3 ? c.sbml.getSize() : NaN;
  if (!Number.isFinite(size)) {
    if (!setByMath.has(id) && dimensions !== 0) context.warn({ element: 'compartment', id }, 'no size given; taken as 1');
    size = 1;
  }
  const spec: CompartmentSpec = {
    id: c.engineId,
    size,
    constant: c.sbml.getConstant(),
    dimensions: Number.isInteger(dimensions) && dimensions >= 0 && dimensions <= 3 ? dimensions : 3,
  };
  // Only dimension 0 (no size) changes the semantics; any other value is a size used the same way.
  if (spec.dimensions !== dimensions)
    context.warn({ element: 'compartment', id }, `spatialDimensions ${dimensions} is recorded as 3 (its size is used the same way)`);
  const unit = units.of(c.sbml.getUnits());
  if (unit) spec.units = unit;
  if (c.sbml.getName().trim()) spec.name = c.sbml.getName().trim();
  return spec;
}

function mapSpecies(context: MappingContext, s: SpeciesSymbol, setByMath: ReadonlySet<string>, units: UnitNames): SpeciesSpec {
  const id = s.sbml.getId();
  const where = { element: 'species', id };
  const spec: SpeciesSpec = { id: s.engineId, initial: 0 };
  if (s.compartment) spec.compartment = s.compartment.engineId;
  else if (s.sbml.getCompartment()) context.report(where, `unknown compartment "${s.sbml.getCompartment()}"`, 'sbml');
  // In a compartment of dimension 0 without a size there is no concentration: the name means the amount.
  // (With a size, SBML Level 3 Version 2 uses it like any other: Test Suite case 01809.)
  const zeroDimensional = s.compartment !== undefined && s.compartment.sbml.getSpatialDimensions() === 0 && !s.compartment.sbml.isSetSize();
  spec.amountOnly = s.sbml.getHasOnlySubstanceUnits() || zeroDimensional || s.compartment === undefined;
  if (s.sbml.isSetInitialAmount()) spec.initial = s.sbml.getInitialAmount();
  else if (s.sbml.isSetInitialConcentration() && s.compartment && !zeroDimensional) {
    const concentration = s.sbml.getInitialConcentration();
    const c = s.compartment;
    const constantSize = c.sbml.getConstant() && !setByMath.has(c.sbml.getId()) && (c.sbml.isSetSize() || context.level < 3);
    spec.initial = constantSize ? concentration * c.sbml.getSize() : `${concentration} * ${c.engineId}`;
  } else if (!setByMath.has(id)) context.warn(where, 'no initial amount or concentration given; taken as 0');
  if (!Number.isFinite(spec.initial as number) && typeof spec.initial === 'number') {
    context.report(where, `initial amount ${spec.initial} is not a finite number`, 'sbml');
    spec.initial = 0;
  }
  if (s.sbml.getBoundaryCondition()) spec.boundary = true;
  if (s.sbml.getConstant()) spec.constant = true;
  if (s.sbml.isSetConversionFactor()) spec.conversionFactor = conversionFactor(context, s.sbml.getConversionFactor(), where);
  const unit = units.of(s.sbml.getSubstanceUnits());
  if (unit) spec.units = unit;
  if (s.sbml.getName().trim()) spec.name = s.sbml.getName().trim();
  return spec;
}

/** The engine name of a conversion factor's parameter. */
function conversionFactor(context: MappingContext, id: string, where: { element: string; id: string }): string {
  const symbol = context.ns.symbols.get(id);
  if (symbol?.kind === 'parameter') return symbol.engineId;
  context.report(where, `conversionFactor "${id}" is not a parameter of the model`, 'sbml');
  return id;
}

function mapParameters(context: MappingContext, setByMath: ReadonlySet<string>, units: UnitNames): ParameterSpec[] {
  const spec = (engineId: string, value: number, name: string, constant: boolean, unit: string): ParameterSpec => ({
    id: engineId,
    value,
    ...(constant ? {} : { constant: false }),
    ...(units.of(unit) ? { units: units.of(unit) } : {}),
    ...(name.trim() ? { name: name.trim() } : {}),
  });
  const globals = context.ns.parameters.map((p) => {
    let value = p.sbml.isSetValue() ? p.sbml.getValue() : NaN;
    if (!Number.isFinite(value)) {
      const id = p.sbml.getId();
      if (!p.sbml.isSetValue() && !setByMath.has(id) && p.sbml.getConstant()) context.warn({ element: 'parameter', id }, 'no value given; taken as 0');
      else if (p.sbml.isSetValue()) context.report({ element: 'parameter', id }, `value ${value} is not a finite number`);
      value = 0;
    }
    return spec(p.engineId, value, p.sbml.getName(), p.sbml.getConstant(), p.sbml.getUnits());
  });
  const locals = context.ns.localParameters().map((p) => {
    const value = p.sbml.isSetValue() ? p.sbml.getValue() : NaN;
    if (!Number.isFinite(value))
      context.report(
        { element: 'localParameter', id: `${p.reaction}/${p.sbml.getId()}` },
        p.sbml.isSetValue() ? `value ${value} is not a finite number` : 'no value given',
        'sbml',
      );
    return spec(p.engineId, Number.isFinite(value) ? value : 0, p.sbml.getName(), true, p.sbml.getUnits());
  });
  return [...globals, ...locals];
}
