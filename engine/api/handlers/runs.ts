import type { SimulationJob } from '../../compute/executor.js';
import { observedSeries, posteriorPredictiveTrials } from '../../infer/posteriorPredictive.js';
import { parseStudy } from '../../infer/study.js';
import { Xoshiro128 } from '../../sample/random/index.js';
import { runToCsv, runToJson } from '../../store/export.js';
import { storedTraining } from '../runTraining.js';
import {
  modelDetail,
  observedDetail,
  posteriorView,
  requireModel,
  requireObserved,
  requireRun,
  runDetail,
  runListItem,
  storedPosterior,
  studyNameMap,
} from '../projectViews.js';
import { runSimulatorSpec } from '../TrustManager.js';
import { ApiStateError } from '../wire.js';
import type { HandlerContext, HandlerPart } from './context.js';

/** Stream of the predictive check's draws of particles (the run's seed, this stream): apart from the run's own streams. */
const PREDICTIVE_DRAW_STREAM = 7;

/** runs.*: inference runs started, cancelled and resumed in the background; their results read, checked, exported. */
export function runHandlers(context: HandlerContext) {
  return {
    'runs.start': (args) => {
      const store = context.project();
      const study = store.getStudy(args.studyId);
      if (study) context.trust.require(parseStudy(study.config, study.source).simulator, store.path);
      return { runId: context.runs.start(store, args) };
    },
    'runs.cancel': ({ runId }) => {
      requireRun(context.project(), runId);
      if (!context.runs.cancel(runId)) throw new ApiStateError('RUN_NOT_ACTIVE', `run ${runId} is not running in this app`, { runId });
      return null;
    },
    'runs.resume': ({ runId }) => {
      const store = context.project();
      requireRun(store, runId);
      context.trust.require(runSimulatorSpec(store, runId), store.path);
      return { runId: context.runs.resume(store, runId) };
    },
    'runs.list': (args) => {
      const store = context.project();
      const names = studyNameMap(store);
      return store.listRuns(args?.studyId ? { studyId: args.studyId } : {}).map((run) => runListItem(store, run, names));
    },
    'runs.get': ({ runId }) => runDetail(context.project(), requireRun(context.project(), runId)),
    'runs.posterior': ({ runId, generation, kdePoints }) => posteriorView(context.project(), requireRun(context.project(), runId), generation, kdePoints),
    'runs.predictive': async ({ runId, samples, seed }) => {
      const store = context.project();
      const run = requireRun(store, runId);
      const study = store.getStudy(run.studyId);
      if (!study?.modelId || !study.observedId) throw new ApiStateError('NOT_FOUND', `run ${runId}: its study, model or observed data is missing`);
      const parsed = parseStudy(study.config, study.source);
      const model = requireModel(store, study.modelId);
      const observed = observedDetail(requireObserved(store, study.observedId));
      const detail = modelDetail(model);
      const rng = Xoshiro128.fromSeed(seed ?? run.seed, PREDICTIVE_DRAW_STREAM);
      const trials = posteriorPredictiveTrials(storedPosterior(store, run).last, run.parameterNames, detail.parameters, samples, rng);
      const job: SimulationJob = {
        ...context.trust.trustedJobBase(model, store.path),
        method: parsed.method,
        time: observed.time,
        parameterIds: detail.parameters.map((p) => p.id),
        runsPerTrial: 1,
        statistics: null,
        returnTrajectories: true,
        seed: seed ?? run.seed,
      };
      const results = (await (await context.executor()).map(job, trials)).sort((a, b) => a.index - b.index);
      const speciesRows = observed.species.map((s) => detail.species.indexOf(s));
      const data = observedSeries(
        results.map((r) => r.trajectories!),
        speciesRows,
        observed.time.length,
      );
      return { time: observed.time, species: observed.species, samples, data, observed };
    },
    'runs.export': ({ runId, format, generation }) => {
      const store = context.project();
      const run = requireRun(store, runId);
      const base = `run-${run.id}-${run.algorithm}`;
      return format === 'csv'
        ? { fileName: `${base}.csv`, mimeType: 'text/csv', content: runToCsv(store, runId, generation) }
        : { fileName: `${base}.json`, mimeType: 'application/json', content: JSON.stringify(runToJson(store, runId), null, 1) };
    },
    'runs.delete': ({ runId }) => {
      const store = context.project();
      requireRun(store, runId);
      if (context.runs.isActive(runId)) throw new ApiStateError('RUN_IN_PROGRESS', `run ${runId} is running: cancel it before deleting it`, { runId });
      store.deleteRun(runId);
      return null;
    },
    'runs.training': ({ runId }) => {
      const store = context.project();
      const run = requireRun(store, runId);
      return context.runs.training(runId) ?? storedTraining(store, run);
    },
  } satisfies HandlerPart;
}
