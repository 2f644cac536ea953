/**
 * Document-level findings: what is not imported but does not change the
 * dynamics (warnings: units, constraints, annotations, notes, packages that
 * are not required, renamed ids) and what would change them (problems:
 * required packages other than comp, which importSbml flattens first).
 */
import type { SbmlProblem } from '../../errors/index.js';
import type { DocumentAttributes } from './documentChecks.js';
import type { SBase, SbmlModel } from './libsbml.js';
import type { SbmlNamespace } from './namespace.js';

/** Something the import did not carry over, or changed, without changing the dynamics. */
export interface SbmlWarning {
  message: string;
  /** The SBML element and its id, when the warning is about one. */
  element?: string;
  id?: string;
  /** 1-based, for warnings from libSBML's consistency checks. */
  line?: number;
  column?: number;
}

const COUNT_UNITS = new Set(['item', 'dimensionless']);

export function collectDocumentWarnings(model: SbmlModel, attributes: DocumentAttributes, ns: SbmlNamespace, problems: SbmlProblem[]): SbmlWarning[] {
  const warnings: SbmlWarning[] = [];
  for (const { prefix, required } of attributes.packages) {
    if (prefix === 'comp') continue; // flattened by importSbml before the model is read
    if (required)
      problems.push({
        kind: 'unsupported',
        element: 'sbml',
        id: prefix,
        message: `the SBML package "${prefix}" is required by the document but not supported`,
      });
    else
      warnings.push({
        element: 'sbml',
        id: prefix,
        message: `the SBML package "${prefix}" is not supported; its elements are ignored (the document marks it not required)`,
      });
  }
  const substanceUnits = new Set<string>();
  if (attributes.modelSubstanceUnits && !COUNT_UNITS.has(attributes.modelSubstanceUnits)) substanceUnits.add(attributes.modelSubstanceUnits);
  for (const s of ns.species) {
    const units = s.sbml.getSubstanceUnits();
    if (units && !COUNT_UNITS.has(units)) substanceUnits.add(units);
  }
  if (substanceUnits.size > 0) {
    warnings.push({
      message: `substance units ${[...substanceUnits].map((u) => `"${u}"`).join(', ')} are kept as written: the ODE simulates amounts and concentrations in them; ssa and tau-leaping convert them to molecule counts (6.022e23 per mole) and say so`,
    });
  }
  const unitDefinitions = Array.from({ length: model.getNumUnitDefinitions() }, (_, i) => model.getUnitDefinition(i).getId());
  if (unitDefinitions.length > 0) {
    warnings.push({
      message: `unit definitions (${unitDefinitions.join(', ')}) are not applied to the numbers, which are taken as written (units are kept for display and for the molecule conversion)`,
    });
  }
  if (model.getNumConstraints() > 0) {
    warnings.push({ message: `${model.getNumConstraints()} constraint${model.getNumConstraints() === 1 ? ' is' : 's are'} not checked during simulation` });
  }
  for (const { what, from, to } of ns.renamed) {
    warnings.push({ element: what, id: from, message: `renamed "${to}" (t, time and vol are reserved names in the engine)` });
  }

  const annotated: string[] = [];
  const noted: string[] = [];
  const visit = (element: SBase, label: string) => {
    if (element.getAnnotationString().trim() || element.getSBOTerm() >= 0) annotated.push(label);
    if (element.isSetNotes() && label !== 'model') noted.push(label);
  };
  visit(model, 'model');
  ns.compartments.forEach((c) => visit(c.sbml, `compartment "${c.sbml.getId()}"`));
  ns.species.forEach((s) => visit(s.sbml, `species "${s.sbml.getId()}"`));
  ns.parameters.forEach((p) => visit(p.sbml, `parameter "${p.sbml.getId()}"`));
  for (let j = 0; j < model.getNumReactions(); j++) visit(model.getReaction(j), `reaction "${model.getReaction(j).getId()}"`);
  for (let k = 0; k < model.getNumEvents(); k++) visit(model.getEvent(k), `event "${model.getEvent(k).getId() || `#${k + 1}`}"`);
  if (annotated.length > 0) warnings.push({ message: `annotations and SBO terms are not imported (on ${listed(annotated)})` });
  if (noted.length > 0) warnings.push({ message: `notes are not imported (on ${listed(noted)}); the model's notes become its description` });
  return warnings;
}

function listed(items: string[], max = 8): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** The text of an XHTML <notes> element. */
export function notesText(xhtml: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return xhtml
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#\d+|#x[0-9a-f]+|\w+);/gi, (m, e: string) =>
      e[0] === '#' ? String.fromCodePoint(Number(e[1] === 'x' || e[1] === 'X' ? `0${e.slice(1)}` : e.slice(1))) : (entities[e] ?? m),
    )
    .replace(/\s+/g, ' ')
    .trim();
}
