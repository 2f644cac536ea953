import { randomBytes } from 'node:crypto';
import { RemoteNodeError } from '../../errors/index.js';
import type { Executor, MapOptions, SimulationJob, Trial, TrialResult } from '../executor.js';
import { connectNode, type ConnectOptions, type NodeConnection } from '../ssh/connection.js';
import { deployWorker, remoteWorkerBundle } from '../ssh/deploy.js';
import { NodeSession, type SessionTiming } from '../ssh/NodeSession.js';
import { SshNodePool, type NodeEvent, type SessionLauncher } from '../ssh/SshNodePool.js';
import { asRemoteError } from '../ssh/preflight.js';
import { SlurmClient, type ClusterFacts } from './SlurmClient.js';
import { clusterLabel, loginNode, parseSlurmSettings, type SlurmSettings, type SlurmSettingsInput } from './slurmSettings.js';

export interface SlurmExecutorOptions extends Omit<ConnectOptions, 'promptPassphrase'>, Partial<SessionTiming> {
  /** The cluster (validated here unless already parsed); its knownHosts applies unless given here. */
  readonly cluster: SlurmSettingsInput | SlurmSettings;
  readonly promptPassphrase?: ConnectOptions['promptPassphrase'];
  /** How often squeue is asked while the allocation waits in the queue (default 2000 ms). */
  readonly pollMs?: number;
  /** Attempts per batch when a worker thread crashes (see SshNodePool). */
  readonly maxAttempts?: number;
  readonly batchSize?: number;
  /** Allocation and worker-step events, for a log or the UI. */
  readonly onEvent?: (event: SlurmEvent) => void;
}

export type SlurmEvent =
  | { readonly type: 'checked'; readonly cluster: string; readonly facts: ClusterFacts }
  | { readonly type: 'submitted'; readonly cluster: string; readonly jobId: string }
  | { readonly type: 'pending'; readonly cluster: string; readonly jobId: string; readonly reason: string }
  | {
      readonly type: 'allocated';
      readonly cluster: string;
      readonly jobId: string;
      readonly nodes: string;
      readonly nodeVersion: string;
      readonly uploaded: boolean;
      readonly remoteFile: string;
    }
  | { readonly type: 'released'; readonly cluster: string; readonly jobId: string }
  /** A worker step: ready, unavailable, lost (its batches go to the other steps). */
  | { readonly type: 'step'; readonly event: NodeEvent };

/** A running allocation with the worker deployed on the shared filesystem. */
interface Allocation {
  readonly jobId: string;
  readonly remoteFile: string;
  readonly nodeVersion: string;
}

/**
 * Runs trials on a SLURM cluster in interactive mode: this process
 * coordinates, the cluster computes. Over SSH to the login node (the node
 * pool's connection and known_hosts rules) it checks the partition and its
 * limits, deploys the worker bundle once per content hash into `remoteDir`
 * on the shared filesystem, submits one allocation (`tasks` × `cpusPerTask`
 * CPUs for `time`, never without a time limit), checks Node on the compute
 * nodes by a short step, then starts one worker per task as a step
 * (`srun --jobid <id> --overlap -n1 ... node worker.mjs`) whose stdio,
 * through the SSH channel, speaks the node pool's framed protocol.
 *
 * Dispatch is the node pool's (SshNodePool with a step launcher): a step
 * that dies (scancel of the step, its process killed, its node lost) gives
 * its batches back to the others, results are bit-identical to the local
 * pool's, and a failed or cancelled map() ends its busy steps (a step that
 * does not exit when its stdin closes is scancel'd). close() ends every
 * step and scancels the allocation; a lost laptop leaves the workers to exit
 * on their host timeout and the allocation to its time limit.
 */
export class SlurmExecutor implements Executor {
  readonly kind = 'slurm';
  readonly cluster: SlurmSettings;
  private readonly label: string;
  private readonly connect: ConnectOptions;
  private readonly pollMs: number;
  private readonly onEvent: (event: SlurmEvent) => void;
  private readonly pool: SshNodePool;
  /** One name per executor: the allocation's job name and the prefix of its step names. */
  private readonly jobName = `sciope-${randomBytes(4).toString('hex')}`;
  private control: Promise<SlurmClient> | null = null;
  private allocation: Promise<Allocation> | null = null;
  /** The allocation's job id as soon as sbatch answered (close() cancels it even while it waits in the queue). */
  private jobId: string | null = null;
  /** Aborts waiting in the queue (close(), or the map() that asked for the allocation was cancelled). */
  private waiting: AbortController | null = null;
  private nextStep = 1;
  /** Why the last allocation could not be set up (every step then fails the same way: this is the message). */
  private failure: RemoteNodeError | null = null;

  constructor(options: SlurmExecutorOptions) {
    // Parsing is idempotent: already parsed settings come out the same.
    this.cluster = parseSlurmSettings(options.cluster);
    this.label = clusterLabel(this.cluster);
    const { connectTimeoutMs, keepaliveMs, promptPassphrase } = options;
    const knownHosts = options.knownHosts ?? this.cluster.knownHosts;
    this.connect = {
      ...(knownHosts ? { knownHosts } : {}),
      ...(connectTimeoutMs !== undefined ? { connectTimeoutMs } : {}),
      ...(keepaliveMs !== undefined ? { keepaliveMs } : {}),
      ...(promptPassphrase ? { promptPassphrase } : {}),
    };
    this.pollMs = options.pollMs ?? 2000;
    this.onEvent = options.onEvent ?? (() => undefined);
    const nodes = Array.from({ length: this.cluster.tasks }, (_, i) => loginNode(this.cluster, `${this.label} task ${i + 1}`));
    const { heartbeatMs, heartbeatTimeoutMs, hostTimeoutMs, maxAttempts, batchSize } = options;
    this.pool = new SshNodePool({
      ...this.connect,
      ...(heartbeatMs !== undefined ? { heartbeatMs } : {}),
      ...(heartbeatTimeoutMs !== undefined ? { heartbeatTimeoutMs } : {}),
      ...(hostTimeoutMs !== undefined ? { hostTimeoutMs } : {}),
      ...(maxAttempts !== undefined ? { maxAttempts } : {}),
      ...(batchSize !== undefined ? { batchSize } : {}),
      nodes,
      launch: this.launchStep,
      onNodeEvent: (event) => this.onEvent({ type: 'step', event }),
    });
  }

  /** Tasks × CPUs per task (the live steps' threads once they are up). */
  get concurrency(): number {
    return this.pool.concurrency;
  }

  /** The allocation's job id, once submitted. */
  get allocationId(): string | null {
    return this.jobId;
  }

  /** The login node connection for SLURM commands (reconnects after a loss). */
  private client(): Promise<SlurmClient> {
    if (!this.control) {
      const control = connectNode(loginNode(this.cluster), this.connect).then((connection) => {
        connection.client.once('close', () => {
          if (this.control === control) this.control = null;
        });
        return new SlurmClient(connection, this.cluster);
      });
      control.catch(() => {
        if (this.control === control) this.control = null;
      });
      this.control = control;
    }
    return this.control;
  }

  /** Pre-flight without submitting anything: connect (host key verified), sbatch --version, the partition and its limits. */
  async check(): Promise<ClusterFacts> {
    return (await this.client()).inspect();
  }

  /** Check, deploy, submit, wait in the queue, probe Node: once per allocation. */
  private allocate(): Promise<Allocation> {
    this.allocation ??= (async () => {
      const client = await this.client();
      const bundle = remoteWorkerBundle();
      bundle.catch(() => undefined);
      const facts = await client.inspect();
      this.onEvent({ type: 'checked', cluster: this.label, facts });
      // The upload goes on while the allocation waits in the queue.
      const deployment = bundle.then((worker) => deployWorker(client.connection, worker));
      deployment.catch(() => undefined);
      const jobId = await client.submitAllocation(this.jobName);
      this.jobId = jobId;
      this.onEvent({ type: 'submitted', cluster: this.label, jobId });
      try {
        this.waiting = new AbortController();
        const running = await client.waitRunning(jobId, {
          pollMs: this.pollMs,
          signal: this.waiting.signal,
          onPending: (s) => this.onEvent({ type: 'pending', cluster: this.label, jobId, reason: s.reason }),
        });
        const [nodeVersion, { remoteFile, uploaded }] = await Promise.all([client.probeNode(jobId, `${this.jobName}-probe`), deployment]);
        this.onEvent({ type: 'allocated', cluster: this.label, jobId, nodes: running.nodes, nodeVersion, uploaded, remoteFile });
        return { jobId, remoteFile, nodeVersion };
      } catch (error) {
        await this.release(client, jobId);
        throw error;
      } finally {
        this.waiting = null;
      }
    })();
    const allocation = this.allocation;
    this.failure = null;
    allocation.catch((error: unknown) => {
      if (this.allocation === allocation) this.allocation = null;
      this.failure = asRemoteError(this.label, error);
    });
    return allocation;
  }

  private async release(client: SlurmClient, jobId: string): Promise<void> {
    await client.cancel(jobId).catch(() => undefined);
    if (this.jobId === jobId) this.jobId = null;
    this.onEvent({ type: 'released', cluster: this.label, jobId });
  }

  /** The pool's launcher: one worker as a step of the allocation, over its own SSH connection. */
  private readonly launchStep: SessionLauncher = async (node, timing) => {
    // The step's own connection is made while the allocation is being set up.
    const connecting = connectNode(node, this.connect);
    connecting.catch(() => undefined);
    let connection: NodeConnection | null = null;
    try {
      const { jobId, remoteFile, nodeVersion } = await this.allocate();
      const client = await this.client();
      const stepName = `${this.jobName}-w${this.nextStep++}`;
      connection = await connecting;
      const session = await NodeSession.start(connection, remoteFile, this.cluster.cpusPerTask, timing, {
        wrap: (worker) => client.stepCommand(jobId, stepName, this.cluster.cpusPerTask, worker),
        // The worker runs on a compute node: its pid means nothing here, the step is what to end.
        kill: () => client.cancelStep(jobId, stepName),
        helloTimeoutMs: 120_000,
      });
      return { session, workers: this.cluster.cpusPerTask, nodeVersion, uploaded: false, remoteFile };
    } catch (error) {
      (connection ?? (await connecting.catch(() => null)))?.close();
      throw await this.explain(asRemoteError(node.name ?? this.label, error));
    }
  };

  /** A step that could not start because the allocation is gone says so. */
  private async explain(error: RemoteNodeError): Promise<RemoteNodeError> {
    const jobId = this.jobId;
    if (!jobId) return error;
    const state = await (await this.client()).jobState(jobId).catch(() => undefined);
    if (state === undefined || state?.state === 'RUNNING') return error;
    this.allocation = null;
    this.jobId = null;
    const what = state ? `${state.state}${state.reason && state.reason !== 'None' ? `, ${state.reason}` : ''}` : 'gone from the queue';
    return new RemoteNodeError(
      this.label,
      'allocation-ended',
      `${this.label}: the allocation (job ${jobId}) ended (${what}): cancelled, or over its time limit "${this.cluster.time}"; ${error.message}`,
      { jobId, state: state?.state },
    );
  }

  async map(job: SimulationJob, trials: readonly Trial[], options: MapOptions = {}): Promise<TrialResult[]> {
    const { signal } = options;
    // Cancelled while the allocation waits in the queue: stop waiting (it is then scancel'd).
    const onAbort = () => this.waiting?.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.pool.map(job, trials, options);
    } catch (error) {
      // No step came up because the allocation could not be set up: that is the message.
      if (error instanceof RemoteNodeError && error.reason === 'all-lost' && this.failure && !this.allocation) throw this.failure;
      // Every step lost: when the allocation ended, that is the message.
      if (error instanceof RemoteNodeError && error.reason === 'all-lost' && this.jobId) {
        const explained = await this.explain(error);
        if (explained !== error) throw Object.assign(explained, { runFailed: true });
      }
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** End every step, scancel the allocation (waiting until squeue no longer lists it) and disconnect. */
  async close(): Promise<void> {
    this.waiting?.abort(new Error('the executor was closed'));
    await this.pool.close();
    await this.allocation?.catch(() => undefined);
    const jobId = this.jobId;
    const control = this.control;
    this.allocation = null;
    this.control = null;
    if (control) {
      const client = await control.catch(() => null);
      if (client && jobId) await this.release(client, jobId);
      client?.connection.close();
    }
  }

  toJSON(): { kind: string; cluster: Omit<SlurmSettings, 'passphrase'>; jobId: string | null } {
    // Without secrets: a run's stored configuration must not hold a passphrase.
    const { passphrase: _, ...cluster } = this.cluster;
    return { kind: this.kind, cluster, jobId: this.jobId };
  }
}
