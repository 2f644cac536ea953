import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BlackBoxFunction } from './ModuleSimulator.js';
import { BlackBoxSpecError, type ModuleSimulatorSpec } from './spec.js';

/**
 * Import the simulator module of `spec` (a path, relative to the current
 * directory unless absolute) and return its simulate function.
 */
export async function loadBlackBoxFunction(spec: ModuleSimulatorSpec): Promise<BlackBoxFunction> {
  const file = spec.source !== undefined ? storeShippedModule(spec) : isAbsolute(spec.path) ? spec.path : resolve(spec.path);
  const name = spec.export ?? 'simulate';
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new BlackBoxSpecError(file, [
      { path: 'simulator.path', message: `cannot load the module: ${error instanceof Error ? error.message : String(error)}` },
    ]);
  }
  const fn = module[name] ?? (module.default as Record<string, unknown> | undefined)?.[name];
  if (typeof fn !== 'function') {
    const exported = Object.keys(module).join(', ') || '(nothing)';
    throw new BlackBoxSpecError(file, [{ path: 'simulator.export', message: `the module exports no function "${name}" (it exports ${exported})` }]);
  }
  return fn as BlackBoxFunction;
}

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/**
 * A module shipped inside the job (see inlineModuleSource): written once to
 * `simulator-<sha256 prefix>.mjs` in SCIOPE_SIMULATOR_DIR (the remote
 * worker's own folder) or the temporary folder, checked against its hash.
 * Like any single-file upload, it must not import sibling files: bundle a
 * multi-file simulator first (esbuild --bundle --format=esm).
 */
function storeShippedModule(spec: ModuleSimulatorSpec): string {
  const source = spec.source!;
  const hash = sha256(source);
  if (spec.sha256 !== undefined && spec.sha256 !== hash) {
    throw new BlackBoxSpecError(spec.path, [
      {
        path: 'simulator.source',
        message: `the shipped module does not match its hash (${spec.sha256.slice(0, 16)}... expected, ${hash.slice(0, 16)}... received)`,
      },
    ]);
  }
  const dir = process.env.SCIOPE_SIMULATOR_DIR ?? join(tmpdir(), 'sciope-simulators');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `simulator-${hash.slice(0, 16)}.mjs`);
  if (!existsSync(file) || sha256(readFileSync(file)) !== hash) {
    const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.partial`;
    writeFileSync(partial, source);
    renameSync(partial, file);
  }
  return file;
}

const inlined = new WeakMap<object, object>();

/**
 * The job with its module simulator's text and hash inside (cached per job
 * object, so executors that key jobs by identity still see one job): what
 * the SSH pool sends, since the file does not exist on the nodes.
 */
export function inlineModuleSource<J extends { readonly simulator?: { readonly kind: string } }>(job: J): J {
  const simulator = job.simulator as ModuleSimulatorSpec | undefined;
  if (!simulator || simulator.kind !== 'module' || simulator.source !== undefined) return job;
  let result = inlined.get(job) as J | undefined;
  if (!result) {
    const path = isAbsolute(simulator.path) ? simulator.path : resolve(simulator.path);
    let source: string;
    try {
      source = readFileSync(path, 'utf8');
    } catch (error) {
      throw new BlackBoxSpecError(path, [{ path: 'simulator.path', message: `cannot read the module: ${(error as Error).message}` }]);
    }
    result = { ...job, simulator: { ...simulator, path, source, sha256: sha256(source) } };
    inlined.set(job, result);
  }
  return result;
}
