/**
 * Where a case's files are: `<folder>/NNNNN/NNNNN-settings.txt`, `-results.csv`,
 * `-model.m` and `-sbml-lXvY.xml` (the suite's layout). `<folder>` may be the
 * suite's root; its `semantic` subfolder is then used.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { EngineError } from '../errors/index.js';
import { SuiteFileError } from './suiteFileError.js';

/** The folder that holds the NNNNN case folders: `folder` itself, or its `semantic` subfolder. */
export function resolveCasesFolder(folder: string): string {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new EngineError('SBML_SUITE_FOLDER', `${folder}: no such folder`);
  const semantic = join(folder, 'semantic');
  if (listCaseIds(folder).length === 0 && existsSync(semantic) && statSync(semantic).isDirectory()) return semantic;
  return folder;
}

/** The ids (NNNNN) of the case folders in `folder`, sorted. */
export function listCaseIds(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d{5}$/.test(entry.name))
    .map((entry) => entry.name)
    .sort();
}

export function caseFolder(folder: string, id: string): string {
  return join(folder, id);
}

/** Read `<id>-<suffix>` of a case; a missing file is a SuiteFileError naming it. */
export function readCaseFile(folder: string, id: string, suffix: string): { text: string; file: string } {
  const file = join(folder, id, `${id}-${suffix}`);
  if (!existsSync(file)) throw new SuiteFileError(file, 'no such file');
  return { text: readFileSync(file, 'utf8'), file };
}

/** The case's SBML file at the highest level and version it offers (l3v2 before l3v1 before l2v5...). */
export function modelFile(folder: string, id: string): string {
  const dir = join(folder, id);
  let best: { file: string; rank: number } | undefined;
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const match = new RegExp(`^${id}-sbml-l(\\d+)v(\\d+)\\.xml$`).exec(name);
    if (!match) continue;
    const rank = Number(match[1]) * 100 + Number(match[2]);
    if (!best || rank > best.rank) best = { file: join(dir, name), rank };
  }
  if (!best) throw new SuiteFileError(dir, `no ${id}-sbml-lXvY.xml model file`);
  return best.file;
}

/**
 * Reads a file a comp externalModelDefinition names (`source`), relative to the
 * case's folder; undefined when absent or when it would leave that folder.
 */
export function externalModelReader(folder: string, id: string): (href: string) => string | undefined {
  const dir = resolve(folder, id);
  return (href) => {
    const path = resolve(dir, href.replace(/^file:(\/\/)?/, ''));
    const inside = relative(dir, path);
    if (inside.startsWith('..') || isAbsolute(inside) || !existsSync(path)) return undefined;
    return readFileSync(path, 'utf8');
  };
}
