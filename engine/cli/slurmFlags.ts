import { localPath } from '../compute/ssh/nodeSettings.js';

/** `--executor slurm`: a cluster file (`--slurm`) and/or flags, which override its fields. */
export interface SlurmFlags {
  slurm?: string;
  slurmHost?: string;
  slurmPort?: number;
  slurmUser?: string;
  slurmKey?: string;
  knownHosts?: string;
  partition?: string;
  account?: string;
  time?: string;
  slurmNodes?: number;
  tasks?: number;
  cpusPerTask?: number;
  remoteDir?: string;
  slurmSetup?: string;
}

/**
 * The cluster settings of the flags: the --slurm file's fields with the
 * flags given on top (paths in flags are relative to the working folder).
 * Without a key anywhere, the ssh-agent authenticates.
 */
export function slurmSettingsInput(flags: SlurmFlags, file: Record<string, unknown> = {}): Record<string, unknown> {
  const fromFlags: Record<string, unknown> = {
    host: flags.slurmHost,
    port: flags.slurmPort,
    user: flags.slurmUser,
    privateKey: flags.slurmKey === undefined ? undefined : localPath(flags.slurmKey),
    knownHosts: flags.knownHosts === undefined ? undefined : localPath(flags.knownHosts),
    partition: flags.partition,
    account: flags.account,
    time: flags.time,
    nodes: flags.slurmNodes,
    tasks: flags.tasks,
    cpusPerTask: flags.cpusPerTask,
    remoteDir: flags.remoteDir,
    setup: flags.slurmSetup,
  };
  const merged: Record<string, unknown> = { ...file };
  for (const [key, value] of Object.entries(fromFlags)) if (value !== undefined) merged[key] = value;
  if (flags.slurmKey !== undefined) delete merged.agent;
  if (merged.privateKey === undefined && merged.agent === undefined) merged.agent = true;
  return merged;
}
