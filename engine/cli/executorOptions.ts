import { availableParallelism } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import type { Executor } from '../compute/executor.js';
import { InProcessExecutor } from '../compute/InProcessExecutor.js';
import { WorkerPoolExecutor } from '../compute/pool/WorkerPoolExecutor.js';
import { slurmSettingsInput, type SlurmFlags } from './slurmFlags.js';

export { slurmSettingsInput, type SlurmFlags };

/** Where the CLI runs simulations: this thread, worker threads, remote nodes, or a SLURM cluster. */
export interface ExecutorFlags extends SlurmFlags {
  executor?: 'local' | 'ssh' | 'slurm';
  workers?: number;
  nodes?: string;
}

const EXECUTORS = ['local', 'ssh', 'slurm'] as const;

function positiveInteger(flag: string, max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < 1 || n > max) throw new InvalidArgumentError(`${flag} expects an integer between 1 and ${max}, got "${value}"`);
    return n;
  };
}

export function addExecutorOptions(command: Command, defaultWorkers: 'all' | 1): Command {
  return command
    .option(
      '--executor <kind>',
      'where simulations run: local (this machine), ssh (remote nodes, with --nodes) or slurm (a SLURM cluster, with --slurm or --slurm-host)',
      (value: string) => {
        if (!(EXECUTORS as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected ${EXECUTORS.join(', ')}, got "${value}"`);
        return value;
      },
    )
    .option(
      '-w, --workers <N>',
      `local worker threads (default: ${defaultWorkers === 'all' ? `one per core, ${availableParallelism()} here` : '1, this thread'}); results do not depend on it`,
      (value: string) => {
        const n = Number(value);
        if (!/^\d+$/.test(value.trim()) || n < 1 || n > 1024) throw new InvalidArgumentError(`--workers expects an integer between 1 and 1024, got "${value}"`);
        return n;
      },
    )
    .option('--nodes <nodes.json>', 'SSH node list for --executor ssh (see `sciope nodes check --help`)')
    .option('--slurm <cluster.json>', 'SLURM cluster settings for --executor slurm (the flags below override its fields)')
    .option('--slurm-host <host>', 'SLURM login node')
    .option('--slurm-port <port>', 'SSH port of the login node (default 22)', positiveInteger('--slurm-port', 65535))
    .option('--slurm-user <user>', 'user name on the cluster')
    .option('--slurm-key <file>', 'private key for the login node (else ssh-agent)')
    .option('--known-hosts <file>', 'known_hosts file for the login node (default ~/.ssh/known_hosts)')
    .option('--partition <name>', "SLURM partition (default: the cluster's default)")
    .option('--account <name>', 'SLURM account to charge')
    .option('--time <limit>', 'wall time of the allocation: minutes, HH:MM:SS or D-HH:MM:SS (required for slurm)')
    .option('--tasks <N>', 'SLURM tasks = worker processes (default 1)', positiveInteger('--tasks', 100_000))
    .option('--cpus-per-task <C>', 'CPUs per task = threads per worker (default 1)', positiveInteger('--cpus-per-task', 1024))
    .option('--slurm-nodes <N>', 'spread the tasks over exactly N nodes', positiveInteger('--slurm-nodes', 10_000))
    .option('--remote-dir <dir>', "worker cache on the cluster's shared filesystem (default ~/.cache/sciope)")
    .option('--slurm-setup <line>', 'shell line run before SLURM commands and workers, e.g. "module load nodejs"');
}

/**
 * The executor for the flags. Every executor returns identical results for a
 * seed, so the choice only changes speed. Callers must close() it.
 */
export async function createExecutor(flags: ExecutorFlags, defaultWorkers: 'all' | 1): Promise<Executor> {
  // Inside a batch job of `sciope infer --detach` (no cluster to reach): workers as srun steps of this job's own allocation.
  if (flags.executor === 'slurm' && !flags.slurm && !flags.slurmHost && process.env.SLURM_JOB_ID && process.env.SCIOPE_WORKER_BUNDLE_DIR) {
    const { inAllocationExecutor } = await import('../compute/slurm/batch/inAllocation.js');
    return inAllocationExecutor();
  }
  if (flags.executor === 'slurm' || flags.slurm || flags.slurmHost) {
    const { createSlurmExecutor } = await import('./slurmExecutor.js');
    return createSlurmExecutor(flags);
  }
  if (flags.executor === 'ssh' || flags.nodes) {
    if (!flags.nodes) throw new InvalidArgumentError('--executor ssh needs --nodes <nodes.json>');
    const { createSshExecutor } = await import('./sshExecutor.js');
    return createSshExecutor(flags.nodes);
  }
  const workers = flags.workers ?? (defaultWorkers === 'all' ? availableParallelism() : 1);
  // The CLI's thread only coordinates; each worker thread runs the ssa scan-order pilot itself (about 50 ms).
  return workers === 1 ? new InProcessExecutor() : new WorkerPoolExecutor({ workers });
}
