import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The worker as one self-contained ES module (engine code, zod; no native
 * modules), built with esbuild on first use and cached under a name derived
 * from its content hash. The same file is what the SSH pool uploads.
 *
 * Where the engine runs bundled (the Electron app, packaged or not; the CLI's
 * bundle in out/cli) its .ts sources are not at hand, or building at run time
 * would cost the start-up the bundle saves: `npm run build` writes the bundles
 * ahead of time (build/workerBundle.mjs, via writeWorkerBundle) and
 * $SCIOPE_WORKER_BUNDLE_DIR names the folder holding `<entry>.mjs`.
 */
const cache = new Map<string, Promise<string>>();

/** Each worker bundle: its entry module (relative to this file) and the packages it leaves external. */
const WORKER_SOURCES = {
  // piscina stays external: its move() marks results with a module-private symbol, so the
  // worker must share the pool's copy of piscina.
  threadWorker: { source: './threadWorker.ts', external: ['piscina'] },
  remoteWorker: { source: './remoteWorker.ts', external: [] },
  // TensorFlow.js stays external in the compute thread: its WASM backend finds its .wasm files only from its own package.
  computeWorker: { source: '../thread/computeWorker.ts', external: ['@tensorflow/*'] },
} satisfies Record<string, { source: string; external: string[] }>;

export type WorkerEntry = keyof typeof WORKER_SOURCES;

/** Every worker bundle, for the builds that write them all ahead of time (build/workerBundle.mjs, build/cliBundle.mjs). */
export const WORKER_ENTRIES = Object.keys(WORKER_SOURCES) as WorkerEntry[];

export function workerBundlePath(entry: WorkerEntry = 'threadWorker'): Promise<string> {
  let pending = cache.get(entry);
  if (!pending) {
    const prebuilt = process.env.SCIOPE_WORKER_BUNDLE_DIR;
    pending = prebuilt ? prebuiltBundle(prebuilt, entry) : bundle(entry);
    cache.set(entry, pending);
    pending.catch(() => cache.delete(entry));
  }
  return pending;
}

async function prebuiltBundle(dir: string, entry: WorkerEntry): Promise<string> {
  const file = join(dir, `${entry}.mjs`);
  if (!existsSync(file)) throw new Error(`worker bundle ${file} is missing ($SCIOPE_WORKER_BUNDLE_DIR); run \`npm run build\``);
  return file;
}

async function bundleCode(entry: WorkerEntry): Promise<Uint8Array> {
  const source = fileURLToPath(new URL(WORKER_SOURCES[entry].source, import.meta.url));
  // Imported on demand: the bundled app never loads esbuild (or its native binary).
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [source],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    minify: false,
    sourcemap: false,
    logLevel: 'silent',
    external: WORKER_SOURCES[entry].external,
    banner: { js: "import { createRequire as __sciopeRequire } from 'node:module'; const require = __sciopeRequire(import.meta.url);" },
  });
  return result.outputFiles[0].contents;
}

/** Write `<entry>.mjs` into `dir` (for build/workerBundle.mjs); returns its path. */
export async function writeWorkerBundle(entry: WorkerEntry, dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${entry}.mjs`);
  writeFileSync(file, await bundleCode(entry));
  return file;
}

async function bundle(entry: WorkerEntry): Promise<string> {
  const code = await bundleCode(entry);
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  // Inside the project's node_modules so that the external 'piscina' resolves to the same copy the pool runs.
  const dir = fileURLToPath(new URL('../../../node_modules/.cache/sciope-worker/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${entry}-${hash}.mjs`);
  if (!existsSync(file) || createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16) !== hash) {
    // Write then rename, so a concurrent reader never sees half a file.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  }
  return file;
}
