import type { ConnectOptions } from '../../ssh/connection.js';
import type { SlurmClient } from '../SlurmClient.js';
import type { RemoteStatus } from './remoteControl.js';
import { RemoteRunRegistry, type RemoteRun } from './remoteRuns.js';
import type { RunConnections } from './runConnections.js';

/** A run's status as last read, or why it could not be read. */
export interface TrackedStatus {
  readonly run: RemoteRun;
  /** The last status read (possibly from an earlier call when the cluster cannot be reached now). */
  readonly status: RemoteStatus | null;
  readonly checkedAt: string | null;
  /** Why the cluster could not be asked this time. */
  readonly problem: string | null;
}

/** How many runs are asked about at once (each a few commands on its login node's one connection; sshd allows 10 channels). */
const CONCURRENT_READS = 4;

/**
 * The remote runs of this computer's user (remote-runs.json in `configDir`)
 * for a long-lived front door (the app's engine): their login-node
 * connections kept between calls, and their last statuses. A run whose
 * current job has left the queue does not change until it is resumed, so
 * its status is read once; queued and running ones are read on every
 * refresh. One tracker per engine; close() drops the connections.
 */
export class RemoteRunTracker {
  readonly registry: RemoteRunRegistry;
  /** Made on first use: the SSH client is loaded only by an engine that follows remote runs. */
  private connections: Promise<RunConnections> | null = null;
  private closed = false;
  private readonly last = new Map<string, { jobId: string; status: RemoteStatus; checkedAt: string }>();

  constructor(
    /** The user's config folder (remote-runs.json). */
    readonly configDir: string,
    options: { readonly idleMs?: number; readonly connect?: ConnectOptions } = {},
  ) {
    this.registry = new RemoteRunRegistry(configDir);
    this.options = options;
  }

  private readonly options: { readonly idleMs?: number; readonly connect?: ConnectOptions };

  /** Do `fn` with the run's login node (a kept connection). */
  async use<T>(run: RemoteRun, fn: (client: SlurmClient) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('the remote-run tracker is closed');
    this.connections ??= import('./runConnections.js').then(({ RunConnections }) => new RunConnections(this.options));
    return (await this.connections).use(run, fn);
  }

  /** Read the run's status now (throws when the cluster cannot be reached). */
  async read(run: RemoteRun): Promise<RemoteStatus> {
    const { readStatus } = await import('./remoteControl.js');
    const status = await this.use(run, (client) => readStatus(client, run));
    this.remember(status);
    return status;
  }

  /** Keep a status read elsewhere (after a cancel or a fetch). */
  remember(status: RemoteStatus): void {
    this.last.set(status.run.id, { jobId: status.job.jobId, status, checkedAt: new Date().toISOString() });
  }

  /** What is known of the run without asking (null: never read, or its job changed since). */
  known(run: RemoteRun): { status: RemoteStatus; checkedAt: string } | null {
    const last = this.last.get(run.id);
    return last && last.jobId === run.jobs.at(-1)!.id ? { status: { ...last.status, run }, checkedAt: last.checkedAt } : null;
  }

  /**
   * Every recorded run, newest first, with its status: read now for runs
   * whose job may still change (`refresh`), else the last known one. A
   * cluster that cannot be reached gives its runs a `problem`, not an error.
   */
  async list(refresh: boolean): Promise<TrackedStatus[]> {
    const runs = this.registry.list().sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const out: TrackedStatus[] = new Array(runs.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < runs.length; i = next++) {
        const run = runs[i]!;
        const known = this.known(run);
        if (!refresh || (known && !known.status.job.inQueue)) {
          out[i] = { run, status: known?.status ?? null, checkedAt: known?.checkedAt ?? null, problem: null };
          continue;
        }
        try {
          const status = await this.read(run);
          out[i] = { run, status, checkedAt: this.last.get(run.id)!.checkedAt, problem: null };
        } catch (error) {
          out[i] = { run, status: known?.status ?? null, checkedAt: known?.checkedAt ?? null, problem: (error as Error).message };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_READS, runs.length) }, worker));
    return out;
  }

  /** Forget a run's record and what is known of it. */
  forget(id: string): RemoteRun {
    const run = this.registry.remove(id);
    this.last.delete(run.id);
    return run;
  }

  close(): void {
    this.closed = true;
    void this.connections?.then((connections) => connections.close());
    this.connections = null;
    this.last.clear();
  }
}
