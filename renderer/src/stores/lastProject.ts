/**
 * The project this browser was working in, remembered in localStorage so a
 * page opened on a restarted engine can open it again. Pure decisions, no
 * engine calls: the connection store acts on them.
 */

export const LAST_PROJECT_KEY = 'sciope.lastProject';

/** What to do when the engine answers: nothing, open the remembered project, or ask (the engine has another one open). */
export type ReopenDecision = { kind: 'none' } | { kind: 'open'; path: string } | { kind: 'ask'; remembered: string; current: string };

export function reopenDecision(remembered: string | null, current: string | null): ReopenDecision {
  if (!remembered || remembered === current) return { kind: 'none' };
  if (current === null) return { kind: 'open', path: remembered };
  return { kind: 'ask', remembered, current };
}

export function readLastProject(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): string | null {
  try {
    return storage?.getItem(LAST_PROJECT_KEY) ?? null;
  } catch {
    return null;
  }
}

export function writeLastProject(path: string | null, storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined = globalThis.localStorage): void {
  try {
    if (path === null) storage?.removeItem(LAST_PROJECT_KEY);
    else storage?.setItem(LAST_PROJECT_KEY, path);
  } catch {
    // Storage refused (private mode, quota): the app works on without remembering.
  }
}

/** The file name of a project path, for messages. */
export function projectName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
