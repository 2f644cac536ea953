import { defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';
import type { ApiArgs, EngineEvent, ExportResult, RunFinishedEvent, RunListItem, RunProgressEvent, RunStatus, StudyDetail } from '../../../engine/api/contract';
import { callEngine, onEngineEvent } from '../api/callEngine';

/** What the UI knows of a run while it runs: the last events, when they arrived. */
export interface LiveRun {
  /** The latest progress event (sampling or generation). */
  progress: RunProgressEvent | null;
  /** The latest event that closed a generation; its generation's posterior can be fetched. */
  generation: RunProgressEvent | null;
  /** Progress events received for this run (the UI shows that updates arrive). */
  events: number;
  /** performance.now() when the latest progress event arrived (elapsed time ticks on from there). */
  receivedAt: number;
  finished: RunFinishedEvent | null;
}

/**
 * Inference runs: the stored list, live progress from the engine's events
 * (kept per run id, so events that arrive before `runs.start` has answered
 * are not lost), and the run actions (start, cancel, resume, delete,
 * export). One subscription to the engine's event stream per window.
 */
export const useRunsStore = defineStore('runs', () => {
  const list = ref<RunListItem[]>([]);
  const live = reactive(new Map<number, LiveRun>());
  /** The run the Inference view follows. */
  const activeRunId = ref<number | null>(null);
  const loading = ref(false);
  let unsubscribe: (() => void) | null = null;

  function entry(runId: number): LiveRun {
    let run = live.get(runId);
    if (!run) {
      live.set(runId, { progress: null, generation: null, events: 0, receivedAt: 0, finished: null });
      run = live.get(runId)!;
    }
    return run;
  }

  function handle(event: EngineEvent): void {
    if (event.type === 'run.progress') {
      const run = entry(event.runId);
      run.progress = event;
      run.events++;
      run.receivedAt = performance.now();
      if (event.phase === 'generation') run.generation = event;
      patchListed(event.runId, {
        status: 'running',
        generations: event.phase === 'generation' ? event.generation + 1 : undefined,
        simulations: event.simulations,
      });
    } else if (event.type === 'run.finished') {
      entry(event.runId).finished = event;
      patchListed(event.runId, { status: event.status, error: event.error?.message ?? null });
      void refreshList();
    } else if (event.type === 'project.changed') {
      live.clear();
      activeRunId.value = null;
      void refreshList();
    }
  }

  function patchListed(runId: number, patch: { status?: RunStatus; generations?: number; simulations?: number; error?: string | null }): void {
    const i = list.value.findIndex((r) => r.id === runId);
    if (i < 0) return;
    const old = list.value[i];
    list.value[i] = {
      ...old,
      status: patch.status ?? old.status,
      generations: patch.generations !== undefined ? Math.max(old.generations, patch.generations) : old.generations,
      simulations: patch.simulations ?? old.simulations,
      error: patch.error !== undefined ? patch.error : old.error,
    };
  }

  /** Subscribe to the engine's events (idempotent). */
  function listen(): void {
    unsubscribe ??= onEngineEvent(handle);
  }

  async function refreshList(): Promise<void> {
    loading.value = true;
    try {
      list.value = await callEngine('runs.list');
    } finally {
      loading.value = false;
    }
  }

  /** Store the study (a new one each time: runs and networks keep pointing at the study they used). */
  async function saveStudy(study: ApiArgs<'studies.save'>): Promise<StudyDetail> {
    return callEngine('studies.save', study);
  }

  /** Save the study, then start a run of it; returns the run id. */
  async function start(study: ApiArgs<'studies.save'>): Promise<number> {
    listen();
    const saved = await saveStudy(study);
    const { runId } = await callEngine('runs.start', { studyId: saved.id });
    entry(runId);
    activeRunId.value = runId;
    void refreshList();
    return runId;
  }

  async function cancel(runId: number): Promise<void> {
    await callEngine('runs.cancel', { runId });
  }

  async function resume(runId: number): Promise<number> {
    listen();
    const resumed = await callEngine('runs.resume', { runId });
    const run = entry(resumed.runId);
    // The events from before the interruption no longer describe the run.
    run.finished = null;
    run.progress = null;
    run.generation = null;
    patchListed(resumed.runId, { status: 'running', error: null });
    return resumed.runId;
  }

  async function remove(runId: number): Promise<void> {
    await callEngine('runs.delete', { runId });
    live.delete(runId);
    if (activeRunId.value === runId) activeRunId.value = null;
    list.value = list.value.filter((r) => r.id !== runId);
  }

  async function exportRun(runId: number, format: 'csv' | 'json', generation?: number): Promise<ExportResult> {
    return callEngine('runs.export', { runId, format, generation });
  }

  /** A run's status as best known: its finished event, else the list, else running while events arrive. */
  function statusOf(runId: number): RunStatus | null {
    const run = live.get(runId);
    if (run?.finished) return run.finished.status;
    const listed = list.value.find((r) => r.id === runId);
    if (listed) return listed.status;
    return run ? 'running' : null;
  }

  const running = computed(() => list.value.filter((r) => r.status === 'running'));

  listen();

  return { list, live, activeRunId, loading, running, listen, refreshList, saveStudy, start, cancel, resume, remove, exportRun, statusOf, entry };
});
