import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppInfo, ProjectContents, ProjectSummary } from '../../../engine/api/contract';
import { callEngine, onEngineEvent } from '../api/callEngine';
import { useEngineCall } from '../composables/useEngineCall';

/**
 * The open project and what the sidebar lists. Views read the selections
 * (model, observed data, study, run) from here and call refresh() after
 * they change the project.
 */
export const useProjectStore = defineStore('project', () => {
  const info = ref<AppInfo | null>(null);
  const project = ref<ProjectSummary | null>(null);
  const contents = ref<ProjectContents | null>(null);
  const recent = ref<string[]>([]);
  const selectedModelId = ref<number | null>(null);
  const selectedObservedId = ref<number | null>(null);
  const selectedStudyId = ref<number | null>(null);
  const selectedRunId = ref<number | null>(null);
  let listening = false;

  async function refresh(): Promise<void> {
    const next = await callEngine('app.info');
    info.value = next;
    const switched = next.project?.path !== project.value?.path;
    project.value = next.project;
    contents.value = next.project ? await callEngine('projects.contents') : null;
    if (switched) clearSelection();
    // A selection that no longer exists (deleted) is dropped.
    const c = contents.value;
    if (c) {
      if (selectedModelId.value !== null && !c.models.some((m) => m.id === selectedModelId.value)) selectedModelId.value = null;
      if (selectedObservedId.value !== null && !c.observed.some((o) => o.id === selectedObservedId.value)) selectedObservedId.value = null;
      if (selectedModelId.value === null && c.models.length > 0) selectedModelId.value = c.models[c.models.length - 1].id;
      if (selectedObservedId.value === null && c.observed.length > 0) selectedObservedId.value = c.observed[c.observed.length - 1].id;
    }
  }

  async function refreshRecent(): Promise<void> {
    recent.value = await callEngine('projects.recent');
  }

  function clearSelection(): void {
    selectedModelId.value = null;
    selectedObservedId.value = null;
    selectedStudyId.value = null;
    selectedRunId.value = null;
  }

  async function create(path: string): Promise<ProjectSummary> {
    const summary = await callEngine('projects.create', { path });
    await Promise.all([refresh(), refreshRecent()]);
    return summary;
  }

  async function open(path: string): Promise<ProjectSummary> {
    const summary = await callEngine('projects.open', { path });
    await Promise.all([refresh(), refreshRecent()]);
    return summary;
  }

  async function close(): Promise<void> {
    await callEngine('projects.close');
    await Promise.all([refresh(), refreshRecent()]);
  }

  /** Refreshes after engine events: the latest answer counts; a failure leaves the sidebar as it was (the connection banner says why). */
  const eventRefresh = useEngineCall(refresh);

  /** Follow the engine's 'project.changed' and run events so the sidebar stays current. */
  function listen(): void {
    if (listening) return;
    listening = true;
    onEngineEvent((event) => {
      if (event.type === 'project.changed' || event.type === 'run.finished') void eventRefresh.run();
    });
  }

  return {
    info,
    project,
    contents,
    recent,
    selectedModelId,
    selectedObservedId,
    selectedStudyId,
    selectedRunId,
    refresh,
    refreshRecent,
    create,
    open,
    close,
    listen,
    clearSelection,
  };
});
