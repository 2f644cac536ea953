import { describe, expect, it } from 'vitest';
import { remoteElapsedSeconds, remoteOutcome } from '../../../../engine/compute/slurm/batch/remoteOutcome.js';
import type { RemoteStatus } from '../../../../engine/compute/slurm/batch/remoteControl.js';
import type { RunProgress } from '../../../../engine/compute/slurm/batch/progress.js';

/** Where a remote run stands, as `sciope remote status` and the app's Remote runs panel both judge it. */
const run = {
  id: 'toggle-abc123',
  study: 'toggle',
  createdAt: '2026-12-05T10:00:00.000Z',
  cluster: {},
  runDir: '/r',
  cliDir: '/c',
  jobs: [{ id: '7', submittedAt: '2026-12-05T10:00:00.000Z', kind: 'infer' as const }],
};
const progress = (status: RunProgress['status']): RunProgress => ({
  runId: 1,
  study: 'toggle',
  status,
  generations: [],
  stopReason: null,
  simulations: null,
  error: null,
  at: '2026-12-05T10:05:00.000Z',
});
const status = (job: Partial<RemoteStatus['job']>, runStatus: RunProgress['status'] | null, extra: Partial<RemoteStatus['run']> = {}): RemoteStatus => ({
  run: { ...run, ...extra },
  job: { jobId: '7', state: 'RUNNING', inQueue: true, ...job },
  progress: runStatus ? progress(runStatus) : null,
  logTail: '',
});

describe('remoteOutcome', () => {
  it('says queued or running while the job is in the queue, whatever the run wrote', () => {
    expect(remoteOutcome(status({ state: 'PENDING', reason: 'Priority' }, null))).toEqual({ phase: 'queued', action: null });
    expect(remoteOutcome(status({ state: 'RUNNING' }, 'running'))).toEqual({ phase: 'running', action: null });
    expect(remoteOutcome(status({ state: 'COMPLETING' }, 'completed'))).toEqual({ phase: 'running', action: null });
  });

  it('once the job has left: fetch a completed run; resume a cancelled, failed or stopped one', () => {
    expect(remoteOutcome(status({ state: 'COMPLETED', inQueue: false, exitCode: 0 }, 'completed'))).toEqual({ phase: 'completed', action: 'fetch' });
    expect(remoteOutcome(status({ state: 'CANCELLED', inQueue: false, killed: true }, 'running', { cancelledAt: '2026-12-05T10:03:00Z' }))).toEqual({
      phase: 'cancelled',
      action: 'resume',
    });
    expect(remoteOutcome(status({ state: 'FAILED', inQueue: false, exitCode: 1, killed: false }, 'failed'))).toEqual({ phase: 'failed', action: 'resume' });
    // A time limit (or scancel from outside): killed, not cancelled here.
    expect(remoteOutcome(status({ state: 'TIMEOUT', inQueue: false, killed: true }, 'running'))).toEqual({ phase: 'stopped', action: 'resume' });
    expect(remoteOutcome(status({ state: 'ENDED', inQueue: false, killed: true }, null))).toEqual({ phase: 'stopped', action: 'resume' });
  });
});

describe('remoteElapsedSeconds', () => {
  const now = Date.parse('2026-12-05T10:10:00.000Z');
  it('counts from submission to now while queued or running, to the recorded end after', () => {
    expect(remoteElapsedSeconds(status({}, 'running'), now)).toBe(600);
    expect(remoteElapsedSeconds(status({ inQueue: false, endedAt: '2026-12-05T10:07:30Z' }, 'completed'), now)).toBe(450);
    // No exit record (killed before it could write one): the last progress snapshot.
    expect(remoteElapsedSeconds(status({ inQueue: false }, 'running'), now)).toBe(300);
    expect(remoteElapsedSeconds(status({ inQueue: false }, null), now)).toBeNull();
  });
});
