import { existsSync } from 'node:fs';
import { runListItem, studyNameMap } from '../projectViews.js';
import type { HandlerContext, HandlerPart } from './context.js';

/** projects.*: create, open, close the project file; list recent ones and what the open one holds. */
export function projectHandlers(context: HandlerContext) {
  return {
    'projects.create': ({ path }) => context.openProject(path, true),
    'projects.open': ({ path }) => context.openProject(path, false),
    'projects.close': () => {
      context.closeProject();
      return null;
    },
    // Files moved or deleted since are not offered.
    'projects.recent': () => context.settings.value.recent.filter((p) => existsSync(p)),
    'projects.contents': () => {
      const store = context.project();
      const names = studyNameMap(store);
      return {
        project: context.summary()!,
        models: store.listModels(),
        observed: store.listObserved().map((o) => ({ id: o.id, name: o.name, createdAt: o.createdAt })),
        studies: store.listStudies().map((s) => ({ id: s.id, name: s.name, modelId: s.modelId, observedId: s.observedId, createdAt: s.createdAt })),
        runs: store.listRuns().map((run) => runListItem(store, run, names)),
      };
    },
  } satisfies HandlerPart;
}
