import { isAbsolute, resolve } from 'node:path';

/** The file extension of a project (one SQLite file), registered with the OS by electron-builder. */
export const PROJECT_EXTENSION = '.sciope';

/**
 * The project a command line asks to open: the last argument naming a
 * `.sciope` file, resolved against `cwd`. Chromium switches and Electron's own
 * arguments (the executable, the app folder in development) never end in
 * `.sciope`, so no positional bookkeeping is needed.
 */
export function projectFromArgv(argv: readonly string[], cwd: string): string | null {
  for (let i = argv.length - 1; i >= 1; i--) {
    const arg = argv[i];
    if (arg.startsWith('-') || !arg.toLowerCase().endsWith(PROJECT_EXTENSION)) continue;
    return isAbsolute(arg) ? arg : resolve(cwd, arg);
  }
  return null;
}
