import { attachSessionStore, createExplorationSession, listExplorationSessions } from '../../explore/index.js';
import type { ReactionNetworkInput } from '../../model/schema.js';
import { requireModel } from '../projectViews.js';
import { ApiStateError } from '../wire.js';
import type { HandlerContext, HandlerPart } from './context.js';
import { throttledProgress } from './progressThrottle.js';

/** explore.*: exploration sessions of the open project (batches of simulations, embeddings, labels, proposals). */
export function exploreHandlers(context: HandlerContext) {
  const { explorations } = context;
  const session = (name: string) => explorations.get(context.project(), name);
  const view = (name: string) => explorations.view(context.project(), name);
  return {
    'explore.list': () => listExplorationSessions(context.project()),
    'explore.create': ({ modelId, session: settings }) => {
      const store = context.project();
      const record = requireModel(store, modelId);
      const name = typeof settings.name === 'string' && settings.name ? settings.name : `exploration ${listExplorationSessions(store).length + 1}`;
      if (listExplorationSessions(store).includes(name))
        throw new ApiStateError('EXISTS', `the project already has an exploration session "${name}"; open it or choose another name`, { name });
      const model =
        record.format === 'simulator' ? { simulator: JSON.parse(record.source) } : record.format === 'example' ? { example: record.source } : record.name;
      const created = createExplorationSession({ ...settings, name, model }, record.parsed as ReactionNetworkInput, `session "${name}"`);
      attachSessionStore(store, created);
      explorations.add(name, created, modelId);
      return view(name);
    },
    'explore.open': ({ name }) => {
      session(name);
      return view(name);
    },
    'explore.runBatch': async ({ name, n, source }) => {
      const opened = session(name);
      context.trust.require(opened.job.simulator, context.project().path);
      const executor = await context.executor();
      const onProgress = throttledProgress((completed, total) =>
        context.emit({ type: 'task.progress', task: `explore:${name}`, completed, total, message: `simulating batch ${opened.batches.length}` }),
      );
      await explorations.step(name, async (signal) => {
        if (source && typeof source === 'object' && source.kind === 'parameters') {
          await opened.runBatch(executor, {
            source: { kind: 'parameters', parameters: source.parameters, origin: { kind: 'proposal', strategy: source.strategy ?? 'user' } },
            onProgress,
            signal,
          });
        } else {
          await opened.runBatch(executor, { source: (source ?? 'design') as never, n, onProgress, signal });
        }
      });
      return view(name);
    },
    'explore.embed': async ({ name, method }) => {
      const opened = session(name);
      const started = performance.now();
      const onProgress = throttledProgress((completed, total) =>
        context.emit({ type: 'task.progress', task: `explore:${name}`, completed, total, message: `embedding (${method ?? opened.config.reduction.method})` }),
      );
      const result = await explorations.step(name, (signal) => opened.embed({ method, onProgress, signal }));
      return { ...result, seconds: (performance.now() - started) / 1000 };
    },
    'explore.label': ({ name, labels, classes }) => {
      const opened = session(name);
      // New class names first, so the palette order is the user's.
      if (classes) for (const c of classes) if (!opened.classNames.includes(c)) opened.classNames.push(c);
      opened.setLabels(labels);
      return view(name);
    },
    'explore.propagate': ({ name }) => session(name).propagate(),
    'explore.cancel': ({ name }) => ({ cancelled: explorations.cancel(name) }),
    'explore.propose': ({ name, n, strategy, class: chosen }) => session(name).propose({ n, strategy, class: chosen }),
  } satisfies HandlerPart;
}
