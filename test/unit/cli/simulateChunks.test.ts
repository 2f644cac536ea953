import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_CONFIG_HOME, sciope } from './runSciope.js';

/**
 * `simulate` maps its runs in chunks, the next chunk on the workers while
 * this thread writes the last: the file must not depend on the chunking or
 * the executor, and Ctrl-C must stop the run without leaving any file.
 */
const work = mkdtempSync(join(tmpdir(), 'sciope-chunks-'));
const bin = new URL('../../../bin/sciope.js', import.meta.url).pathname;

describe('sciope simulate in chunks', () => {
  it('writes the same bytes with one thread and with a pool of two, over many chunks', async () => {
    // 300 runs on two workers: chunks of 75, 57, 42, ... 16 and a last one of 4.
    const files = [1, 2].map((w) => join(work, `bd-w${w}.csv`));
    for (const [i, file] of files.entries()) {
      expect((await sciope('simulate', 'birth-death', '-n', '300', '-s', '21', '-w', String(i + 1), '-o', file, '-q')).code).toBe(0);
    }
    const text = readFileSync(files[0], 'utf8');
    expect(readFileSync(files[1], 'utf8')).toBe(text);
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(1 + 300 * 51);
    expect(lines.at(-1)).toMatch(/^299,50,\d+$/);
  });

  it('stops on Ctrl-C, ends as interrupted, and leaves no file, not even the hidden partial one', async () => {
    const folder = mkdtempSync(join(work, 'interrupt-'));
    const child = spawn(process.execPath, [bin, 'simulate', 'vilar', '-n', '100000', '-s', '1', '-w', '2', '-o', join(folder, 'v.csv'), '-q'], {
      env: { ...process.env, XDG_CONFIG_HOME: CLI_CONFIG_HOME },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    // Interrupt once the run is writing: the hidden partial file is there.
    while (readdirSync(folder).length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.kill('SIGINT');
    expect(await exited).toBe('SIGINT');
    expect(readdirSync(folder)).toEqual([]);
  });
});
