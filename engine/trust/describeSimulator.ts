import { createHash } from 'node:crypto';
import { absoluteSpec, simulatorFiles } from '../simulate/blackbox/fingerprint.js';
import type { BlackBoxSimulatorSpec } from '../simulate/blackbox/spec.js';
import type { SimulatorDescription } from './types.js';

/** JSON with object keys sorted at every level, so equal content always hashes equal. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * What the simulator of `spec` runs (paths made absolute against `base`,
 * the current folder by default), with the SHA-256 of each local file it
 * runs and a fingerprint over all of it. Parameters, species, names and
 * time-outs are left out: they change what is asked of the code, not which
 * code runs. Throws BlackBoxSpecError when the module cannot be read.
 */
export function describeSimulator(spec: BlackBoxSimulatorSpec, base = process.cwd()): SimulatorDescription {
  const absolute = absoluteSpec(spec, base);
  const files = simulatorFiles(absolute).map((f) => ({ path: f.path, role: f.role, sha256: f.sha256 }));
  const content =
    absolute.kind === 'module'
      ? { kind: 'module' as const, module: absolute.path, export: absolute.export ?? 'simulate', files }
      : {
          kind: 'command' as const,
          command: [...absolute.command],
          cwd: absolute.cwd!,
          env: Object.fromEntries(Object.entries(absolute.env ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
          files,
        };
  const fingerprint = createHash('sha256').update(canonicalJson(content)).digest('hex');
  return { ...content, fingerprint };
}

/**
 * Escape what could fake or hide text in a dialog or a terminal: control
 * characters (Cc: line breaks, escape sequences), format characters (Cf:
 * bidi overrides, zero-width joiners, U+FEFF), line and paragraph
 * separators, and lone surrogates.
 */
export function printable(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/** The description in plain lines, for a native dialog or a terminal prompt. */
export function describeForPeople(description: SimulatorDescription, scope: string): string {
  const lines: string[] = [`From: ${printable(scope)}`];
  if (description.kind === 'command') {
    lines.push(`Runs the command: ${description.command!.map((a) => printable(JSON.stringify(a))).join(' ')}`);
    lines.push(`In the folder: ${printable(description.cwd!)}`);
    const env = Object.entries(description.env ?? {});
    if (env.length > 0) lines.push(`With the environment: ${env.map(([k, v]) => printable(`${k}=${v}`)).join(', ')}`);
  } else {
    lines.push(`Imports the JavaScript module: ${printable(description.module!)} (function "${printable(description.export ?? 'simulate')}")`);
  }
  if (description.files.length > 0) {
    lines.push('Files (SHA-256):');
    for (const file of description.files) lines.push(`  ${printable(file.path)}  ${file.sha256}`);
  }
  lines.push(`Fingerprint: ${description.fingerprint}`);
  lines.push('It runs with your user account and can read, change or delete your files.');
  return lines.join('\n');
}
