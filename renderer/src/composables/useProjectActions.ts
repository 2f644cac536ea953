import { computed } from 'vue';
import { isDesktop } from '../api/client';
import { useNavigationStore } from '../stores/navigation';
import { useNoticesStore } from '../stores/notices';
import { useProjectStore } from '../stores/project';
import { useEngineCall } from './useEngineCall';

const FILTERS = [{ name: 'Sciope project', extensions: ['sciope'] }];

/** Create, open, close and refresh projects, with native dialogs in the desktop app; failures go to the notice area. */
export function useProjectActions() {
  const store = useProjectStore();
  const notices = useNoticesStore();
  const nav = useNavigationStore();

  const creating = useEngineCall((path: string) => store.create(path), { notify: 'Creating the project' });
  const opening = useEngineCall((path: string) => store.open(path), { notify: 'Opening the project' });
  const closing = useEngineCall(() => store.close().then(() => true), { notify: 'Closing the project' });
  /** Creating, opening or closing a project (the buttons wait for it). */
  const busy = computed(() => creating.loading.value || opening.loading.value || closing.loading.value);

  async function create(path: string): Promise<boolean> {
    const summary = await creating.run(path);
    if (!summary) return false;
    notices.clear(); // earlier errors were about another project
    notices.info(`Created project ${summary.name}.`);
    nav.go('model');
    return true;
  }

  async function open(path: string): Promise<boolean> {
    const summary = await opening.run(path);
    if (!summary) return false;
    notices.clear();
    notices.info(`Opened project ${summary.name}.`);
    return true;
  }

  async function close(): Promise<void> {
    if (await closing.run()) nav.go('project');
  }

  const refreshing = useEngineCall(() => store.refresh().then(() => true), { notify: 'Refreshing the project' });

  /** Fetch the project's contents again after a change made here; true when they are in. */
  async function refresh(): Promise<boolean> {
    return (await refreshing.run()) === true;
  }

  async function createWithDialog(): Promise<boolean> {
    const path = await window.sciope?.openFileDialog?.({ title: 'New project', save: true, filters: FILTERS, defaultPath: 'project.sciope' });
    return path ? create(path) : false;
  }

  async function openWithDialog(): Promise<boolean> {
    const path = await window.sciope?.openFileDialog?.({ title: 'Open project', filters: FILTERS });
    return path ? open(path) : false;
  }

  return { create, open, close, refresh, busy, createWithDialog, openWithDialog, desktop: isDesktop() };
}
