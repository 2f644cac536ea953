#!/usr/bin/env node
/**
 * Prebuilds the engine's worker bundles into out/worker/ (threadWorker.mjs for
 * the local pool, remoteWorker.mjs for the SSH pool, and the other entries
 * WORKER_ENTRIES lists), with the very esbuild settings
 * engine/compute/pool/workerBundle.ts uses at run time.
 *
 * The Electron app runs the engine bundled into out/main/index.js, and the CLI
 * its bundle in out/cli/ (build/cliBundle.mjs), where the worker's .ts sources
 * are not at hand, or (packaged) node_modules is a read-only asar archive;
 * main/ and bin/sciope.js point $SCIOPE_WORKER_BUNDLE_DIR here. The folder
 * sits next to node_modules' parent (out/ in the app root), so the thread
 * worker's one external import, piscina, resolves to the very copy the pool in
 * the main process loaded.
 *
 * Run by `npm run build` (through build/cliBundle.mjs), `npm run dev` and `npm start`.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

export const WORKER_DIR = fileURLToPath(new URL('../out/worker/', import.meta.url));

/** Write every worker bundle into `outDir`; returns their paths. */
export async function writeWorkerBundles(outDir = WORKER_DIR) {
  const { WORKER_ENTRIES, writeWorkerBundle } = await tsImport('../engine/compute/pool/workerBundle.ts', import.meta.url);
  const files = [];
  for (const entry of WORKER_ENTRIES) files.push(await writeWorkerBundle(entry, outDir));
  return files;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const file of await writeWorkerBundles()) console.log(`workerBundle: ${file}`);
}
