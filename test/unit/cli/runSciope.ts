import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const bin = new URL('../../../bin/sciope.js', import.meta.url).pathname;
/** The CLI's config folder (approvals, settings) in tests: a throw-away one, never the user's ~/.config. */
export const CLI_CONFIG_HOME = mkdtempSync(join(tmpdir(), 'sciope-cli-config-'));

export interface SciopeOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the real `sciope` command as a user would; never throws, returns the exit code and output. */
export async function sciope(...args: string[]): Promise<SciopeOutcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...process.env, XDG_CONFIG_HOME: CLI_CONFIG_HOME, FORCE_COLOR: '0' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
