#!/usr/bin/env node
/**
 * Builds the `sciope` command ahead of time, so that it starts in a fraction of
 * a second instead of compiling the engine's TypeScript through tsx at every
 * start (issue 15):
 * - out/cli/sciope.mjs: engine/cli/main.ts bundled by esbuild (ESM, Node 20),
 *   split into chunks so that a command's module (engine/cli/commandCatalogue.ts)
 *   loads only when that command runs;
 * - out/cli/engineHost.mjs: the engine process of `sciope serve`
 *   (engine/api/host/childProcessEntry.ts), which then starts without tsx;
 * - out/worker/*.mjs: the worker bundles (build/workerBundle.mjs), which
 *   bin/sciope.js hands to the bundled CLI so that no esbuild runs at run time.
 *
 * bin/sciope.js runs the bundle when it is not older than every file under
 * engine/. The entry's modification time is set to the moment this build
 * started, so a source saved while the build ran still counts as newer.
 *
 * Run by `npm run build`, and as the `prepare` script by `npm ci` and
 * `npm install`. With --optional (prepare) a failure prints one line and exits
 * 0: the command then runs from the sources through tsx, as before.
 */
import { readFile } from 'node:fs/promises';
import { realpathSync, renameSync, rmSync, utimesSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
export const CLI_DIR = join(root, 'out', 'cli');
export const CLI_ENTRY = join(CLI_DIR, 'sciope.mjs');

/**
 * Left to Node's resolver at run time: native addons (better-sqlite3, ssh2 and
 * its cpu-features), packages that load files from their own folder
 * (TensorFlow.js and libSBML's .wasm), piscina (the worker threads must share
 * the pool's copy: its move() marks results with a module-private symbol), ws
 * (optional native helpers), and the build tools.
 */
const EXTERNAL = ['better-sqlite3', 'ssh2', 'cpu-features', '@tensorflow/*', 'libsbmljs_stable', 'piscina', 'ws', 'esbuild', 'tsx', 'electron'];

/**
 * Bundled, a module's import.meta.url would be the chunk's URL in out/cli/.
 * The engine resolves files relative to its own source (out/renderer from the
 * serve command, package.json from the project store, libSBML's .wasm through
 * createRequire), so each module that reads import.meta.url gets its source
 * file's URL instead, computed from the chunk's (the tree is relocatable).
 */
const sourceLocation = {
  name: 'source-location',
  setup(build) {
    build.onLoad({ filter: /[\\/]engine[\\/].*\.ts$/ }, async ({ path }) => {
      const text = await readFile(path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const ownUrl = `new URL(${JSON.stringify(relative(CLI_DIR, path).split(sep).join('/'))}, import.meta.url).href`;
      // Comments and string literals are matched too, and kept as they are (a worker's banner text mentions import.meta.url).
      const contents = text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\/|(['"`])(?:\\.|(?!\1)[^\\])*\1|\bimport\.meta\.url\b/g, (match) =>
        match === 'import.meta.url' ? ownUrl : match,
      );
      return { contents, loader: 'ts' };
    });
  },
};

/** Build the worker bundles and the CLI bundle; the CLI's folder is replaced whole (no chunks of an older build left). */
export async function buildCli() {
  const started = new Date();
  const { build } = await import('esbuild');
  const { writeWorkerBundles } = await import('./workerBundle.mjs');
  await writeWorkerBundles();
  const partial = `${CLI_DIR}.${process.pid}.partial`;
  rmSync(partial, { recursive: true, force: true });
  await build({
    // engineHost: `sciope serve`'s engine process (engine/serve/engineProcess.ts), sharing the CLI's chunks.
    entryPoints: { sciope: join(root, 'engine', 'cli', 'main.ts'), engineHost: join(root, 'engine', 'api', 'host', 'childProcessEntry.ts') },
    outdir: partial,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    plugins: [sourceLocation],
    logLevel: 'warning',
    // Bundled CommonJS packages call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __sciopeRequire } from 'node:module'; const require = __sciopeRequire(import.meta.url);" },
  });
  utimesSync(join(partial, 'sciope.mjs'), started, started);
  rmSync(CLI_DIR, { recursive: true, force: true });
  renameSync(partial, CLI_DIR);
  return CLI_ENTRY;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const optional = process.argv.includes('--optional');
  try {
    await buildCli();
    if (!optional) console.log(`cliBundle: ${CLI_ENTRY}`);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (!optional) throw error;
    console.log(
      `sciope: the CLI bundle was not built (${reason}); \`sciope\` runs the TypeScript sources through tsx (slower start). \`npm run build\` retries.`,
    );
    rmSync(`${CLI_DIR}.${process.pid}.partial`, { recursive: true, force: true });
  }
}
