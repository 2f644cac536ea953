import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { EngineError } from '../../errors/index.js';
import type { BlackBoxSimulatorSpec } from './spec.js';
import { BlackBoxSpecError } from './specError.js';

/**
 * What a run stores of its black-box simulator, so that the run can be
 * inspected and resumed from any folder: the spec with absolute paths, and
 * the SHA-256 of every local file it runs (the module; for a command, the
 * program when given as a path and every argument naming an existing file,
 * such as the script of `python3 sim.py`).
 */
export interface SimulatorFile {
  readonly path: string;
  readonly role: 'module' | 'program' | 'argument';
  readonly sha256: string;
}

export interface StoredSimulator {
  readonly spec: BlackBoxSimulatorSpec;
  readonly files: readonly SimulatorFile[];
}

const hashFile = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

const isFile = (path: string) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/**
 * The spec with absolute paths: the module's path, and the command's cwd
 * (default: the current folder, where the command would have run). A
 * shipped module's text and hash (filled in by executors) are dropped.
 */
export function absoluteSpec(spec: BlackBoxSimulatorSpec, base = process.cwd()): BlackBoxSimulatorSpec {
  if (spec.kind === 'module') {
    const { source: _source, sha256: _sha256, ...rest } = spec;
    return { ...rest, path: resolve(base, spec.path) };
  }
  return { ...spec, cwd: resolve(base, spec.cwd ?? '.') };
}

/**
 * The local files the simulator of `spec` runs, hashed. Command arguments
 * count when they name an existing file relative to the command's cwd; the
 * program counts when it is a path (`./sim.sh`, `bin/sim`), since a bare
 * name is looked up on PATH. Throws BlackBoxSpecError for an unreadable module.
 */
export function simulatorFiles(spec: BlackBoxSimulatorSpec): SimulatorFile[] {
  if (spec.kind === 'module') {
    const path = resolve(spec.path);
    try {
      return [{ path, role: 'module', sha256: hashFile(path) }];
    } catch (error) {
      throw new BlackBoxSpecError(path, [{ path: 'simulator.path', message: `cannot read the module: ${(error as Error).message}` }]);
    }
  }
  const cwd = resolve(spec.cwd ?? '.');
  const files: SimulatorFile[] = [];
  const [program, ...args] = spec.command;
  if (/[\\/]/.test(program) && isFile(resolve(cwd, program)))
    files.push({ path: resolve(cwd, program), role: 'program', sha256: hashFile(resolve(cwd, program)) });
  for (const arg of args) {
    if (arg.startsWith('-')) continue;
    const path = resolve(cwd, arg);
    if (isFile(path) && !files.some((f) => f.path === path)) files.push({ path, role: 'argument', sha256: hashFile(path) });
  }
  return files;
}

/** The spec (absolute paths) and the hashes of its files, as a run stores them. */
export function storedSimulator(spec: BlackBoxSimulatorSpec, base = process.cwd()): StoredSimulator {
  const absolute = absoluteSpec(spec, base);
  return { spec: absolute, files: simulatorFiles(absolute) };
}

/**
 * A simulator file that changed (or vanished) since the run that recorded
 * it: resuming would mix two simulators in one posterior. `details.file`
 * names the file.
 */
export class SimulatorChangedError extends EngineError {
  constructor(
    readonly file: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super('SIMULATOR_CHANGED', message, { file, ...details });
  }
}

const ROLE: Record<SimulatorFile['role'], string> = { module: "the simulator's module", program: "the simulator's program", argument: "the simulator's file" };

/** Check every stored file against its hash; throws SimulatorChangedError naming the first that differs. */
export function verifySimulatorFiles(files: readonly SimulatorFile[], context: string): void {
  for (const file of files) {
    let now: string;
    try {
      now = hashFile(file.path);
    } catch (error) {
      throw new SimulatorChangedError(
        file.path,
        `${context}: ${ROLE[file.role]} ${file.path} cannot be read any more (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); restore it, or start a new run`,
        { role: file.role, stored: file.sha256 },
      );
    }
    if (now !== file.sha256) {
      throw new SimulatorChangedError(
        file.path,
        `${context}: ${ROLE[file.role]} ${file.path} changed since the run started (sha256 ${file.sha256.slice(0, 12)}... then, ${now.slice(0, 12)}... now); resuming would mix two simulators in one posterior: restore the file, or start a new run`,
        { role: file.role, stored: file.sha256, current: now },
      );
    }
  }
}
