import { clusterRunHandlers } from './clusterRuns.js';
import type { HandlerContext, Handlers } from './context.js';
import { exploreHandlers } from './explore.js';
import { learnHandlers } from './learn.js';
import { modelHandlers } from './models.js';
import { observedHandlers } from './observed.js';
import { priorHandlers } from './priors.js';
import { projectHandlers } from './projects.js';
import { runHandlers } from './runs.js';
import { settingsHandlers } from './settings.js';
import { simulateHandlers } from './simulate.js';
import { studyHandlers } from './studies.js';
import { trustHandlers } from './trust.js';

export type { Handler, HandlerContext, HandlerPart, Handlers } from './context.js';
export { ExplorationSessions } from './explorationSessions.js';
export { PREVIEW_TIME_LIMIT_MS, PreviewTasks } from './previewTasks.js';
export { PREVIEW_MAX_EVENTS } from './simulate.js';
export { MAX_DRAFT_BYTES } from './studies.js';

/**
 * Every method of the EngineApi, one module per area. The result is typed
 * as Handlers, so a method of contract.ts that no module serves fails
 * typecheck here, and each module's `satisfies HandlerPart` refuses a
 * method name the contract does not have.
 */
export function createHandlers(context: HandlerContext): Handlers {
  return {
    ...settingsHandlers(context),
    ...projectHandlers(context),
    ...modelHandlers(context),
    ...simulateHandlers(context),
    ...priorHandlers(context),
    ...observedHandlers(context),
    ...studyHandlers(context),
    ...runHandlers(context),
    ...exploreHandlers(context),
    ...learnHandlers(context),
    ...trustHandlers(context),
    // remote.* (helper H2's module): answers UNAVAILABLE until the EngineService puts a RemoteRunTracker in the context (TODO lead/H2).
    ...clusterRunHandlers(context),
  };
}
