import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { onConnection, type ConnectionState } from '../api/client';
import { useEngineCall } from '../composables/useEngineCall';
import { readLastProject, reopenDecision, writeLastProject, type ReopenDecision } from './lastProject';
import { useNoticesStore } from './notices';
import { useProjectStore } from './project';
import { useRunsStore } from './runs';

/**
 * The link to the engine as the app shows it (the connection banner): the
 * state from the web client, a refresh of the project and the runs when
 * the engine answers again, and the project this browser was working in
 * (remembered; opened again when the engine has none open, offered when it
 * has another).
 */
export const useConnectionStore = defineStore('connection', () => {
  const projectStore = useProjectStore();
  const runs = useRunsStore();
  const notices = useNoticesStore();
  const state = ref<ConnectionState>('online');
  /** The engine has another project open than the one this browser was in. */
  const conflict = ref<Extract<ReopenDecision, { kind: 'ask' }> | null>(null);
  /** Until the first reconcile, the engine's project does not overwrite the remembered one. */
  let settled = false;

  onConnection((next) => {
    const was = state.value;
    state.value = next;
    if (next === 'online' && was !== 'online') void afterReconnect();
  });

  watch(
    () => projectStore.project?.path ?? null,
    (path, previous) => {
      if (!settled) return;
      if (path !== null) writeLastProject(path);
      // Closed on purpose while connected: nothing to reopen next time.
      else if (previous !== null && state.value === 'online') writeLastProject(null);
    },
  );

  const reopen = useEngineCall((path: string) => projectStore.open(path), { notify: (path) => `Opening ${path} again` });
  const refetch = useEngineCall(() => Promise.all([projectStore.refresh(), runs.refreshList()]), { notify: 'Reconnecting to the engine' });
  const openRemembered = useEngineCall((path: string) => projectStore.open(path), { notify: (path) => `Opening ${path}` });

  /** Open the remembered project when the engine has none open; note it when the engine has another. */
  async function reconcile(): Promise<void> {
    const decision = reopenDecision(readLastProject(), projectStore.project?.path ?? null);
    if (decision.kind === 'open') {
      if (await reopen.run(decision.path)) notices.info(`Opened ${decision.path} again, the project this browser was working in.`, 'info');
      // It could not be opened (moved, deleted): remember the engine's project instead.
      else if (reopen.error.value) writeLastProject(projectStore.project?.path ?? null);
    } else if (decision.kind === 'ask') {
      conflict.value = decision;
    }
    settled = true;
    if (conflict.value === null && projectStore.project) writeLastProject(projectStore.project.path);
  }

  /** Events were missed while the engine was away: fetch the project and the runs again. */
  async function afterReconnect(): Promise<void> {
    if (await refetch.run()) await reconcile();
  }

  /** The person chose: open the remembered project, or keep the engine's. */
  async function resolveConflict(reopen: boolean): Promise<void> {
    const c = conflict.value;
    conflict.value = null;
    if (!c) return;
    if (!reopen) {
      writeLastProject(c.current);
      return;
    }
    await openRemembered.run(c.remembered);
  }

  return { state, conflict, reconcile, resolveConflict };
});
