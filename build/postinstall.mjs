/**
 * After `npm ci`: say in one line each when an optional dependency did not
 * install (Electron's binary, the native TensorFlow backend) and what that
 * means. Quiet when both are there. Never fails the install.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function packageDir(name) {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

function electronBinaryInstalled() {
  const dir = packageDir('electron');
  if (dir === null) return false;
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return false;
  return existsSync(join(dir, 'dist', readFileSync(pathFile, 'utf8').trim()));
}

function tfjsNodeInstalled() {
  const dir = packageDir('@tensorflow/tfjs-node');
  return dir !== null && existsSync(join(dir, 'lib'));
}

try {
  if (!electronBinaryInstalled()) {
    console.log(
      'sciope: Electron was not installed (optional): the desktop window cannot start; the CLI, `sciope serve` (the app in a browser) and the tests work.',
    );
  }
  if (!tfjsNodeInstalled()) {
    console.log('sciope: @tensorflow/tfjs-node was not installed (optional): learned summaries train on the WebAssembly backend, correct but slower.');
  }
} catch {
  // An install never fails because of this note.
}
