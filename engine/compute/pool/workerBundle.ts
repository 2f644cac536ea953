import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * The worker as one self-contained ES module (engine code, zod; no native
 * modules), built with esbuild on first use and cached under a name derived
 * from its content hash. The same file is what the SSH pool uploads.
 */
const cache = new Map<string, Promise<string>>();

export function workerBundlePath(entry: 'threadWorker' | 'remoteWorker' = 'threadWorker'): Promise<string> {
  let pending = cache.get(entry);
  if (!pending) {
    pending = bundle(entry);
    cache.set(entry, pending);
    pending.catch(() => cache.delete(entry));
  }
  return pending;
}

async function bundle(entry: string): Promise<string> {
  const source = fileURLToPath(new URL(`./${entry}.ts`, import.meta.url));
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
    // piscina stays external: its move() marks results with a module-private symbol, so the
    // worker must share the pool's copy of piscina.
    external: entry === 'threadWorker' ? ['piscina'] : [],
    banner: { js: "import { createRequire as __sciopeRequire } from 'node:module'; const require = __sciopeRequire(import.meta.url);" },
  });
  const code = result.outputFiles[0].contents;
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
