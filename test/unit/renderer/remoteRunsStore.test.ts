import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallOutcome, PreloadBridge, RemoteRunView } from '../../../engine/api/contract';
import { nextWords, slurmWords } from '../../../renderer/src/components/cluster/remoteWords';
import { REMOTE_POLL_MS, useRemoteRunsStore } from '../../../renderer/src/stores/remoteRuns';

// The renderer's client reads window.sciope (declared in renderer/src/env.d.ts, which the Node tsconfig of the tests does not include).
declare global {
  interface Window {
    readonly sciope?: PreloadBridge;
  }
}

/** The engine as the store sees it through the preload bridge: every call recorded, answers from `answer`. */
const calls: Array<{ method: string; args: unknown }> = [];
let answer: (method: string, args: unknown) => unknown = () => null;

const view = (id: string, phase: RemoteRunView['phase'], generation: number | null = null): RemoteRunView => ({
  id,
  study: 'toggle',
  cluster: 'ana@login',
  createdAt: '2026-12-05T10:00:00Z',
  jobId: '42',
  jobs: 1,
  localProject: null,
  fetched: null,
  cancelledAt: null,
  state: phase === 'queued' ? 'PENDING' : phase === 'running' ? 'RUNNING' : 'COMPLETED',
  reason: null,
  exitCode: null,
  phase,
  action: phase === 'completed' ? 'fetch' : null,
  runStatus: null,
  generations: [],
  generation,
  epsilon: null,
  acceptanceRate: null,
  simulations: null,
  stopReason: null,
  error: null,
  elapsedSeconds: 1,
  logTail: '',
  checkedAt: null,
  problem: null,
});

/** Let the store's promise chains settle. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('the remote-runs store', () => {
  beforeAll(() => {
    const bridge: PreloadBridge = {
      version: 'test',
      platform: 'linux',
      call: async (method, args): Promise<CallOutcome> => {
        calls.push({ method, args });
        return { ok: true, value: answer(method, args) };
      },
      onEvent: () => () => undefined,
    };
    (globalThis as unknown as { window: unknown }).window = { sciope: bridge };
  });
  beforeEach(() => {
    setActivePinia(createPinia());
    calls.length = 0;
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('Run on cluster saves the study as Run does, then submits that study', async () => {
    answer = (method) => (method === 'studies.save' ? { id: 7 } : view('toggle-1', 'queued'));
    const store = useRemoteRunsStore();
    const submitted = await store.submit({ name: 'toggle', modelId: 1, observedId: 2, priors: {} }, { maxGenerations: 4 });
    expect(calls.map((c) => c.method)).toEqual(['studies.save', 'remote.submit']);
    expect(calls[1]!.args).toEqual({ studyId: 7, maxGenerations: 4 });
    expect(submitted.id).toBe('toggle-1');
    expect(store.lastSubmitted?.id).toBe('toggle-1');
    expect(store.list.map((r) => r.id)).toEqual(['toggle-1']);
  });

  it('a fetch replaces the run in the list by its fetched view: the panel then names the copy instead of offering Fetch', async () => {
    const copy = { runId: 5, project: '/home/ana/toggle.sciope' };
    answer = (method) =>
      method === 'remote.fetch'
        ? { run: { ...view('toggle-1', 'completed', 2), fetched: copy }, project: copy.project, runId: 5, merged: true }
        : [view('toggle-1', 'completed', 2), view('old-2', 'cancelled', 1)];
    const store = useRemoteRunsStore();
    await store.load();
    expect(nextWords(store.list[0]!)).toBe('Completed: Fetch adds it to this project.');
    const fetched = await store.fetchRun('toggle-1');
    expect(calls.at(-1)).toEqual({ method: 'remote.fetch', args: { id: 'toggle-1' } });
    expect(fetched.runId).toBe(5);
    expect(store.list.map((r) => [r.id, r.fetched])).toEqual([
      ['toggle-1', copy],
      ['old-2', null],
    ]);
    expect(nextWords(store.list[0]!)).toBe('Completed and fetched: run #5 of this project.');
    expect(nextWords({ ...store.list[1]!, fetched: { runId: 3, project: copy.project } })).toMatch(
      /^Cancelled; the generations it stored are run #3 of this project\./,
    );
  });

  it('asks the clusters every REMOTE_POLL_MS while a run may change and a panel follows, and stops after', async () => {
    let phase: RemoteRunView['phase'] = 'running';
    answer = () => [view('toggle-1', phase, 0), view('old-2', 'completed', 7)];
    const store = useRemoteRunsStore();
    const unfollow = store.follow();
    await store.load(true);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(REMOTE_POLL_MS - 1);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual({ method: 'remote.list', args: { refresh: true } });
    // Ended: nothing more to ask.
    phase = 'completed';
    await vi.advanceTimersByTimeAsync(REMOTE_POLL_MS);
    await settle();
    expect(calls).toHaveLength(3);
    expect(store.active).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(5 * REMOTE_POLL_MS);
    expect(calls).toHaveLength(3);
    // Running again (resumed), but nobody follows: no polling.
    unfollow();
    phase = 'running';
    await store.load(true);
    await vi.advanceTimersByTimeAsync(5 * REMOTE_POLL_MS);
    expect(calls).toHaveLength(4);
  });
});

describe('slurmWords', () => {
  const view = (over: Partial<RemoteRunView>) => ({ state: 'ENDED', reason: null, exitCode: 143, phase: 'cancelled', ...over }) as RemoteRunView;

  it('shows no exit code for the terminated process of a run cancelled from here', () => {
    expect(slurmWords(view({}))).toBe('ENDED');
    expect(slurmWords(view({ state: 'CANCELLED', exitCode: 130 }))).toBe('CANCELLED');
  });

  it('shows the exit code of a job SLURM or the run itself ended', () => {
    expect(slurmWords(view({ state: 'TIMEOUT', phase: 'stopped' }))).toBe('TIMEOUT, exit 143');
    expect(slurmWords(view({ state: 'FAILED', phase: 'failed', exitCode: 1 }))).toBe('FAILED, exit 1');
    expect(slurmWords(view({ state: 'PENDING', reason: 'Priority', exitCode: null, phase: 'queued' }))).toBe('PENDING (Priority)');
  });
});
