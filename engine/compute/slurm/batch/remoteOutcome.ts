import type { RemoteStatus } from './remoteControl.js';

/**
 * Where a remote run stands, judged once for every front door (`sciope
 * remote status|attach`, the app's Remote runs panel) from SLURM's view of
 * its current job and the run's progress.json:
 *   queued     the job waits in the queue
 *   running    the job runs (RUNNING, COMPLETING...)
 *   completed  the run finished: fetch it
 *   cancelled  `remote cancel` ended it: resume it, or leave it
 *   failed     the job exited with an error: read its log, fix, resume
 *   stopped    SLURM ended the job before the run did (time limit,
 *              preemption, scancel from outside, a lost node): resume it
 */
export type RemotePhase = 'queued' | 'running' | 'completed' | 'cancelled' | 'failed' | 'stopped';

export interface RemoteOutcome {
  readonly phase: RemotePhase;
  /** What the user can do next, if anything: fetch the finished run, or continue it in a new job. */
  readonly action: 'fetch' | 'resume' | null;
}

export function remoteOutcome(status: Pick<RemoteStatus, 'run' | 'job' | 'progress'>): RemoteOutcome {
  const { run, job, progress } = status;
  if (job.inQueue) return { phase: job.state === 'PENDING' ? 'queued' : 'running', action: null };
  if (progress?.status === 'completed') return { phase: 'completed', action: 'fetch' };
  if (run.cancelledAt) return { phase: 'cancelled', action: 'resume' };
  if (!job.killed && job.exitCode !== undefined && job.exitCode !== 0) return { phase: 'failed', action: 'resume' };
  return { phase: 'stopped', action: 'resume' };
}

/** Wall time of the run so far, in seconds: from its submission to now, or to when its last job ended. */
export function remoteElapsedSeconds(status: Pick<RemoteStatus, 'run' | 'job' | 'progress'>, now = Date.now()): number | null {
  const start = Date.parse(status.run.createdAt);
  if (!Number.isFinite(start)) return null;
  const end = status.job.inQueue ? now : Date.parse(status.job.endedAt ?? status.progress?.at ?? '');
  return Number.isFinite(end) ? Math.max(0, Math.round((end - start) / 1000)) : null;
}
