/**
 * SBML Level 2 and 3 core → the engine's reaction network.
 *
 * `importSbml` flattens a hierarchical (comp) document to SBML core
 * (comp/flattenComp.ts), reads it with libSBML, stops at XML or SBML errors
 * (with line and column), runs libSBML's consistency checks (errors stop the
 * import, warnings are returned), maps the model (mapModel.ts) and validates
 * the result (validateModel). It either returns the model with every warning,
 * or throws one SbmlImportError listing every problem: nothing is dropped
 * silently and nothing is printed.
 */
import { ModelValidationError, SbmlImportError, type SbmlProblem } from '../../errors/index.js';
import type { ReactionNetwork } from '../schema.js';
import { validateModel } from '../validate.js';
import { documentAttributes } from './documentChecks.js';
import { readErrorLog, specificPart, type LogRecord } from './errorLog.js';
import { checkXmlShape } from './xmlShape.js';
import { flattenComp, usesComp } from './comp/index.js';
import { loadLibsbml, type LibsbmlModule, type LibsbmlWasm, type SbmlDocument } from './libsbml.js';
import { mapModel } from './mapModel.js';
import type { SbmlWarning } from './warnings.js';

export interface SbmlImportOptions {
  /**
   * The libSBML wasm binary (libsbmljs_stable/libsbml.wasm): a file path, also
   * inside an Electron asar archive, or its bytes. Only the first import in a
   * process loads it; later ones reuse the module.
   */
  wasm: LibsbmlWasm;
  /** Names the document in messages, e.g. its file name. */
  source?: string;
  /**
   * Reads a document an SBML comp externalModelDefinition refers to (its
   * `source` href, e.g. a file in the same folder); undefined when it cannot.
   * Without it, external model definitions cannot be resolved.
   */
  readExternal?: (href: string) => string | undefined;
}

export interface SbmlImportResult {
  model: ReactionNetwork;
  warnings: SbmlWarning[];
  /** SBML ids the engine reserves (t, time, vol) → the names they got in the model, e.g. { time: 'time_' }; empty when none was renamed. */
  renamed: Record<string, string>;
}

/**
 * libSBML's check categories reported as warnings, never stopping an import:
 * unit consistency (units are taken as written) and SBO terms (annotations
 * that do not change the mathematics; curated models often carry outdated
 * ones, which COPASI and libRoadRunner accept too).
 */
const WARNING_CATEGORIES = ['LIBSBML_CAT_UNITS_CONSISTENCY', 'LIBSBML_CAT_SBO_CONSISTENCY', 'LIBSBML_CAT_MODELING_PRACTICE'] as const;
/** libSBML checks that only say units are undeclared or could not be checked: summarised in one warning. */
const UNDECLARED_UNITS = new Set([20511, 20512, 20513, 20616, 20702, 80701, 99505, 99506, 99507, 99508]);
/** "Compartment has no size": mapModel says so itself, with what it assumes. */
const COMPARTMENT_WITHOUT_SIZE = 80501;
/** A unit reference that names no unit definition: units are only displayed, so a warning. */
const UNKNOWN_UNIT_REFERENCE = 10313;
/**
 * Circular definitions through kinetic laws. libSBML 5.18 also reports a
 * kinetic law whose local parameter has its own reaction's id, which SBML
 * Level 3 Version 2 allows (Test Suite case 01799); a real cycle through
 * reaction rates is reported by the importer itself (mappingContext.ts).
 */
const CIRCULAR_DEPENDENCY = 20906;

/** libSBML errors the importer takes as warnings (see above). */
function isToleratedError(record: LogRecord): boolean {
  if (record.errorId === UNKNOWN_UNIT_REFERENCE) return true;
  return record.errorId === CIRCULAR_DEPENDENCY && /^The Reaction with id /.test(specificPart(record.message));
}

export async function importSbml(original: string, options: SbmlImportOptions): Promise<SbmlImportResult> {
  checkXmlShape(original, options.source);
  // A hierarchical (comp) model is flattened to SBML core first; every other document is read as it is.
  const xml = usesComp(original) ? flattenComp(original, { source: options.source, readExternal: options.readExternal }) : original;
  const module = await loadLibsbml(options.wasm);
  const reader = new module.SBMLReader();
  let document: SbmlDocument | undefined;
  try {
    document = reader.readSBMLFromString(xml);
    return convertDocument(module, document, xml, options.source);
  } finally {
    if (document) module.destroy(document);
    module.destroy(reader);
  }
}

function convertDocument(module: LibsbmlModule, document: SbmlDocument, xml: string, source: string | undefined): SbmlImportResult {
  const model = document.getModel();
  const hasModel = model !== null && model !== undefined && model.ptr !== 0;
  const readProblems = readErrorLog(module, document, hasModel ? 'warning' : 'error')
    .filter(isError)
    .map(toProblem);
  if (readProblems.length > 0) throw new SbmlImportError(readProblems, source);
  if (!hasModel) throw new SbmlImportError([{ kind: 'sbml', message: 'the document has no <model>' }], source);
  const level = document.getLevel();
  if (level < 2) {
    throw new SbmlImportError(
      [{ kind: 'unsupported', element: 'sbml', message: `SBML Level ${level} is not supported; convert the document to Level 2 or 3` }],
      source,
    );
  }

  document.checkConsistency();
  const problems: SbmlProblem[] = [];
  const warnings: SbmlWarning[] = [];
  const undeclaredUnits = new Set<number>();
  for (const record of readErrorLog(module, document, 'warning')) {
    const warningCategory = WARNING_CATEGORIES.some((name) => record.category === module[name]);
    if (isError(record) && !warningCategory && !isToleratedError(record)) problems.push(toProblem(record));
    else if (record.errorId !== undefined && UNDECLARED_UNITS.has(record.errorId)) undeclaredUnits.add(record.line ?? 0);
    else if (record.errorId !== COMPARTMENT_WITHOUT_SIZE) warnings.push({ message: `libSBML: ${specificPart(record.message)}`, ...position(record) });
  }
  warnings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  if (undeclaredUnits.size > 0) {
    const lines = [...undeclaredUnits].filter((l) => l > 0).sort((a, b) => a - b);
    const shown = lines.length > 8 ? `${lines.slice(0, 8).join(', ')}... (${lines.length} lines)` : lines.join(', ');
    warnings.unshift({
      message: `libSBML: units are undeclared, so unit consistency could not be fully checked${lines.length ? ` (line ${shown})` : ''}; numbers are taken as written`,
    });
  }

  const mapped = mapModel(module, model, documentAttributes(xml), level, document.getVersion(), xml);
  problems.push(...mapped.problems);
  if (problems.length > 0) throw new SbmlImportError(problems, source);
  try {
    return { model: validateModel(mapped.network, source), warnings: [...mapped.warnings, ...warnings], renamed: mapped.renamed };
  } catch (error) {
    if (!(error instanceof ModelValidationError)) throw error;
    // The engine's own rules for what the SBML maps to (e.g. the form of time triggers).
    throw new SbmlImportError(
      error.issues.map((issue) => ({ kind: 'unsupported', element: `imported ${issue.path}`, message: issue.message })),
      source,
    );
  }
}

function isError(record: LogRecord): boolean {
  return record.severity === 'error' || record.severity === 'fatal';
}

function toProblem(record: LogRecord): SbmlProblem {
  const kind = record.errorId !== undefined && record.errorId < 10000 ? 'xml' : 'sbml';
  return { kind, message: specificPart(record.message), ...position(record) };
}

function position(record: LogRecord): { line?: number; column?: number } {
  return { ...(record.line !== undefined ? { line: record.line } : {}), ...(record.column !== undefined ? { column: record.column } : {}) };
}
