import { RemoteNodeError } from '../../errors/index.js';
import { MIN_NODE_MAJOR } from '../ssh/preflight.js';
import { shellQuote, type ExecResult, type NodeConnection } from '../ssh/connection.js';
import type { SlurmSettings } from './slurmSettings.js';
import { checkAccountAssociations, refuseFatalPending, testSubmission, type AccountCheck } from './requestCheck.js';
import {
  parseJobState,
  parseSbatchJobId,
  parseSinfo,
  parseSlurmTime,
  parseSlurmVersion,
  parseSteps,
  SINFO_FORMAT,
  SQUEUE_JOB_FORMAT,
  SQUEUE_STEP_FORMAT,
  type JobState,
  type PartitionRow,
} from './slurmText.js';

/** What the login node said about the cluster before anything was submitted. */
export interface ClusterFacts {
  /** e.g. `22.05.8` */
  readonly slurmVersion: string;
  /** The partition the allocation goes to (the given one, else the default). */
  readonly partition: string;
  /** Its time limit in seconds; null when unlimited. */
  readonly timeLimitS: number | null;
  /** CPUs of its largest node. */
  readonly cpusPerNode: number;
  /** Nodes not down or drained. */
  readonly usableNodes: number;
  /** CPUs of those nodes together. */
  readonly usableCpus: number;
  /** The account asked for (null: the user's default). */
  readonly account: string | null;
  /** How the account was found valid (null: no account given, or SLURM keeps no associations to check it against before a job). */
  readonly accountCheckedBy: AccountCheck;
}

/** States in which a job still holds (or waits for) resources. */
const ACTIVE = new Set([
  'PENDING',
  'CONFIGURING',
  'RUNNING',
  'COMPLETING',
  'SUSPENDED',
  'RESIZING',
  'REQUEUED',
  'REQUEUE_HOLD',
  'REQUEUE_FED',
  'SIGNALING',
  'STAGE_OUT',
  'STOPPED',
]);

export function isActive(state: JobState | null): boolean {
  return !!state && ACTIVE.has(state.state);
}

/**
 * SLURM's commands (sinfo, sbatch, squeue, srun, scancel) run on the login
 * node over an SSH connection, with the cluster's `setup` line (e.g. `module
 * load slurm nodejs`) first. Only job ids, names SLURM accepts and quoted
 * words reach the shell.
 */
export class SlurmClient {
  constructor(
    readonly connection: NodeConnection,
    readonly cluster: SlurmSettings,
  ) {}

  get label(): string {
    return this.connection.label;
  }

  /** `setup && command`, so a module system can put the SLURM commands and Node on the PATH. */
  shell(command: string): string {
    return this.cluster.setup?.trim() ? `${this.cluster.setup.trim()} && ${command}` : command;
  }

  run(command: string, timeoutMs = 30_000): Promise<ExecResult> {
    return this.connection.exec(this.shell(command), timeoutMs);
  }

  private fail(reason: string, what: string, result: ExecResult, details: Record<string, unknown> = {}): never {
    const said = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ');
    throw new RemoteNodeError(this.label, reason, `${this.label}: ${what}${said ? `: ${said}` : ''}`, { exitCode: result.code, ...details });
  }

  /**
   * sbatch --version, then sinfo for the partition: it exists, is up, has a
   * node that is not down, allows the requested time and has nodes with
   * enough CPUs for one task and enough CPUs in all; then the account
   * against the user's associations (sacctmgr, where the cluster has them)
   * and the whole request by `sbatch --test-only` (see requestCheck.ts).
   * Nothing is submitted. Errors name the settings field to change.
   */
  async inspect(): Promise<ClusterFacts> {
    const { cluster } = this;
    const [version, sinfo] = await Promise.all([
      this.run('sbatch --version'),
      this.run(`sinfo -h ${cluster.partition ? `--partition=${cluster.partition} ` : ''}-o ${shellQuote(SINFO_FORMAT)}`),
    ]);
    if (version.code === 127 || version.code === 126) {
      this.fail(
        'slurm-missing',
        `sbatch was not found on the login node's PATH (is this a SLURM login node? if SLURM comes from a module, set "setup" to e.g. "module load slurm")`,
        version,
      );
    }
    const slurmVersion = parseSlurmVersion(version.stdout);
    if (version.code !== 0 || !slurmVersion) this.fail('slurm-missing', '"sbatch --version" failed', version);
    if (sinfo.code !== 0) this.fail('partition', 'sinfo failed', sinfo);
    const rows = parseSinfo(sinfo.stdout);
    const partition = cluster.partition ?? rows.find((r) => r.isDefault)?.partition;
    if (!partition)
      throw new RemoteNodeError(
        this.label,
        'partition',
        `${this.label}: the cluster has no default partition; set "partition" (sinfo lists: ${[...new Set(rows.map((r) => r.partition))].join(', ') || 'none'})`,
      );
    const mine = rows.filter((r) => r.partition === partition);
    if (mine.length === 0) {
      const all = parseSinfo((await this.run(`sinfo -h -o ${shellQuote(SINFO_FORMAT)}`)).stdout);
      throw new RemoteNodeError(
        this.label,
        'partition',
        `${this.label}: no partition "${partition}"; sinfo lists: ${[...new Set(all.map((r) => r.partition))].join(', ') || 'none'}`,
        { partition },
      );
    }
    const facts = checkLimits(this.label, cluster, partition, slurmVersion, mine);
    const byAssociations = await checkAccountAssociations(this, partition);
    await testSubmission(this, partition);
    return { ...facts, accountCheckedBy: byAssociations ?? (cluster.account ? 'sbatch --test-only' : null) };
  }

  /**
   * Submit the allocation: a batch job that only sleeps, holding `tasks` ×
   * `cpusPerTask` CPUs for `time`; the workers run in it as steps. Its
   * output goes nowhere: nothing is written on the cluster.
   */
  async submitAllocation(jobName: string): Promise<string> {
    const { cluster } = this;
    const flags = [
      '--parsable',
      `--job-name=${jobName}`,
      '--output=/dev/null',
      `--time=${cluster.time}`,
      `--ntasks=${cluster.tasks}`,
      `--cpus-per-task=${cluster.cpusPerTask}`,
      ...(cluster.nodes ? [`--nodes=${cluster.nodes}`] : []),
      ...(cluster.partition ? [`--partition=${cluster.partition}`] : []),
      ...(cluster.account ? [`--account=${cluster.account}`] : []),
    ];
    const result = await this.run(`sbatch ${flags.join(' ')} --wrap=${shellQuote('exec sleep infinity')}`);
    const jobId = parseSbatchJobId(result.stdout);
    if (result.code !== 0 || !jobId) this.fail('submit', `sbatch refused the allocation (${flags.slice(3).join(' ')})`, result);
    return jobId;
  }

  /** The job's state, or null once SLURM has forgotten it. */
  async jobState(jobId: string): Promise<JobState | null> {
    const result = await this.run(`squeue -h -j ${jobId} -o ${shellQuote(SQUEUE_JOB_FORMAT)}`);
    if (result.code !== 0) {
      if (/Invalid job id/i.test(result.stderr)) return null;
      this.fail('connect', 'squeue failed', result);
    }
    return parseJobState(result.stdout);
  }

  /** Poll until the job runs; throws when it ends first (its state says why) or the signal fires. */
  async waitRunning(jobId: string, options: { pollMs: number; signal?: AbortSignal; onPending?: (state: JobState) => void }): Promise<JobState> {
    let lastReason = '';
    for (;;) {
      options.signal?.throwIfAborted();
      const state = await this.jobState(jobId);
      if (state?.state === 'RUNNING') return state;
      if (!isActive(state)) {
        throw new RemoteNodeError(
          this.label,
          'allocation-ended',
          `${this.label}: the allocation (job ${jobId}) ended before it started${state ? ` (${state.state}, ${state.reason})` : ''}`,
          { jobId, state: state?.state },
        );
      }
      if (state && state.reason !== lastReason) {
        lastReason = state.reason;
        options.onPending?.(state);
        // An invalid account or a request over a per-job limit pends forever: say which field, the caller cancels.
        refuseFatalPending(this, jobId, state.reason);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollMs);
        options.signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  }

  /** The srun command that starts `command` as a one-task step of the allocation, its stdio unbuffered. */
  stepCommand(jobId: string, stepName: string, cpus: number, command: string): string {
    return this.shell(
      `exec srun --jobid=${jobId} --overlap --ntasks=1 --nodes=1 --cpus-per-task=${cpus} --unbuffered --quiet --job-name=${stepName} -- ${command}`,
    );
  }

  /**
   * Node on the compute nodes, by a one-task step: present and recent
   * enough, else a message with the fix.
   */
  async probeNode(jobId: string, stepName: string): Promise<string> {
    const { nodePath } = this.cluster;
    const result = await this.connection.exec(this.stepCommand(jobId, stepName, 1, `${shellQuote(nodePath)} --version`), 120_000);
    const said = (result.stderr || result.stdout).trim().split('\n').at(-1) ?? '';
    const match = /^v(\d+)\.\d+\.\d+/.exec(result.stdout.trim());
    if (!match) {
      const missing = /execve|No such file|not found|command not found/i.test(result.stderr) || result.code === 127 || result.code === 2;
      throw new RemoteNodeError(
        this.label,
        'node-missing',
        missing
          ? `${this.label}: Node.js was not found on the compute nodes ("${nodePath}" in a job step${said ? `: ${said}` : ''}). Load a Node module before the steps start: set "setup" to e.g. "module load nodejs" (\`module load nodejs\`), or set "nodePath" to the absolute path of a Node.js >= ${MIN_NODE_MAJOR} binary on the shared filesystem.`
          : `${this.label}: "${nodePath} --version" failed in a job step (exit ${result.code ?? 'signal'}): ${said || '(no output)'}`,
        { nodePath, exitCode: result.code, output: said },
      );
    }
    if (Number(match[1]) < MIN_NODE_MAJOR) {
      throw new RemoteNodeError(
        this.label,
        'node-too-old',
        `${this.label}: Node.js ${match[0]} on the compute nodes is too old; the worker needs Node.js >= ${MIN_NODE_MAJOR}. Load a newer module (e.g. "module load nodejs/20") in "setup", or set "nodePath".`,
        { nodePath, nodeVersion: match[0] },
      );
    }
    return match[0];
  }

  /** Cancel the steps of the job with this name (a worker that would not exit). */
  async cancelStep(jobId: string, stepName: string): Promise<void> {
    const result = await this.run(`squeue -h -s -j ${jobId} -o ${shellQuote(SQUEUE_STEP_FORMAT)}`, 10_000);
    const ids = parseSteps(result.stdout)
      .filter((s) => s.name === stepName)
      .map((s) => s.id);
    if (ids.length > 0) await this.run(`scancel --quiet ${ids.join(' ')}`, 10_000);
  }

  /** scancel the job, then wait (up to `timeoutMs`) until squeue no longer lists it as active. */
  async cancel(jobId: string, timeoutMs = 15_000): Promise<void> {
    // slurmctld answers scancel after its current scheduling pass: seconds on a busy controller.
    await this.run(`scancel --quiet ${jobId}`, 30_000);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && isActive(await this.jobState(jobId).catch(() => null))) await new Promise((r) => setTimeout(r, 200));
  }
}

/** The partition's limits against the request; throws a RemoteNodeError naming the limit. */
export function checkLimits(label: string, cluster: SlurmSettings, partition: string, slurmVersion: string, rows: readonly PartitionRow[]): ClusterFacts {
  if (!rows.some((r) => r.up))
    throw new RemoteNodeError(label, 'partition', `${label}: partition "${partition}" is down (sinfo: availability not "up")`, { partition });
  const timeLimitS = rows.some((r) => r.timeLimitS === null) ? null : Math.max(...rows.map((r) => r.timeLimitS!));
  const requested = parseSlurmTime(cluster.time)!;
  if (timeLimitS !== null && requested > timeLimitS) {
    throw new RemoteNodeError(
      label,
      'limits',
      `${label}: "time": the wall time ${cluster.time} exceeds partition "${partition}"'s limit (${formatSeconds(timeLimitS)}); ask for less "time"`,
      { field: 'time', partition, time: cluster.time, timeLimitS },
    );
  }
  const usable = rows.filter((r) => !/^(down|drain|drained|draining|fail|failing|future|unknown|inval)/.test(r.state));
  const cpusPerNode = Math.max(...rows.map((r) => r.cpusPerNode));
  if (cluster.cpusPerTask > cpusPerNode) {
    throw new RemoteNodeError(
      label,
      'limits',
      `${label}: "cpusPerTask": ${cluster.cpusPerTask} CPUs per task, but the nodes of partition "${partition}" have at most ${cpusPerNode}; lower "cpusPerTask"`,
      { field: 'cpusPerTask', partition, cpusPerTask: cluster.cpusPerTask, cpusPerNode },
    );
  }
  const usableCpus = usable.reduce((n, r) => n + r.nodes * r.cpusPerNode, 0);
  const partitionCpus = rows.reduce((n, r) => n + r.nodes * r.cpusPerNode, 0);
  // Whole tasks per node: a node of 6 CPUs holds one task of 4, not one and a half.
  const partitionSlots = rows.reduce((n, r) => n + r.nodes * Math.floor(r.cpusPerNode / cluster.cpusPerTask), 0);
  if (cluster.tasks > partitionSlots) {
    throw new RemoteNodeError(
      label,
      'limits',
      `${label}: "tasks": ${cluster.tasks} tasks of ${cluster.cpusPerTask} CPU(s), but partition "${partition}" holds at most ${partitionSlots} such tasks (${partitionCpus} CPUs on ${rows.reduce((n, r) => n + r.nodes, 0)} node(s)); lower "tasks" or "cpusPerTask"`,
      { field: 'tasks', partition, tasks: cluster.tasks, cpusPerTask: cluster.cpusPerTask, partitionCpus },
    );
  }
  return {
    slurmVersion,
    partition,
    timeLimitS,
    cpusPerNode,
    usableNodes: usable.reduce((n, r) => n + r.nodes, 0),
    usableCpus,
    account: cluster.account ?? null,
    accountCheckedBy: null,
  };
}

function formatSeconds(s: number): string {
  const d = Math.floor(s / 86400);
  const hms = [Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60), s % 60].map((v) => String(v).padStart(2, '0')).join(':');
  return d > 0 ? `${d}-${hms}` : hms;
}
