import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Expand a leading `~` or `~/` to the home folder in a path a person typed
 * (settings, JSON files, the app's path fields), where no shell has
 * expanded it. `~user` is left as it is: it is rarely meant and would need
 * the password database. Anything else is returned unchanged.
 */
export function expandHome(path: string, home: string = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return path;
}
