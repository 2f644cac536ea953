#!/usr/bin/env node
/**
 * Prebuilds the engine's worker bundles into out/worker/ (threadWorker.mjs for
 * the local pool, remoteWorker.mjs for the SSH pool), with the very esbuild
 * settings engine/compute/pool/workerBundle.ts uses at run time.
 *
 * The Electron app runs the engine bundled into out/main/index.js, where the
 * worker's .ts sources are not at hand and (packaged) node_modules is a
 * read-only asar archive; main/ points $SCIOPE_WORKER_BUNDLE_DIR here. The
 * folder sits next to node_modules' parent (out/ in the app root), so the
 * thread worker's one external import, piscina, resolves to the very copy
 * the pool in the main process loaded.
 *
 * Run by `npm run build`, `npm run dev` and `npm start`.
 */
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const outDir = fileURLToPath(new URL('../out/worker/', import.meta.url));
const { writeWorkerBundle } = await tsImport('../engine/compute/pool/workerBundle.ts', import.meta.url);
for (const entry of ['threadWorker', 'remoteWorker']) {
  const file = await writeWorkerBundle(entry, outDir);
  console.log(`workerBundle: ${file}`);
}
