import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('./reference/vilarDirect.c', import.meta.url));

/**
 * The C reference of the Vilar direct method (reference/vilarDirect.c), built
 * with the first compiler found (gcc -O3 -march=native); its path, or
 * undefined when no C compiler is installed. Usage: `vilarDirect <runs> <seed>`.
 */
export function compileVilarReference(): string | undefined {
  const binary = join(mkdtempSync(join(tmpdir(), 'sciope-bench-vilar-')), 'vilarDirect');
  for (const compiler of ['gcc', 'cc', 'clang']) {
    const result = spawnSync(compiler, ['-O3', '-march=native', '-o', binary, source, '-lm'], { encoding: 'utf8' });
    if (result.status === 0) return binary;
  }
  return undefined;
}
