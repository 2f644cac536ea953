import { dirname, resolve } from 'node:path';
import type { Executor } from '../compute/executor.js';
import { parseSlurmSettings, SlurmExecutor, type SlurmEvent } from '../compute/slurm/index.js';
import { describeStepEvent } from '../compute/slurm/stepEvents.js';
import { slurmSettingsInput, type SlurmFlags } from './slurmFlags.js';
import { readJsonFile } from './jsonFile.js';
import { promptPassphrase } from './commands/nodes.js';

/**
 * The SLURM executor for `--executor slurm`: the `--slurm` cluster file
 * (paths relative to it) with the flags on top; progress of the allocation
 * and its worker steps on stderr.
 */
export async function createSlurmExecutor(flags: SlurmFlags): Promise<Executor> {
  const file = flags.slurm ? (readJsonFile(flags.slurm) as Record<string, unknown>) : {};
  const base = flags.slurm ? dirname(resolve(flags.slurm)) : process.cwd();
  const cluster = parseSlurmSettings(slurmSettingsInput(flags, file), flags.slurm ?? 'the --slurm-* flags', base);
  return new SlurmExecutor({
    cluster,
    // An encrypted key without ssh-agent: ask on the terminal, as ssh does.
    promptPassphrase,
    onEvent: (event) => {
      const line = describeSlurmEvent(event);
      if (line) process.stderr.write(`sciope: ${line}\n`);
    },
  });
}

export function describeSlurmEvent(event: SlurmEvent): string | null {
  switch (event.type) {
    case 'checked':
      return `${event.cluster}: SLURM ${event.facts.slurmVersion}, partition ${event.facts.partition} (${event.facts.usableNodes} node(s) up, up to ${event.facts.cpusPerNode} CPUs each)`;
    case 'submitted':
      return `${event.cluster}: allocation submitted as job ${event.jobId}`;
    case 'pending':
      return `job ${event.jobId} pending (${event.reason})`;
    case 'allocated':
      return `job ${event.jobId} running on ${event.nodes}, Node ${event.nodeVersion} on the compute nodes${event.uploaded ? ', worker uploaded' : ''}`;
    case 'released':
      return `job ${event.jobId} cancelled (allocation released)`;
    case 'step':
      return describeStepEvent(event.event, { ready: false });
  }
}
