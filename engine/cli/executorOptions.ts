import { availableParallelism } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import type { Executor } from '../compute/executor.js';
import { InProcessExecutor } from '../compute/InProcessExecutor.js';
import { WorkerPoolExecutor } from '../compute/pool/WorkerPoolExecutor.js';

/** Where the CLI runs simulations: this thread, worker threads, or (when available) remote nodes. */
export interface ExecutorFlags {
  executor?: 'local' | 'ssh';
  workers?: number;
  nodes?: string;
}

export function addExecutorOptions(command: Command, defaultWorkers: 'all' | 1): Command {
  return command
    .option('--executor <kind>', 'where simulations run: local (this machine) or ssh (remote nodes, with --nodes)', (value: string) => {
      if (value !== 'local' && value !== 'ssh') throw new InvalidArgumentError(`expected local or ssh, got "${value}"`);
      return value;
    })
    .option(
      '-w, --workers <N>',
      `local worker threads (default: ${defaultWorkers === 'all' ? `one per core, ${availableParallelism()} here` : '1, this thread'}); results do not depend on it`,
      (value: string) => {
        const n = Number(value);
        if (!/^\d+$/.test(value.trim()) || n < 1 || n > 1024) throw new InvalidArgumentError(`--workers expects an integer between 1 and 1024, got "${value}"`);
        return n;
      },
    )
    .option('--nodes <nodes.json>', 'SSH node list for --executor ssh (see `sciope nodes check --help`)');
}

/**
 * The executor for the flags. Every executor returns identical results for a
 * seed, so the choice only changes speed. Callers must close() it.
 */
export async function createExecutor(flags: ExecutorFlags, defaultWorkers: 'all' | 1): Promise<Executor> {
  if (flags.executor === 'ssh' || flags.nodes) {
    if (!flags.nodes) throw new InvalidArgumentError('--executor ssh needs --nodes <nodes.json>');
    const { createSshExecutor } = await import('./sshExecutor.js');
    return createSshExecutor(flags.nodes);
  }
  const workers = flags.workers ?? (defaultWorkers === 'all' ? availableParallelism() : 1);
  return workers === 1 ? new InProcessExecutor() : new WorkerPoolExecutor({ workers });
}
