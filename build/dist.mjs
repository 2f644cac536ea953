#!/usr/bin/env node
/**
 * `npm run dist [-- --linux | --win | --mac ...]`: package the built app
 * (run after `npm run build`) with electron-builder and build/electron-builder.yml.
 *
 * electron-builder rebuilds native dependencies (better-sqlite3, and ssh2's
 * optional crypto binding with cpu-features) for Electron's ABI in place, in
 * node_modules; the tests, the CLI and `sciope serve` need them built for
 * Node. So afterwards, whether packaging worked or not, they are rebuilt for
 * Node again (`npm rebuild`).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1;

const status = run(npx, ['electron-builder', '--config', 'build/electron-builder.yml', ...process.argv.slice(2)]);
console.log('dist: rebuilding native modules for Node (node_modules is shared with the tests and the CLI)');
const restored = run(npm, ['rebuild', 'better-sqlite3', 'ssh2', 'cpu-features']);
if (restored !== 0) console.error('dist: `npm rebuild better-sqlite3 ssh2 cpu-features` failed; run it before `npm test`.');
process.exit(status || restored);
