import { RemoteNodeError } from '../../errors/index.js';
import { simulatorFiles, type SimulatorFile } from '../../simulate/blackbox/fingerprint.js';
import type { BlackBoxSimulatorSpec, CommandSimulatorSpec } from '../../simulate/blackbox/spec.js';
import { shellQuote, type NodeConnection } from './connection.js';

/**
 * What a node needs to run a black-box simulator.
 *
 * - A module simulator needs nothing: it travels inside the job
 *   (content-hashed, stored next to the worker; see inlineModuleSource).
 * - A command simulator runs on the node as here: with the same cwd, the
 *   program found the way the worker's spawn finds it (a bare name on the
 *   PATH of the non-interactive SSH login, or the spec's `env.PATH`; a path
 *   relative to the cwd), and every local file the command names (the
 *   script of `python3 sim.py`) present at the same absolute path with the
 *   same SHA-256. Files are not uploaded: a script usually needs its
 *   siblings, data or environment, so nodes are expected to share the
 *   files (a network home, a checkout at the same path); a node lacking
 *   one is reported, not half-provisioned.
 */
export interface SimulatorRequirement {
  /** Key of this requirement: nodes are checked once per requirement. */
  readonly key: string;
  readonly spec: CommandSimulatorSpec;
  readonly files: readonly SimulatorFile[];
}

/** The requirement of a job's simulator on a node; null when there is nothing to check (none, or a module). */
export function simulatorRequirement(spec: BlackBoxSimulatorSpec | undefined): SimulatorRequirement | null {
  if (!spec || spec.kind !== 'command') return null;
  const files = simulatorFiles(spec);
  return { key: JSON.stringify([spec.command, spec.cwd ?? null, spec.env?.PATH ?? null, files]), spec, files };
}

/** A POSIX sh script printing one verdict line per check. */
function checkScript(requirement: SimulatorRequirement): string {
  const { spec, files } = requirement;
  const lines: string[] = [];
  if (spec.cwd !== undefined) lines.push(`cd ${shellQuote(spec.cwd)} 2>/dev/null || echo cwd-missing`);
  if (spec.env?.PATH !== undefined) lines.push(`PATH=${shellQuote(spec.env.PATH)}; export PATH`);
  const program = spec.command[0];
  const q = shellQuote(program);
  if (/[\\/]/.test(program)) lines.push(`if [ ! -e ${q} ]; then echo program-missing; elif [ -d ${q} ] || [ ! -x ${q} ]; then echo program-not-executable; fi`);
  else lines.push(`command -v ${q} >/dev/null 2>&1 || echo program-missing`);
  files.forEach((file, i) => {
    const f = shellQuote(file.path);
    lines.push(
      `if [ -f ${f} ]; then h=$( (sha256sum < ${f} || shasum -a 256 < ${f}) 2>/dev/null | cut -c1-64); echo "file ${i} $h"; else echo "file ${i} missing"; fi`,
    );
  });
  lines.push('echo checked');
  return lines.join('\n');
}

/**
 * Check on an open connection that the node can run the command simulator
 * of `requirement`. Resolves to null when it can, else a RemoteNodeError
 * (reason `simulator-missing`) listing every problem, e.g.
 * `node ana@lab1:22: command "python3" not found on PATH`.
 */
export async function checkSimulatorOnNode(connection: NodeConnection, requirement: SimulatorRequirement): Promise<RemoteNodeError | null> {
  const { label } = connection;
  const { spec, files } = requirement;
  const result = await connection.exec(`sh -c ${shellQuote(checkScript(requirement))}`);
  const out = result.stdout.split('\n').map((l) => l.trim());
  if (!out.includes('checked')) {
    return new RemoteNodeError(
      label,
      'simulator-check',
      `node ${label}: cannot check the simulator's command (exit ${result.code ?? 'signal'}): ${(result.stderr || result.stdout).trim() || '(no output)'}`,
    );
  }
  const program = spec.command[0];
  const where = spec.cwd !== undefined ? spec.cwd : 'the login folder';
  const problems: string[] = [];
  if (out.includes('cwd-missing')) problems.push(`working directory "${spec.cwd}" does not exist`);
  if (out.includes('program-missing')) {
    problems.push(
      /[\\/]/.test(program)
        ? `command "${program}" not found (in ${where})`
        : `command "${program}" not found on PATH${spec.env?.PATH !== undefined ? ` (the simulator's env.PATH)` : ' (of a non-interactive SSH login)'}`,
    );
  }
  if (out.includes('program-not-executable')) problems.push(`command "${program}" is not an executable file (in ${where})`);
  files.forEach((file, i) => {
    const line = out.find((l) => l.startsWith(`file ${i} `));
    const answer = line?.slice(`file ${i} `.length) ?? '';
    if (answer === 'missing') problems.push(`${file.role === 'program' ? 'program' : 'file'} ${file.path} (named by the command) not found`);
    else if (/^[0-9a-f]{64}$/.test(answer) && answer !== file.sha256)
      problems.push(`${file.path} differs from the local copy (sha256 ${answer.slice(0, 12)}... there, ${file.sha256.slice(0, 12)}... here)`);
  });
  if (problems.length === 0) return null;
  return new RemoteNodeError(label, 'simulator-missing', `node ${label}: ${problems.join('; ')}`, { command: spec.command, cwd: spec.cwd, problems });
}
