import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';

/**
 * bin/sciope.js chooses between the prebuilt bundle (out/cli/sciope.mjs) and
 * the TypeScript sources through tsx. Each test runs a copy of the real
 * launcher in a throw-away checkout whose two entry points only say which one
 * ran, so the choice is checked without building anything.
 */
const run = promisify(execFile);
const repoRoot = new URL('../../../', import.meta.url).pathname;
/** Makes process.stderr look like a terminal, as for a person typing the command. */
const AT_A_TERMINAL = "data:text/javascript,Object.defineProperty(process.stderr, 'isTTY', { value: true });";
const STALE_NOTICE = /^sciope: out\/cli is older than engine\/ or package-lock\.json.*`npm run build` refreshes it\.\n$/;

let checkout: string;

function writeAt(file: string, text: string, seconds: number): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  utimesSync(file, seconds, seconds);
}

/** The sources' main (TypeScript, so tsx must compile it) and the bundle's, each reporting itself and the worker folder it was given. */
function writeSources(seconds: number): void {
  writeAt(
    join(checkout, 'engine/cli/main.ts'),
    "export async function main(_argv: string[]): Promise<number> {\n  process.stdout.write(`sources ${process.env.SCIOPE_WORKER_BUNDLE_DIR ?? '-'}\\n`);\n  return 0;\n}\n",
    seconds,
  );
}

function writeBundle(seconds: number): void {
  writeAt(
    join(checkout, 'out/cli/sciope.mjs'),
    "export async function main() {\n  process.stdout.write(`bundle ${process.env.SCIOPE_WORKER_BUNDLE_DIR ?? '-'}\\n`);\n  return 3;\n}\n",
    seconds,
  );
  mkdirSync(join(checkout, 'out/worker'), { recursive: true });
}

async function launch(options: { terminal?: boolean; env?: Record<string, string> } = {}) {
  const args = [...(options.terminal ? ['--import', AT_A_TERMINAL] : []), join(checkout, 'bin/sciope.js'), '--version'];
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  if (!options.env?.SCIOPE_WORKER_BUNDLE_DIR) delete env.SCIOPE_WORKER_BUNDLE_DIR;
  try {
    const { stdout, stderr } = await run(process.execPath, args, { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeEach(() => {
  if (checkout) rmSync(checkout, { recursive: true, force: true });
  checkout = mkdtempSync(join(tmpdir(), 'sciope-launcher-'));
  mkdirSync(join(checkout, 'bin'));
  copyFileSync(join(repoRoot, 'bin/sciope.js'), join(checkout, 'bin/sciope.js'));
  writeFileSync(join(checkout, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(repoRoot, 'node_modules'), join(checkout, 'node_modules'), 'dir');
  writeSources(1_000_000);
});

describe('bin/sciope.js', () => {
  it('runs the sources through tsx, silently, where no bundle was built', async () => {
    const outcome = await launch({ terminal: true });
    expect(outcome).toEqual({ code: 0, stdout: 'sources -\n', stderr: '' });
  });

  it('runs a bundle not older than the sources, with the worker bundles built beside it, and returns its exit code', async () => {
    writeBundle(1_000_000);
    const outcome = await launch({ terminal: true });
    expect(outcome).toEqual({ code: 3, stdout: `bundle ${join(checkout, 'out/worker')}\n`, stderr: '' });
  });

  it('keeps a worker folder given in $SCIOPE_WORKER_BUNDLE_DIR', async () => {
    writeBundle(1_000_000);
    const outcome = await launch({ env: { SCIOPE_WORKER_BUNDLE_DIR: '/elsewhere' } });
    expect(outcome.stdout).toBe('bundle /elsewhere\n');
  });

  it('runs the sources when one of them is newer than the bundle, and says so in one line at a terminal only', async () => {
    writeBundle(1_000_000);
    writeAt(join(checkout, 'engine/model/deep/newer.ts'), 'export const edited = true;\n', 1_000_001);
    const atTerminal = await launch({ terminal: true });
    expect(atTerminal.code).toBe(0);
    expect(atTerminal.stdout).toBe('sources -\n');
    expect(atTerminal.stderr).toMatch(STALE_NOTICE);
    const piped = await launch();
    expect(piped).toEqual({ code: 0, stdout: 'sources -\n', stderr: '' });
  });

  it('runs the sources when the dependencies changed after the bundle was built (package-lock.json is newer)', async () => {
    writeBundle(1_000_000);
    writeAt(join(checkout, 'package-lock.json'), '{}\n', 1_000_001);
    expect((await launch()).stdout).toBe('sources -\n');
  });
});
