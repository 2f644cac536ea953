import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Whether bin/sciope.js runs the bundle (the same test it makes), not the TypeScript sources through tsx. */
export function cliBundleFresh(): boolean {
  const bundle = join(root, 'out/cli/sciope.mjs');
  const lock = statSync(join(root, 'package-lock.json'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return existsSync(bundle) && statSync(bundle).mtimeMs >= Math.max(lock, newestMtime(join(root, 'engine')));
}

/** Build the CLI bundle when bin/sciope.js would not run it: a whole-process timing must not include tsx compiling the sources. */
export function ensureCliBundle(): void {
  if (cliBundleFresh()) return;
  console.log('building the CLI bundle (out/cli is missing, or older than engine/ or package-lock.json)');
  execFileSync(process.execPath, [join(root, 'build/cliBundle.mjs')], { cwd: root, stdio: 'inherit' });
}
