import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ApiArgs, RemoteFetchResult, RemoteRunView } from '../../../engine/api/contract';
import { callEngine, onEngineEvent } from '../api/callEngine';

/** How often the panel asks the clusters while a run is queued or running (each ask is a few SLURM commands over a kept SSH connection). */
export const REMOTE_POLL_MS = 5000;

/**
 * Detached cluster runs (remote.*): the list with SLURM's state and each
 * run's progress, submitted from the Inference view ("Run on cluster"),
 * followed in the Results view's Remote runs panel. They belong to this
 * computer's user, not to the open project, so the list stays when another
 * project is opened. While a run is queued or running and a panel follows
 * the list, it is refreshed every REMOTE_POLL_MS; runs that have ended are
 * not asked again (the engine answers them from what it knows).
 */
export const useRemoteRunsStore = defineStore('remoteRuns', () => {
  const list = ref<RemoteRunView[]>([]);
  /** The run just submitted from the Inference view (its line there links to the panel). */
  const lastSubmitted = ref<RemoteRunView | null>(null);
  /** What a submission in progress is doing (uploading the study...), from the engine's task events. */
  const submitStep = ref<string | null>(null);
  let followers = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const active = computed(() => list.value.filter((r) => r.phase === 'queued' || r.phase === 'running' || (r.phase === null && r.problem === null)));

  function put(view: RemoteRunView): void {
    const i = list.value.findIndex((r) => r.id === view.id);
    if (i >= 0) list.value[i] = view;
    else list.value = [view, ...list.value];
    if (lastSubmitted.value?.id === view.id) lastSubmitted.value = view;
  }

  /** The list; with `refresh`, the clusters are asked about runs that may still change. */
  async function load(refresh = false): Promise<RemoteRunView[]> {
    list.value = await callEngine('remote.list', { refresh });
    for (const view of list.value) if (lastSubmitted.value?.id === view.id) lastSubmitted.value = view;
    schedule();
    return list.value;
  }

  /** Save the study (a new version, as Run does), then submit it as a cluster batch job. */
  async function submit(study: ApiArgs<'studies.save'>, options: Omit<ApiArgs<'remote.submit'>, 'studyId'> = {}): Promise<RemoteRunView> {
    const saved = await callEngine('studies.save', study);
    // Connecting, checking, uploading take from seconds to minutes: the engine says which step it is at.
    const task = `remote.submit:${saved.id}`;
    const off = onEngineEvent((event) => {
      if (event.type === 'task.progress' && event.task === task) submitStep.value = event.message;
    });
    let view: RemoteRunView;
    try {
      submitStep.value = 'connecting to the login node and checking the cluster';
      view = await callEngine('remote.submit', { studyId: saved.id, ...options });
    } finally {
      off();
      submitStep.value = null;
    }
    put(view);
    lastSubmitted.value = view;
    schedule();
    return view;
  }

  async function cancel(id: string): Promise<RemoteRunView> {
    const view = await callEngine('remote.cancel', { id });
    put(view);
    return view;
  }

  async function resume(id: string, time?: string): Promise<RemoteRunView> {
    const view = await callEngine('remote.resume', { id, ...(time ? { time } : {}) });
    put(view);
    schedule();
    return view;
  }

  /** Into the open project (default), or as a project file at `out`. */
  async function fetchRun(id: string, out?: string): Promise<RemoteFetchResult> {
    const fetched = await callEngine('remote.fetch', { id, ...(out ? { out } : {}) });
    put(fetched.run);
    return fetched;
  }

  async function forget(id: string): Promise<void> {
    await callEngine('remote.forget', { id });
    list.value = list.value.filter((r) => r.id !== id);
    if (lastSubmitted.value?.id === id) lastSubmitted.value = null;
  }

  /** Ask again later while something can change and someone looks. */
  function schedule(): void {
    if (timer !== null || followers === 0 || active.value.length === 0) return;
    timer = setTimeout(() => {
      timer = null;
      load(true).catch(() => schedule());
    }, REMOTE_POLL_MS);
  }

  /** A panel follows the list while mounted; returns the unfollow. */
  function follow(): () => void {
    followers++;
    schedule();
    return () => {
      followers = Math.max(0, followers - 1);
      if (followers === 0 && timer !== null) {
        clearTimeout(timer);
        timer = null;
      }
    };
  }

  return { list, lastSubmitted, submitStep, active, load, submit, cancel, resume, fetchRun, forget, follow };
});
