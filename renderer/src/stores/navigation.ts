import { defineStore } from 'pinia';
import { ref } from 'vue';

/** The app's top-level views, in sidebar order. */
export const VIEWS = [
  { name: 'project', label: 'Project', needsProject: false },
  { name: 'model', label: 'Model', needsProject: true },
  { name: 'priors', label: 'Priors', needsProject: true },
  { name: 'data', label: 'Data', needsProject: true },
  { name: 'exploration', label: 'Exploration', needsProject: true },
  { name: 'inference', label: 'Inference', needsProject: true },
  { name: 'results', label: 'Results', needsProject: true },
  { name: 'settings', label: 'Settings', needsProject: false },
] as const;

export type ViewName = (typeof VIEWS)[number]['name'];

/** A request for a view to do something once it is shown (from a menu command, e.g. 'import-sbml' or 'export-run'). */
export interface ViewCommand {
  readonly name: string;
  readonly payload?: unknown;
  readonly seq: number;
}

function isViewName(value: string): value is ViewName {
  return VIEWS.some((v) => v.name === value);
}

function viewFromHash(): ViewName | null {
  const name = window.location.hash.replace(/^#\/?/, '');
  return isViewName(name) ? name : null;
}

/**
 * Which view is shown. A tiny hash router (`#/model`) so reloads and the
 * browser's back button keep the place; views call go('results') to move on.
 */
export const useNavigationStore = defineStore('navigation', () => {
  const view = ref<ViewName>(viewFromHash() ?? 'project');
  const command = ref<ViewCommand | null>(null);
  let seq = 0;

  function go(next: ViewName): void {
    view.value = next;
    if (viewFromHash() !== next) window.location.hash = `#/${next}`;
  }

  /** Show a view and leave it a command to pick up with takeCommand(). */
  function request(next: ViewName, name: string, payload?: unknown): void {
    command.value = { name, payload, seq: ++seq };
    go(next);
  }

  /** The pending command if it has this name (it is consumed). */
  function takeCommand(name: string): ViewCommand | null {
    const pending = command.value;
    if (!pending || pending.name !== name) return null;
    command.value = null;
    return pending;
  }

  window.addEventListener('hashchange', () => {
    const next = viewFromHash();
    if (next && next !== view.value) view.value = next;
  });

  return { view, command, go, request, takeCommand };
});
