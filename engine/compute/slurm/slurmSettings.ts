import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { EngineError, type ValidationIssue } from '../../errors/index.js';
import { expandHome } from '../../paths/index.js';
import { localPath } from '../ssh/nodeSettings.js';
import type { NodeSettings } from '../ssh/index.js';
import { zodIssues } from '../../errors/zodIssues.js';
import { SLURM_TIME } from './slurmText.js';

/**
 * Settings of a SLURM cluster reached over SSH, validated at the boundary
 * (a cluster JSON file, CLI flags, the app's Settings):
 *
 *     { "host": "login.hpc.example.edu", "user": "ana", "privateKey": "~/.ssh/id_ed25519",
 *       "partition": "short", "account": "lab42", "time": "01:00:00", "tasks": 8, "cpusPerTask": 4,
 *       "remoteDir": "~/.cache/sciope", "setup": "module load nodejs" }
 *
 * `host` is the login node. One allocation holds `tasks` tasks of
 * `cpusPerTask` CPUs for at most `time` (SLURM's --time: minutes, MM:SS,
 * HH:MM:SS, D-HH[:MM[:SS]]); each task runs one worker with that many
 * threads. `remoteDir` must be on the filesystem the compute nodes share with
 * the login node (the home, usually). `setup` is a shell line run before
 * every SLURM command and worker step (e.g. `module load nodejs`); `nodePath`
 * is how Node is started on the compute nodes.
 */
export class SlurmSettingsError extends EngineError {
  readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[], source?: string) {
    const where = source ? `${source}: ` : '';
    super(
      'SLURM_SETTINGS',
      `${where}invalid SLURM settings (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
      { source, issues },
    );
    this.issues = issues;
  }
}

const text = (what: string) => z.string({ error: `expected ${what} (a string)` }).min(1, { error: `expected ${what}, got an empty string` });
const count = (what: string, max: number) =>
  z
    .number({ error: `expected a number of ${what}` })
    .int({ error: `expected an integer number of ${what}` })
    .min(1, { error: `expected at least 1 of ${what}` })
    .max(max, { error: `expected at most ${max} ${what}` });
export { SLURM_TIME };
/** A word SLURM accepts as a partition or account name (no shell metacharacters). */
const slurmName = (what: string) => text(what).regex(/^[A-Za-z0-9_.+-]+$/, { error: `expected ${what} made of letters, digits, "_", ".", "+" or "-"` });

export const slurmSettingsSchema = z
  .object({
    name: text('a display name').optional(),
    host: text('the login node host name or address'),
    port: z
      .number({ error: 'expected a port number' })
      .int({ error: 'expected an integer port' })
      .min(1, { error: 'expected a port between 1 and 65535' })
      .max(65535, { error: 'expected a port between 1 and 65535' })
      .default(22),
    user: text('a user name'),
    privateKey: text('the path of a private key file').optional(),
    agent: z.union([z.literal(true), text('an ssh-agent socket path')], { error: 'expected true (use $SSH_AUTH_SOCK) or an ssh-agent socket path' }).optional(),
    passphrase: z.string({ error: 'expected the passphrase as a string' }).optional(),
    knownHosts: text('the path of a known_hosts file').optional(),
    partition: slurmName('a partition name').optional(),
    account: slurmName('an account name').optional(),
    time: z.union([z.number().int().min(1), z.string()], { error: 'expected a wall time: minutes, or HH:MM:SS, or D-HH:MM:SS' }).transform((value, ctx) => {
      const time = String(value).trim();
      if (!SLURM_TIME.test(time)) ctx.addIssue({ code: 'custom', message: `expected a wall time (minutes, MM:SS, HH:MM:SS or D-HH:MM:SS), got "${time}"` });
      return time;
    }),
    nodes: count('nodes', 10_000).optional(),
    tasks: count('tasks', 100_000).default(1),
    cpusPerTask: count('CPUs per task', 1024).default(1),
    remoteDir: text('a directory on the shared filesystem').default('~/.cache/sciope'),
    nodePath: text('the node command on the compute nodes').default('node'),
    setup: z.string({ error: 'expected a shell line such as "module load nodejs"' }).optional(),
  })
  .strict()
  .superRefine((cluster, ctx) => {
    if (cluster.privateKey === undefined && cluster.agent === undefined)
      ctx.addIssue({ code: 'custom', path: [], message: 'expected "privateKey" (a key file path) or "agent" (true or a socket path) to authenticate' });
    if (cluster.privateKey !== undefined && cluster.agent !== undefined)
      ctx.addIssue({ code: 'custom', path: ['agent'], message: 'give either "privateKey" or "agent", not both' });
    if (cluster.nodes !== undefined && cluster.nodes > cluster.tasks)
      ctx.addIssue({ code: 'custom', path: ['nodes'], message: `expected at most one node per task (${cluster.tasks} tasks)` });
  });

export type SlurmSettingsInput = z.input<typeof slurmSettingsSchema>;
export type SlurmSettings = z.output<typeof slurmSettingsSchema>;

function issuesOf(prefix: string, error: z.ZodError): ValidationIssue[] {
  return zodIssues(error, { prefix, whole: 'settings' });
}

/**
 * Validate cluster settings; throws SlurmSettingsError naming every bad
 * field. Local paths (key, agent socket, known_hosts) are resolved against
 * `baseDir` and `~`; `remoteDir` is remote and keeps its `~`.
 */
export function parseSlurmSettings(value: unknown, source?: string, baseDir = process.cwd()): SlurmSettings {
  const parsed = slurmSettingsSchema.safeParse(value);
  if (!parsed.success) throw new SlurmSettingsError(issuesOf('', parsed.error), source);
  const cluster = parsed.data;
  return {
    ...cluster,
    ...(cluster.privateKey !== undefined ? { privateKey: localPath(cluster.privateKey, baseDir) } : {}),
    ...(typeof cluster.agent === 'string' ? { agent: expandHome(cluster.agent) } : {}),
    ...(cluster.knownHosts !== undefined ? { knownHosts: localPath(cluster.knownHosts, baseDir) } : {}),
  };
}

/** Read and validate a cluster JSON file (paths in it are relative to its folder). */
export function loadSlurmSettings(file: string): SlurmSettings {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SlurmSettingsError([{ path: 'file', message: (error as Error).message }], file);
  }
  return parseSlurmSettings(value, file, dirname(resolve(file)));
}

/** How the cluster is named in messages: its name, or user@host:port. */
export function clusterLabel(cluster: Pick<SlurmSettings, 'name' | 'user' | 'host' | 'port'>): string {
  return cluster.name ?? `${cluster.user}@${cluster.host}:${cluster.port}`;
}

/** The login node as an SSH node (for connectNode and deployWorker). */
export function loginNode(cluster: SlurmSettings, name = clusterLabel(cluster)): NodeSettings {
  return {
    name,
    host: cluster.host,
    port: cluster.port,
    user: cluster.user,
    ...(cluster.privateKey !== undefined ? { privateKey: cluster.privateKey } : {}),
    ...(cluster.agent !== undefined ? { agent: cluster.agent } : {}),
    ...(cluster.passphrase !== undefined ? { passphrase: cluster.passphrase } : {}),
    remoteDir: cluster.remoteDir,
    nodePath: cluster.nodePath,
    workers: cluster.cpusPerTask,
  };
}
