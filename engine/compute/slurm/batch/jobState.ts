import { shellQuote } from '../../ssh/connection.js';
import { isActive, type SlurmClient } from '../SlurmClient.js';
import { parseSbatchJobId } from '../slurmText.js';
import { SLURM_TIME } from '../slurmSettings.js';
import { RemoteNodeError } from '../../../errors/index.js';
import { jobExitFile } from './jobScript.js';

/**
 * Where a batch job is: in the queue (squeue: PENDING, RUNNING,
 * COMPLETING... with SLURM's reason), or gone from it. A finished job is
 * looked up in SLURM's accounting (sacct) when the cluster keeps it, else in
 * the `job-<id>.exit` record the job script writes (exit code; 143 = ended
 * by SIGTERM: its time limit, preemption or scancel).
 */
export interface BatchJobState {
  readonly jobId: string;
  /** SLURM's state name (PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, CANCELLED...) or ENDED when only the exit code is known. */
  readonly state: string;
  readonly inQueue: boolean;
  /** squeue's reason for a pending job (Resources, Priority...). */
  readonly reason?: string;
  readonly exitCode?: number;
  /** The job was ended from outside (time limit, preemption, scancel, node failure). */
  readonly killed?: boolean;
  /** When the job script recorded its end (ISO time), when it could. */
  readonly endedAt?: string;
}

const KILLED = new Set(['TIMEOUT', 'CANCELLED', 'PREEMPTED', 'NODE_FAIL', 'DEADLINE']);

/** sbatch a script already on the cluster (`time` overrides its wall-time limit); returns the job id. */
export async function submitScript(client: SlurmClient, script: string, time?: string): Promise<string> {
  if (time !== undefined && !SLURM_TIME.test(time)) throw new RangeError(`expected a wall time (minutes, MM:SS, HH:MM:SS or D-HH:MM:SS), got "${time}"`);
  const result = await client.run(`sbatch --parsable${time ? ` --time=${time}` : ''} ${shellQuote(script)}`);
  const jobId = parseSbatchJobId(result.stdout);
  if (result.code !== 0 || !jobId)
    throw new RemoteNodeError(
      client.label,
      'submit',
      `${client.label}: sbatch refused the job ${script}: ${(result.stderr || result.stdout).trim() || `exit ${result.code}`}`,
      { script },
    );
  return jobId;
}

export async function batchJobState(client: SlurmClient, jobId: string, runDir: string): Promise<BatchJobState> {
  const queued = await client.jobState(jobId);
  if (isActive(queued))
    return { jobId, state: queued!.state, inQueue: true, ...(queued!.reason && queued!.reason !== 'None' ? { reason: queued!.reason } : {}) };
  const exit = await client.connection.exec(`cat ${shellQuote(jobExitFile(runDir, jobId))} 2>/dev/null`);
  let exitCode: number | undefined;
  let endedAt: string | undefined;
  try {
    const record = JSON.parse(exit.stdout) as { exitCode: number; endedAt?: string };
    exitCode = record.exitCode;
    endedAt = typeof record.endedAt === 'string' ? record.endedAt : undefined;
  } catch {
    exitCode = undefined;
  }
  const code = { ...(exitCode !== undefined ? { exitCode } : {}), ...(endedAt ? { endedAt } : {}) };
  // squeue keeps a finished job for MinJobAge seconds; sacct for as long as the cluster keeps accounting.
  if (queued) return { jobId, state: queued.state, inQueue: false, ...code, killed: KILLED.has(queued.state) };
  const accounting = await client.run(`sacct -n -X -P -j ${jobId} -o State 2>/dev/null`);
  const recorded = accounting.code === 0 ? accounting.stdout.trim().split('\n')[0]?.split(' ')[0] : '';
  if (recorded) return { jobId, state: recorded, inQueue: false, ...code, killed: KILLED.has(recorded) };
  if (exitCode === undefined)
    return { jobId, state: 'ENDED', inQueue: false, reason: 'no exit record: killed before it could write one, or it never started', killed: true };
  return { jobId, state: exitCode === 0 ? 'COMPLETED' : exitCode === 143 ? 'ENDED' : 'FAILED', inQueue: false, ...code, killed: exitCode === 143 };
}
