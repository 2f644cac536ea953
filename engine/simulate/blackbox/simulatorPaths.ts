import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { BlackBoxSpecError, type BlackBoxSimulatorSpec } from './spec.js';

/**
 * For a simulator added in the app: the app has no study folder to resolve
 * relative paths against, so a simulator's module and working directory must
 * be absolute, and must exist (a typo should be caught when the simulator is
 * added, not mid-run). Throws BlackBoxSpecError naming every bad field.
 */
export function checkAbsoluteSimulatorPaths(spec: BlackBoxSimulatorSpec, field = 'simulator'): void {
  const issues: Array<{ path: string; message: string }> = [];
  const check = (path: string, value: string, what: string) => {
    if (!isAbsolute(value)) issues.push({ path, message: `expected an absolute path of the ${what}, got "${value}"` });
    else if (!existsSync(value)) issues.push({ path, message: `no such ${what}: ${value}` });
  };
  if (spec.kind === 'module') check(`${field}.path`, spec.path, 'module file');
  else if (spec.cwd !== undefined) check(`${field}.cwd`, spec.cwd, 'working directory');
  if (issues.length > 0) throw new BlackBoxSpecError(field, issues);
}
