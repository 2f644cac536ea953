import { RemoteNodeError } from '../../errors/index.js';
import { shellQuote } from '../ssh/connection.js';
import type { SlurmClient } from './SlurmClient.js';

/**
 * The account and the request as SLURM itself judges them, before anything
 * is submitted, so a wrong field is named in a message rather than found as a
 * job pending forever:
 *  - the account against the user's associations (`sacctmgr show assoc`,
 *    where the cluster keeps accounting in slurmdbd);
 *  - the whole request (partition, account, wall time, tasks, CPUs, nodes)
 *    by `sbatch --test-only`, which runs SLURM's own checks (partition
 *    limits under EnforcePartLimits, QOS and association limits, node
 *    configuration) and submits nothing;
 *  - after a submission, a pending reason that never clears on its own
 *    (an invalid account, a request over a partition's or QOS's per-job
 *    limit) is turned into the same kind of error (see fatalPendingReason).
 * Every error is a RemoteNodeError whose `details.field` is the settings
 * field to change ("account", "time", "tasks", "cpusPerTask", "partition").
 */
export type RequestField = 'account' | 'partition' | 'time' | 'tasks' | 'cpusPerTask' | 'nodes';

/** How the account was found valid: by the user's associations, or by SLURM accepting a test submission. */
export type AccountCheck = 'sacctmgr' | 'sbatch --test-only' | null;

/** sbatch's flags for `tasks` × `cpusPerTask` CPUs for `time` in the partition, with the account. */
export function requestFlags(client: SlurmClient, partition: string): string[] {
  const { cluster } = client;
  return [
    `--time=${cluster.time}`,
    `--ntasks=${cluster.tasks}`,
    `--cpus-per-task=${cluster.cpusPerTask}`,
    ...(cluster.nodes ? [`--nodes=${cluster.nodes}`] : []),
    `--partition=${partition}`,
    ...(cluster.account ? [`--account=${cluster.account}`] : []),
  ];
}

function refuse(client: SlurmClient, field: RequestField, message: string, details: Record<string, unknown> = {}): never {
  throw new RemoteNodeError(client.label, field === 'account' ? 'account' : 'limits', `${client.label}: "${field}": ${message}`, { field, ...details });
}

/**
 * The account against the user's associations, when the cluster answers
 * `sacctmgr` (accounting in slurmdbd); null when it does not (then the test
 * submission and the pending reason judge the account).
 */
export async function checkAccountAssociations(client: SlurmClient, partition: string): Promise<AccountCheck> {
  const { account, user } = client.cluster;
  if (!account) return null;
  const result = await client.run(`sacctmgr -nP show assoc where user=${shellQuote(user)} format=account,partition 2>&1`, 20_000);
  if (result.code !== 0) return null; // no slurmdbd, or sacctmgr not installed on the login node
  const rows = result.stdout
    .split('\n')
    .map((line) => line.trim().split('|'))
    .filter(([name]) => name && /^[A-Za-z0-9_.+-]+$/.test(name));
  if (rows.length === 0) return null;
  const matches = rows.filter(([name]) => name!.toLowerCase() === account.toLowerCase());
  const here = matches.some(([, p]) => !p || p === partition);
  if (!here) {
    const valid = [...new Set(rows.filter(([, p]) => !p || p === partition).map(([name]) => name!))];
    refuse(
      client,
      'account',
      matches.length > 0
        ? `the account "${account}" of user ${user} may not use partition "${partition}" (its associations name ${matches.map(([, p]) => p).join(', ')}); choose another "partition" or "account"${valid.length > 0 ? ` (${valid.join(', ')} may use it)` : ''}`
        : `user ${user} has no account "${account}" on this cluster; ${valid.length > 0 ? `the user's accounts are: ${valid.join(', ')}` : 'sacctmgr lists no account of the user for this partition'} (or leave "account" empty for the default)`,
      { account, partition, validAccounts: valid },
    );
  }
  return 'sacctmgr';
}

/** SLURM's refusals, by what they say, mapped to the settings field to change. */
const REFUSALS: ReadonlyArray<readonly [RegExp, RequestField, string]> = [
  [
    /invalid account|account\/partition combination|account not known|InvalidAccount|AccountNotAllowed|not allowed to use this account/i,
    'account',
    'the account is not valid for this user and partition',
  ],
  [/invalid partition|partition.*not.*(available|valid)|Access denied to partition/i, 'partition', 'the partition refuses the job'],
  [/time ?limit|MaxWallDuration|wall ?time/i, 'time', 'the wall time is over a limit of the partition, the account or the QOS'],
  [
    /more processors requested than permitted|MaxCpu|CPU count|cpus.per.task|Requested node configuration is not available/i,
    'cpusPerTask',
    'no node of the partition can hold a task of that many CPUs, or the CPUs asked for are over a limit',
  ],
  [/node count|MaxNodes?|PartitionNodeLimit|nodes/i, 'nodes', 'the number of nodes is over a limit'],
];

/** The field a refusal or a pending reason of SLURM names, if any. */
export function refusalField(said: string): { field: RequestField; what: string } | null {
  for (const [pattern, field, what] of REFUSALS) if (pattern.test(said)) return { field, what };
  return null;
}

/**
 * `sbatch --test-only` with the run's request: SLURM's own judgement of the
 * partition, account, time and CPUs, nothing submitted. Throws naming the
 * field; a request over the partition's total CPUs names "tasks".
 */
export async function testSubmission(client: SlurmClient, partition: string): Promise<void> {
  const flags = requestFlags(client, partition);
  const result = await client.run(`sbatch --test-only ${flags.join(' ')} --wrap=true 2>&1`, 30_000);
  if (result.code === 0) return;
  const said = (result.stdout || result.stderr).trim().split('\n').filter(Boolean).slice(-2).join(' ');
  const found = refusalField(said);
  const { cluster } = client;
  // "Requested node configuration is not available" is also what too many tasks in all say: tell which.
  if (found?.field === 'cpusPerTask' && /node configuration/i.test(said)) {
    refuse(
      client,
      cluster.tasks > 1 ? 'tasks' : 'cpusPerTask',
      `SLURM cannot place ${cluster.tasks} task(s) of ${cluster.cpusPerTask} CPU(s)${cluster.nodes ? ` on ${cluster.nodes} node(s)` : ''} in partition "${partition}" (sbatch --test-only: ${said}); lower "tasks" or "cpusPerTask"${cluster.nodes ? ', or "nodes"' : ''}`,
      { said, flags },
    );
  }
  if (found) refuse(client, found.field, `${found.what} (sbatch --test-only ${flags.join(' ')}: ${said})`, { said, flags });
  throw new RemoteNodeError(client.label, 'limits', `${client.label}: SLURM refuses the request ${flags.join(' ')}: ${said || `exit ${result.code}`}`, {
    said,
    flags,
  });
}

/**
 * A pending reason that will not clear by waiting: an invalid or unknown
 * account, a request over a per-job limit of the partition, association or
 * QOS, constraints no node meets. Returns the field to change, or null for a
 * reason that clears (Priority, Resources, a node down, a limit shared with
 * other jobs of the account).
 */
export function fatalPendingReason(reason: string): { field: RequestField; what: string } | null {
  if (
    /^(Priority|Resources|None|Dependency|BeginTime|JobHeld\w*|ReqNodeNotAvail.*|PartitionDown|NodeDown|Reservation|Licenses|Prolog|launch failed.*)$/i.test(
      reason.trim(),
    )
  )
    return null;
  const fatal =
    /InvalidAccount|InvalidQOS|AccountNotAllowed|QOSNotAllowed|account not known|PartitionTimeLimit|PartitionNodeLimit|PartitionConfig|BadConstraints|PerJob|MaxWallDuration/i;
  if (!fatal.test(reason)) return null;
  if (/PartitionNodeLimit/i.test(reason)) return { field: 'nodes', what: "the request is over the partition's node limits" };
  if (/PartitionConfig|BadConstraints/i.test(reason)) return { field: 'tasks', what: 'no node of the partition matches the request' };
  return refusalField(reason) ?? { field: 'account', what: 'SLURM will never start the job as asked' };
}

/** Throw for a job that pends for a reason that never clears (the caller cancels it). */
export function refuseFatalPending(client: SlurmClient, jobId: string, reason: string): void {
  const fatal = fatalPendingReason(reason);
  if (!fatal) return;
  refuse(client, fatal.field, `${fatal.what}: job ${jobId} would pend forever (squeue's reason: ${reason}); it was cancelled`, { jobId, reason });
}
