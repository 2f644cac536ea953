import { extname, resolve } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { exampleNames, getExample, validateModel, type ReactionNetwork } from '../model/index.js';
import { importSbml, type SbmlImportResult, type SbmlWarning } from '../model/sbml/index.js';
import type { ReactionNetworkInput } from '../model/schema.js';
import { expandHome } from '../paths/index.js';
import { blackBoxModel, type BlackBoxSimulatorSpec } from '../simulate/blackbox/spec.js';
import { InputFileError, readJsonFile } from './jsonFile.js';

/** Extensions read as SBML; anything else is the JSON model format. */
export const SBML_EXTENSIONS = new Set(['.xml', '.sbml']);

/** Warnings shown on stderr before the rest are summarised (all of them: `sciope import`). */
const MAX_WARNINGS_SHOWN = 10;

/** The libSBML wasm binary shipped with libsbmljs_stable. */
export function libsbmlWasmPath(): string {
  return createRequire(import.meta.url).resolve('libsbmljs_stable/libsbml.wasm');
}

/** Read an SBML file and import it; errors name the file (and the line and column for malformed XML). */
export async function importSbmlFile(file: string): Promise<SbmlImportResult> {
  let xml: string;
  try {
    xml = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputFileError(file, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, expected an SBML file' : (error as Error).message);
  }
  return importSbml(xml, { wasm: libsbmlWasmPath(), source: file });
}

/** One line per warning: `line 12, column 6: species "X": message`. */
export function formatSbmlWarning(warning: SbmlWarning): string {
  const at = warning.line !== undefined ? `line ${warning.line}${warning.column !== undefined ? `, column ${warning.column}` : ''}: ` : '';
  const element = warning.element ? `${warning.element}${warning.id !== undefined ? ` "${warning.id}"` : ''}: ` : '';
  return `${at}${element}${warning.message}`;
}

export interface LoadModelOptions {
  /** Where SBML import warnings go, one line each; stderr by default. */
  warn?: (line: string) => void;
}

/**
 * Resolve the CLI's model argument: a built-in example name, a path to a
 * model JSON file, or an SBML file (.xml, .sbml), whose import warnings are
 * written to stderr. Validation errors name the file and the field.
 */
export async function loadModelArgument(argument: string, options: LoadModelOptions = {}): Promise<ReactionNetwork> {
  const example = getExample(argument);
  if (example && !existsSync(argument)) return validateModel(example, `example ${argument}`);
  if (SBML_EXTENSIONS.has(extname(argument).toLowerCase())) {
    const { model, warnings } = await importSbmlFile(argument);
    const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
    for (const warning of warnings.slice(0, MAX_WARNINGS_SHOWN)) warn(`sciope: warning: ${argument}: ${formatSbmlWarning(warning)}`);
    if (warnings.length > MAX_WARNINGS_SHOWN) {
      warn(`sciope: warning: ${argument}: ${warnings.length - MAX_WARNINGS_SHOWN} more warnings (\`sciope import ${argument}\` lists them all)`);
    }
    return model;
  }
  if (!existsSync(argument)) {
    throw new InputFileError(argument, `no such file, and not a built-in example (examples: ${exampleNames().join(', ')})`);
  }
  return validateModel(readJsonFile(argument), argument);
}

/** How a study or an exploration session names its model (paths relative to its file). */
export type ModelReference = string | { example: string } | { file: string } | { simulator: unknown };

/**
 * The model a study or session file names: a black-box simulator's declared
 * interface (`simulator`, as the file's parser resolved it), an example, or
 * a model JSON or SBML file relative to `base`; a bare name that is no file
 * there but an example is the example.
 */
export async function loadReferencedModel(
  reference: ModelReference,
  simulator: BlackBoxSimulatorSpec | undefined,
  base: string,
): Promise<ReactionNetworkInput> {
  if (typeof reference === 'object' && 'simulator' in reference) return blackBoxModel(simulator ?? (reference.simulator as BlackBoxSimulatorSpec));
  if (typeof reference === 'object' && 'example' in reference) return loadModelArgument(reference.example);
  const path = resolve(base, expandHome(typeof reference === 'string' ? reference : reference.file));
  if (typeof reference === 'string' && !existsSync(path) && getExample(reference)) return loadModelArgument(reference);
  return loadModelArgument(path);
}
