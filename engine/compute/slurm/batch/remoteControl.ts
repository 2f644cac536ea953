import { posix } from 'node:path';
import { connectNode, shellQuote, type ConnectOptions } from '../../ssh/connection.js';
import { SlurmClient } from '../SlurmClient.js';
import { loginNode } from '../slurmSettings.js';
import { batchJobState, submitScript, type BatchJobState } from './jobState.js';
import { jobLog } from './jobScript.js';
import { parseProgress, type RunProgress } from './progress.js';
import { RemoteRunError, RemoteRunRegistry, type RemoteRun } from './remoteRuns.js';

/** Everything `sciope remote status` shows: the job as SLURM sees it and the run as the job wrote it. */
export interface RemoteStatus {
  readonly run: RemoteRun;
  readonly job: BatchJobState;
  readonly progress: RunProgress | null;
  /** The last lines the job printed (its log), for a job that ended. */
  readonly logTail: string;
}

/** Connect to a run's login node (the same known_hosts rules as everywhere); close `client.connection` after. */
export async function connectRun(run: RemoteRun, options: ConnectOptions = {}): Promise<SlurmClient> {
  const cluster = RemoteRunRegistry.cluster(run);
  const connection = await connectNode(loginNode(cluster), { ...options, ...(cluster.knownHosts ? { knownHosts: cluster.knownHosts } : {}) });
  return new SlurmClient(connection, cluster);
}

const currentJob = (run: RemoteRun) => run.jobs[run.jobs.length - 1];

export async function readStatus(client: SlurmClient, run: RemoteRun): Promise<RemoteStatus> {
  const { connection } = client;
  // The job first, then what it wrote: a job seen ended has written its last progress (read in the other order, a run could look stopped while it completed).
  const job = await batchJobState(client, currentJob(run).id, run.runDir);
  const progressText = await connection.exec(`cat ${shellQuote(posix.join(run.runDir, 'progress.json'))} 2>/dev/null`);
  const logTail = job.inQueue ? '' : (await connection.exec(`tail -n 15 ${shellQuote(jobLog(run.runDir, job.jobId))} 2>/dev/null`)).stdout;
  return { run, job, progress: parseProgress(progressText.stdout), logTail };
}

export interface AttachOptions {
  readonly intervalMs?: number;
  readonly signal?: AbortSignal;
  /** Called with every status read; new generations are those past the last one seen. */
  readonly onStatus: (status: RemoteStatus) => void;
}

/**
 * Follow a run while connected: read its status every `intervalMs` (default
 * 2 s) until the job leaves the queue or `signal` aborts (detaching: the job
 * goes on). Returns the last status.
 */
export async function attachRun(client: SlurmClient, run: RemoteRun, options: AttachOptions): Promise<RemoteStatus> {
  const interval = options.intervalMs ?? 2000;
  for (;;) {
    const status = await readStatus(client, run);
    options.onStatus(status);
    if (!status.job.inQueue || options.signal?.aborted) return status;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, interval);
      options.signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
    if (options.signal?.aborted) return status;
  }
}

/** scancel the run's job when it is queued or running; the project keeps every generation stored so far (resume it with `remote resume`). */
export async function cancelRun(client: SlurmClient, run: RemoteRun, registry: RemoteRunRegistry): Promise<BatchJobState> {
  const job = await batchJobState(client, currentJob(run).id, run.runDir);
  if (!job.inQueue) return job; // nothing left to cancel
  await client.cancel(job.jobId);
  registry.update(run.id, (r) => ({ ...r, cancelledAt: new Date().toISOString() }));
  return job;
}

/**
 * Submit the run's job script again (with another wall-time limit when
 * `time` is given): its coordinator finds the run in the project and continues it with `sciope resume` from the last stored
 * generation (bit-identical to an uninterrupted run). Refused while a job of
 * the run is still queued or running, or once the run completed.
 */
export async function resubmitRun(client: SlurmClient, run: RemoteRun, registry: RemoteRunRegistry, options: { time?: string } = {}): Promise<string> {
  const status = await readStatus(client, run);
  if (status.job.inQueue)
    throw new RemoteRunError('REMOTE_RUN_BUSY', `remote run ${run.id}: job ${status.job.jobId} is still ${status.job.state}; wait for it or cancel it first`, {
      id: run.id,
    });
  if (status.progress?.status === 'completed')
    throw new RemoteRunError('REMOTE_RUN_COMPLETED', `remote run ${run.id} is completed; nothing to resume (fetch it with \`sciope remote fetch ${run.id}\`)`, {
      id: run.id,
    });
  const jobId = await submitScript(client, posix.join(run.runDir, 'job.sh'), options.time);
  registry.update(run.id, (r) => {
    const { cancelledAt: _cancelled, ...rest } = r;
    return { ...rest, jobs: [...r.jobs, { id: jobId, submittedAt: new Date().toISOString(), kind: 'resume' }] };
  });
  return jobId;
}

export function remoteProjectPath(run: RemoteRun): string {
  return posix.join(run.runDir, 'project.sciope');
}

/** Refuse to fetch a project the job is still writing (a copy could be torn). */
export function requireEnded(status: RemoteStatus): void {
  if (status.job.inQueue) {
    throw new RemoteRunError(
      'REMOTE_RUN_BUSY',
      `remote run ${status.run.id}: job ${status.job.jobId} is still ${status.job.state}; fetch it when it has ended (\`sciope remote attach ${status.run.id}\` waits), or cancel it`,
      { id: status.run.id },
    );
  }
}
