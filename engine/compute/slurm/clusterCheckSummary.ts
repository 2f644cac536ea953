import type { ClusterFacts } from './SlurmClient.js';

/**
 * A SLURM cluster's pre-flight facts (SlurmExecutor.check) in one line for
 * people; Node.js on the compute nodes cannot be checked before an
 * allocation exists, and the line says so.
 */
export function describeClusterCheck(facts: ClusterFacts): string {
  const account = facts.account
    ? facts.accountCheckedBy === 'sacctmgr'
      ? `, account ${facts.account} (one of yours, by sacctmgr)`
      : `, account ${facts.account} (accepted by sbatch --test-only; a job SLURM would never start for it is cancelled and said so)`
    : '';
  return `ready: SLURM ${facts.slurmVersion}, partition ${facts.partition} (${facts.usableNodes} node(s) up, up to ${facts.cpusPerNode} CPUs each)${account}; the request passed sbatch --test-only; Node.js on the compute nodes is checked when the allocation starts`;
}
