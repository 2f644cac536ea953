#!/usr/bin/env node
/**
 * better-sqlite3 for Electron, without breaking Node.
 *
 * node_modules/better-sqlite3 stays built for Node's ABI: the tests, the CLI
 * and `sciope serve` load it. Electron's main process needs a build for
 * Electron's ABI, so before `npm run dev` / `npm start` this script builds
 * one into build/native/electron/<electron version>/better_sqlite3.node (a
 * copy of the package is rebuilt in a temporary folder: first the
 * prebuilt binary for Electron via prebuild-install, else node-gyp against
 * Electron's headers). main/index.ts points the store at it through
 * SCIOPE_SQLITE_BINDING. Packaged apps do not need it: electron-builder
 * rebuilds native modules for Electron when it packages.
 *
 * Where Electron is not installed (it is an optional dependency), this
 * prints a note and exits 0.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, copyFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../../', import.meta.url));

let version;
try {
  version = require('electron/package.json').version;
} catch {
  console.log('electronSqlite: Electron is not installed here; the desktop window cannot start, nothing to build.');
  process.exit(0);
}

const target = join(root, 'build', 'native', 'electron', version, 'better_sqlite3.node');
if (existsSync(target)) process.exit(0);

const source = dirname(require.resolve('better-sqlite3/package.json'));
const work = mkdtempSync(join(tmpdir(), 'sciope-sqlite-electron-'));
const copy = join(work, 'better-sqlite3');
cpSync(source, copy, { recursive: true, filter: (path) => !path.includes(`${join('build', 'Release', 'obj')}`) });
rmSync(join(copy, 'build'), { recursive: true, force: true });

const run = (command, args) =>
  execFileSync(command, args, { cwd: copy, stdio: 'inherit', env: { ...process.env, npm_config_runtime: 'electron', npm_config_target: version } });
try {
  console.log(`electronSqlite: building better-sqlite3 for Electron ${version}`);
  try {
    run(process.execPath, [require.resolve('prebuild-install/bin.js'), '--runtime', 'electron', '--target', version]);
  } catch {
    run('npx', ['--yes', 'node-gyp', 'rebuild', '--release', '--runtime=electron', `--target=${version}`, '--dist-url=https://electronjs.org/headers']);
  }
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(copy, 'build', 'Release', 'better_sqlite3.node'), target);
  console.log(`electronSqlite: ${target}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
