import { parseObservedCsv } from '../infer/observedData.js';
import { Posterior } from '../infer/Posterior.js';
import { parseStudy } from '../infer/study.js';
import type { ReactionNetworkInput } from '../model/schema.js';
import { validateModel } from '../model/validate.js';
import { isCountLike } from '../simulate/createModelSimulator.js';
import type { ModelRecord, ObservedRecord, ProjectStore, RunRecord } from '../store/ProjectStore.js';
import type { ModelDetail, NetworkListItem, ObservedDetail, PosteriorView, RunDetail, RunListItem } from './contract.js';
import { ApiStateError } from './wire.js';

/**
 * Project records as the app sees them: plain JSON views built from the
 * store's rows. Nothing here writes.
 */

const PREVIEW_HORIZON: Readonly<Record<string, number>> = { vilar: 200, 'vilar-sciope': 200 };

export function modelDetail(record: ModelRecord): ModelDetail {
  const model = record.parsed as ReactionNetworkInput;
  return {
    id: record.id,
    name: record.name,
    format: record.format,
    model: model as unknown as Record<string, unknown>,
    species: (model.species ?? []).map((s) => s.id),
    parameters: (model.parameters ?? []).map((p) => ({ id: p.id, value: p.value })),
    // The CLI's default grid (simulate.ts): the model's time.end, else the example's horizon, else 100.
    tEnd: model.time?.end ?? PREVIEW_HORIZON[record.format === 'example' ? record.source : ''] ?? 100,
    countModel: isCountModel(model),
  };
}

/** Whether the model is one of molecule counts (then ssa is its default method; isCountLike); a black-box simulator's interface counts as one. */
function isCountModel(model: ReactionNetworkInput): boolean {
  if (!Array.isArray(model.reactions)) return true;
  try {
    return isCountLike(validateModel(model));
  } catch {
    return true; // not valid as stored: the editor shows why; the methods refuse it themselves
  }
}

export function requireModel(store: ProjectStore, id: number): ModelRecord {
  const record = store.getModel(id);
  if (!record) throw new ApiStateError('NOT_FOUND', `no model ${id} in this project`, { modelId: id });
  return record;
}

export function requireObserved(store: ProjectStore, id: number): ObservedRecord {
  const record = store.getObserved(id);
  if (!record) throw new ApiStateError('NOT_FOUND', `no observed dataset ${id} in this project`, { observedId: id });
  return record;
}

export function requireRun(store: ProjectStore, id: number): RunRecord {
  const run = store.getRun(id);
  if (!run) throw new ApiStateError('NOT_FOUND', `no run ${id} in this project`, { runId: id });
  return run;
}

export function observedDetail(record: ObservedRecord): ObservedDetail {
  const data = parseObservedCsv(record.source, { source: record.name, species: record.species ?? undefined });
  return {
    id: record.id,
    name: record.name,
    species: [...data.speciesIds],
    time: Array.from(data.time),
    trajectories: data.runs,
    data: Array.from(data.data),
  };
}

export function runListItem(store: ProjectStore, run: RunRecord, studyNames: Map<number, string>): RunListItem {
  const studyName = studyNames.get(run.studyId) ?? `study ${run.studyId}`;
  return {
    id: run.id,
    name: `#${run.id} ${studyName} · ${run.algorithm} · seed ${run.seed}`,
    studyId: run.studyId,
    studyName,
    algorithm: run.algorithm,
    status: run.status,
    seed: run.seed,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    generations: store.listGenerations(run.id).length,
    simulations: run.simulations ?? store.listGenerations(run.id).reduce((sum, g) => sum + g.simulations, 0),
    parameterNames: run.parameterNames,
    error: run.error,
  };
}

export function studyNameMap(store: ProjectStore): Map<number, string> {
  return new Map(store.listStudies().map((s) => [s.id, s.name]));
}

export function runDetail(store: ProjectStore, run: RunRecord): RunDetail {
  const study = store.getStudy(run.studyId);
  const config = (study?.config ?? {}) as { priors?: Record<string, unknown>; truth?: Record<string, number> };
  return {
    ...runListItem(store, run, studyNameMap(store)),
    generationList: store
      .listGenerations(run.id)
      .map((g) => ({ index: g.index, epsilon: g.epsilon, acceptanceRate: g.acceptanceRate, simulations: g.simulations, ess: g.ess, count: g.count })),
    priors: config.priors ?? {},
    truth: config.truth ?? null,
    stopReason: run.stopReason,
  };
}

/** The generations stored so far as a Posterior (also while the run is still going). */
export function storedPosterior(store: ProjectStore, run: RunRecord): Posterior {
  const generations = store.loadGenerations(run.id);
  if (generations.length === 0) throw new ApiStateError('NO_GENERATIONS', `run ${run.id} has no completed generation yet`, { runId: run.id });
  const simulations = generations.reduce((sum, g) => sum + g.simulations, 0);
  return new Posterior(run.parameterNames, generations, run.resultConfig ?? {}, run.stopReason ?? 'maxGenerations', run.simulations ?? simulations);
}

export function posteriorView(store: ProjectStore, run: RunRecord, generationIndex: number | undefined, kdePoints: number): PosteriorView {
  const posterior = storedPosterior(store, run);
  const last = posterior.generations.length - 1;
  if (generationIndex !== undefined && generationIndex > last) {
    throw new ApiStateError('NOT_FOUND', `run ${run.id} has generations 0..${last}; there is no generation ${generationIndex}`, {
      runId: run.id,
      generation: generationIndex,
    });
  }
  const g = posterior.generation(generationIndex);
  const study = store.getStudy(run.studyId);
  const parsed = study ? parseStudy(study.config, study.source) : undefined;
  const summary = posterior.summary(0.95, g.index);
  return {
    runId: run.id,
    generation: g.index,
    parameterNames: [...run.parameterNames],
    count: g.count,
    particles: Array.from(g.particles),
    weights: Array.from(g.weights),
    distances: Array.from(g.distances),
    epsilons: posterior.generations.map((x) => x.epsilon),
    marginals: run.parameterNames.map((name, k) => {
      const prior = parsed?.prior.get(name);
      const [priorLower, priorUpper] = prior
        ? finiteRange(prior.bounds, prior.quantile.bind(prior))
        : [Math.min(...posterior.values(k, g.index)), Math.max(...posterior.values(k, g.index))];
      const kde = posterior.kde(k, { points: kdePoints, generation: g.index, from: priorLower, to: priorUpper });
      return {
        ...summary[k],
        priorLower,
        priorUpper,
        truth: parsed?.truth?.[name] ?? null,
        kde: { x: Array.from(kde.x), density: Array.from(kde.density) },
      };
    }),
  };
}

/** Prior bounds for plotting: the support, or its 0.1% and 99.9% quantiles where it is unbounded. */
function finiteRange(bounds: readonly [number, number], quantile: (p: number) => number): [number, number] {
  const lower = Number.isFinite(bounds[0]) ? bounds[0] : quantile(0.001);
  const upper = Number.isFinite(bounds[1]) ? bounds[1] : quantile(0.999);
  return [lower, upper];
}

/** A stored network (learn.networks) as the app lists it; the validation RMSE is that of the best epoch (its loss is a mean squared error). */
export function networkListItem(record: { id: number; name: string; topology: unknown; meta: Record<string, unknown>; createdAt: string }): NetworkListItem {
  const topology = record.topology as { architecture?: string; parameters?: string[]; species?: string[] };
  const meta = record.meta as {
    backend?: string;
    trainingSize?: number;
    bestEpoch?: number;
    trainLoss?: number[];
    valLoss?: number[];
    warning?: string | null;
  };
  const valLoss = meta.valLoss ?? [];
  const best = meta.bestEpoch ?? null;
  return {
    id: record.id,
    name: record.name,
    createdAt: record.createdAt,
    architecture: topology.architecture ?? null,
    parameters: topology.parameters ?? [],
    species: topology.species ?? [],
    backend: meta.backend ?? null,
    trainingSize: meta.trainingSize ?? null,
    bestEpoch: best,
    validationRmse: best !== null && valLoss[best - 1] !== undefined ? Math.sqrt(valLoss[best - 1]) : null,
    warning: meta.warning ?? null,
    trainLoss: meta.trainLoss ?? [],
    valLoss,
  };
}
