import { networkListItem } from '../projectViews.js';
import { ApiStateError } from '../wire.js';
import type { HandlerContext, HandlerPart } from './context.js';

/** learn.*: neural-network summary statistics trained in the background for a stored study, and the networks stored. */
export function learnHandlers(context: HandlerContext) {
  return {
    'learn.backend': async () => ({ backend: await context.learning.backend() }),
    'learn.train': (args) => {
      const store = context.project();
      const study = store.getStudy(args.studyId);
      const model = study?.modelId != null ? store.getModel(study.modelId) : undefined;
      // The training set is simulated: a black-box simulator must be approved first.
      if (model) context.trust.trustedJobBase(model, store.path);
      return { taskId: context.learning.start(store, args) };
    },
    'learn.cancel': ({ taskId }) => {
      if (!context.learning.cancel(taskId)) throw new ApiStateError('TASK_NOT_ACTIVE', `training ${taskId} is not running`, { taskId });
      return null;
    },
    'learn.networks': () => {
      const store = context.project();
      return store.listNetworks().map((n) => networkListItem(store.getNetwork(n.id)!));
    },
  } satisfies HandlerPart;
}
