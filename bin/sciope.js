#!/usr/bin/env node
// Entry point of the `sciope` command. It runs the prebuilt bundle out/cli/sciope.mjs
// (build/cliBundle.mjs, run by `npm run build` and `npm ci`) when that is not older
// than any file under engine/ nor than package-lock.json; otherwise the TypeScript sources, compiled on the fly
// by tsx (about a second more at every start), as in a checkout being edited.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const bundle = join(root, 'out', 'cli', 'sciope.mjs');
const workerBundles = join(root, 'out', 'worker');

/** Newest modification time of a file under `dir` (the engine's ~450 files: a few ms). */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** 'fresh', 'stale' (older than a source, or than the dependencies it bundles), or 'absent'. */
function bundleState() {
  if (!existsSync(bundle)) return 'absent';
  const lock = statSync(`${root}package-lock.json`, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return statSync(bundle).mtimeMs >= Math.max(lock, newestMtime(`${root}engine`)) ? 'fresh' : 'stale';
}

let main;
const state = bundleState();
if (state === 'fresh') {
  // The bundled engine is away from its worker sources: its pools load the worker bundles built with it.
  if (existsSync(workerBundles)) process.env.SCIOPE_WORKER_BUNDLE_DIR ??= workerBundles;
  // `sciope serve` starts its engine process from the same build (no tsx compile at its start either).
  process.env.SCIOPE_ENGINE_HOST_ENTRY ??= join(root, 'out', 'cli', 'engineHost.mjs');
  ({ main } = await import('../out/cli/sciope.mjs'));
} else {
  // Only a person at a terminal is told; scripts and tests see the same output either way.
  if (state === 'stale' && process.stderr.isTTY) {
    process.stderr.write(
      'sciope: out/cli is older than engine/ or package-lock.json, so the sources run through tsx (slower start); `npm run build` refreshes it.\n',
    );
  }
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../engine/cli/main.ts'));
}
process.exitCode = await main(process.argv);
