import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { basename, isAbsolute, resolve } from 'node:path';
import type { Executor, SimulationJob, Trial } from '../compute/executor.js';
import { WorkerPoolExecutor } from '../compute/pool/WorkerPoolExecutor.js';
import { ModelValidationError } from '../errors/index.js';
import { expandHome } from '../paths/index.js';
import { parseObservedCsv } from '../infer/observedData.js';
import { parseStudy, type Study } from '../infer/study.js';
import { exampleNames, getExample, validateModel } from '../model/index.js';
import type { ReactionNetworkInput } from '../model/schema.js';
import { importSbml } from '../model/sbml/index.js';
import { describeConversion, toMoleculeCounts } from '../model/counts/index.js';
import { createIndependentPrior } from '../sample/priors/index.js';
import { Xoshiro128 } from '../sample/random/index.js';
import { BlackBoxSpecError, blackBoxModel, parseBlackBoxSpec, type BlackBoxSimulatorSpec } from '../simulate/blackbox/spec.js';
import { ENGINE_VERSION, ProjectStore } from '../store/ProjectStore.js';
import { runToCsv, runToJson } from '../store/export.js';
import { API_METHODS, apiSchemas, type ApiMethod, type ApiParsedArgs, type ApiResults, type CallOutcome, type EngineEvent, type EngineSettings, type ExplorationView, type NetworkListItem, type ProjectSummary } from './contract.js';
import { EngineSettingsFile } from './engineSettings.js';
import { attachSessionStore, createExplorationSession, listExplorationSessions, loadExplorationSession, type ExplorationSession } from '../explore/index.js';
import { modelDetail, observedDetail, posteriorView, requireModel, requireObserved, requireRun, runDetail, runListItem, storedPosterior, studyNameMap } from './projectViews.js';
import { RunManager } from './RunManager.js';
import { saveStudyVersion } from './studyVersions.js';
import { LearnManager } from './LearnManager.js';
import { ComputeThreads, type ComputeRunner } from '../compute/thread/index.js';
import { ApiArgumentError, ApiStateError, argumentIssues, jsonSafe, toWireError, unwrapOutcome } from './wire.js';
import { runSimulatorSpec, TrustManager } from './TrustManager.js';
import type { ApprovalChannel } from '../trust/types.js';
import { randomSeed } from '../sample/random/randomSeed.js';

export interface EngineServiceOptions {
  /** Folder for machine-level settings (workers, SSH nodes, recent projects). */
  readonly configDir: string;
  /** Overrides the stored worker count (tests, `sciope serve --workers`). */
  readonly workers?: number;
  /** Where errors that are not the user's are logged (with their stack). Default: stderr. */
  readonly log?: (message: string) => void;
  /**
   * How this front door asks the person at the machine to approve a
   * black-box simulator (engine/trust): a native dialog (Electron main) or a
   * code printed on the terminal (`sciope serve`). Without one, approvals
   * are given on the command line (`sciope trust approve`).
   */
  readonly approvalChannel?: ApprovalChannel;
  /** Wall time a preview may take (default PREVIEW_TIME_LIMIT_MS). */
  readonly previewTimeLimitMs?: number;
  /** Where training, embeddings and label spreading run (default: compute threads; inThreadCompute for comparison). */
  readonly compute?: ComputeRunner;
}

/** Events per trajectory a preview may simulate before it stops with EVENT_BUDGET (Vilar to t = 200 takes about 0.6 M). */
export const PREVIEW_MAX_EVENTS = 20_000_000;
/** Wall time a preview may take before it is stopped (a preview is for a quick look; runs have no such limit). */
export const PREVIEW_TIME_LIMIT_MS = 120_000;

/** JSON a study draft may take in the project (drafts.save); a draft is a few kilobytes. */
export const MAX_DRAFT_BYTES = 1_000_000;
/** The project setting that holds a model's study draft. */
const draftKey = (modelId: number) => `app.draft.model.${modelId}`;

type Handler<M extends ApiMethod> = (args: ApiParsedArgs<M>) => Promise<ApiResults[M]> | ApiResults[M];
type Handlers = { [M in ApiMethod]: Handler<M> };

/**
 * The EngineApi: one typed service behind every front door (Electron IPC,
 * `sciope serve`, the CLI). It holds the open project, the executor (local
 * worker threads or the SSH node pool) and the runs in flight. `invoke`
 * validates its argument with the method's zod schema and never throws:
 * errors come back as `{ name, code, message, details }`.
 */
export class EngineService {
  private store: ProjectStore | null = null;
  private readonly settings: EngineSettingsFile;
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private executorInstance: Executor | null = null;
  private readonly runs: RunManager;
  private readonly learning: LearnManager;
  private readonly log: (message: string) => void;
  private readonly handlers: Handlers;
  /** Exploration sessions in use, by name (they live in the open project). */
  private readonly sessions = new Map<string, { session: ExplorationSession; modelId: number | null }>();
  /** The batch or embedding in progress per session, for explore.cancel. */
  private readonly exploreWork = new Map<string, AbortController>();
  /** Previews in progress by their caller-chosen id, for simulate.cancel. */
  private readonly previews = new Map<string, AbortController>();
  private readonly trust: TrustManager;
  /** Heavy tasks off the event loop (engine/compute/thread). */
  private readonly compute: ComputeRunner;
  /** The compute threads this service started (closed with it), unless options.compute was given. */
  private readonly ownThreads: ComputeThreads | undefined;

  constructor(private readonly options: EngineServiceOptions) {
    this.ownThreads = options.compute ? undefined : new ComputeThreads();
    this.compute = options.compute ?? this.ownThreads!;
    this.settings = new EngineSettingsFile(options.configDir);
    this.trust = new TrustManager(options.configDir, options.approvalChannel);
    this.log = options.log ?? ((message) => process.stderr.write(`${message}\n`));
    this.runs = new RunManager({
      executor: () => this.executor(),
      emit: (event) => this.emit(event),
      log: this.log,
    });
    this.learning = new LearnManager({ executor: () => this.executor(), emit: (event) => this.emit(event), log: this.log, compute: this.compute });
    this.handlers = this.createHandlers();
  }

  /** Validate and run one call. Never throws. */
  async invoke(method: string, args: unknown): Promise<CallOutcome> {
    try {
      if (typeof method !== 'string' || !(API_METHODS as string[]).includes(method)) {
        throw new ApiStateError('UNKNOWN_METHOD', `unknown engine method ${JSON.stringify(method)}`, { method });
      }
      const m = method as ApiMethod;
      const parsed = apiSchemas[m].safeParse(args ?? undefined);
      if (!parsed.success) throw new ApiArgumentError(m, argumentIssues(parsed.error));
      const value = await (this.handlers[m] as Handler<ApiMethod>)(parsed.data as never);
      return { ok: true, value: jsonSafe(value ?? null) };
    } catch (error) {
      const wire = toWireError(error);
      if (wire.code === 'INTERNAL') this.log(`sciope engine: ${method}: ${(error as Error)?.stack ?? String(error)}`);
      return { ok: false, error: wire };
    }
  }

  /** Typed call for in-process callers (tests, CLI): throws the engine error. */
  async call<M extends ApiMethod>(method: M, args?: unknown): Promise<ApiResults[M]> {
    return unwrapOutcome(await this.invoke(method, args)) as ApiResults[M];
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: EngineEvent): void {
    const safe = jsonSafe(event) as EngineEvent;
    for (const listener of this.listeners) {
      try {
        listener(safe);
      } catch (error) {
        this.log(`sciope engine: event listener failed: ${(error as Error).stack ?? String(error)}`);
      }
    }
  }

  /** Cancel runs, stop workers, close the project. */
  async close(): Promise<void> {
    this.learning.cancelAll();
    for (const controller of this.exploreWork.values()) controller.abort();
    for (const controller of this.previews.values()) controller.abort();
    await this.runs.cancelAll();
    await this.executorInstance?.close();
    this.executorInstance = null;
    await this.ownThreads?.close();
    this.store?.close();
    this.store = null;
  }

  // ---- state ----

  private project(): ProjectStore {
    if (!this.store) throw new ApiStateError('NO_PROJECT', 'no project is open: create or open a project first');
    return this.store;
  }

  private summary(): ProjectSummary | null {
    if (!this.store) return null;
    const info = this.store.info();
    return { path: info.path, name: basename(info.path).replace(/\.sciope$/i, ''), bytes: info.bytes, schemaVersion: info.schemaVersion };
  }

  private workers(): number {
    return this.options.workers ?? this.settings.value.workers ?? availableParallelism();
  }

  private async executor(): Promise<Executor> {
    if (this.executorInstance) return this.executorInstance;
    const { executor, nodes, slurm } = this.settings.value;
    if (executor === 'slurm' && slurm) {
      const { parseSlurmSettings, SlurmExecutor } = await import('../compute/slurm/index.js');
      // One allocation for as long as the executor lives: released when the settings change, the app quits, or at its time limit.
      this.executorInstance = new SlurmExecutor({
        cluster: parseSlurmSettings(slurm, 'slurm'),
        onEvent: (event) => {
          if (event.type !== 'step') this.log(`slurm: ${JSON.stringify(event)}`);
        },
      });
    } else if (executor === 'ssh' && nodes.length > 0) {
      const { SshNodePool, parseNodeSettings } = await import('../compute/ssh/index.js');
      this.executorInstance = new SshNodePool({ nodes: nodes.map((n, i) => parseNodeSettings(n, `nodes[${i}]`)) });
    } else {
      this.executorInstance = new WorkerPoolExecutor({ workers: this.workers() });
    }
    return this.executorInstance;
  }

  private async replaceExecutor(): Promise<void> {
    if (this.runs.count() > 0) throw new ApiStateError('RUN_IN_PROGRESS', 'a run is in progress: wait for it or cancel it before changing where simulations run');
    const old = this.executorInstance;
    this.executorInstance = null;
    await old?.close();
  }

  private engineSettings(): EngineSettings {
    const { workers, executor, nodes, slurm } = this.settings.value;
    return { workers, cores: availableParallelism(), executor, nodes, slurm };
  }

  private openStore(path: string, create: boolean): ProjectSummary {
    if (this.runs.count() > 0) throw new ApiStateError('RUN_IN_PROGRESS', 'a run is in progress in the open project: wait for it or cancel it first');
    const absolute = resolve(expandHome(path));
    if (create && existsSync(absolute)) throw new ApiStateError('PROJECT_EXISTS', `${absolute} already exists; open it instead, or choose another file name`, { path: absolute });
    if (!create && !existsSync(absolute)) throw new ApiStateError('NOT_FOUND', `${absolute}: no such project file`, { path: absolute });
    const next = ProjectStore.open(absolute, { create, exclusive: create });
    this.store?.close();
    this.store = next;
    this.sessions.clear();
    this.settings.addRecent(absolute);
    const summary = this.summary();
    this.emit({ type: 'project.changed', project: summary });
    return summary!;
  }

  // ---- handlers ----

  private createHandlers(): Handlers {
    return {
      'app.info': () => ({ engineVersion: ENGINE_VERSION, cores: availableParallelism(), workers: this.workers(), executor: this.settings.value.executor, project: this.summary() }),

      'projects.create': ({ path }) => this.openStore(path, true),
      'projects.open': ({ path }) => this.openStore(path, false),
      'projects.close': () => {
        if (this.runs.count() > 0) throw new ApiStateError('RUN_IN_PROGRESS', 'a run is in progress: wait for it or cancel it before closing the project');
        this.store?.close();
        this.store = null;
        this.sessions.clear();
        this.emit({ type: 'project.changed', project: null });
        return null;
      },
      'projects.recent': () => this.settings.value.recent.filter((p) => existsSync(p)),
      'projects.contents': () => {
        const store = this.project();
        const names = studyNameMap(store);
        return {
          project: this.summary()!,
          models: store.listModels(),
          observed: store.listObserved().map((o) => ({ id: o.id, name: o.name, createdAt: o.createdAt })),
          studies: store.listStudies().map((s) => ({ id: s.id, name: s.name, modelId: s.modelId, observedId: s.observedId, createdAt: s.createdAt })),
          runs: store.listRuns().map((run) => runListItem(store, run, names)),
        };
      },

      'models.examples': () =>
        exampleNames().map((name) => {
          const model = getExample(name)!;
          return { name, title: model.description ?? name, species: model.species?.length ?? 0, reactions: model.reactions?.length ?? 0, parameters: model.parameters?.length ?? 0 };
        }),
      'models.addExample': ({ example, name }) => {
        const model = getExample(example);
        if (!model) throw new ApiStateError('NOT_FOUND', `no built-in example "${example}"; examples: ${exampleNames().join(', ')}`, { example });
        const store = this.project();
        const id = store.addModel({ name: name ?? example, format: 'example', source: example, parsed: validateModel(model, example) });
        return modelDetail(requireModel(store, id));
      },
      'models.importSbml': async ({ name, xml }) => {
        const store = this.project();
        const result = await importSbml(xml, { wasm: libsbmlWasm(), source: name });
        // Named from <model name>, else its id (the importer's choice), else the file name.
        const fromFile = name.replace(/\.(xml|sbml)$/i, '');
        const id = store.addModel({ name: result.model.name && result.model.name !== 'model' ? result.model.name : fromFile, format: 'sbml', source: xml, parsed: result.model });
        return { model: modelDetail(requireModel(store, id)), warnings: result.warnings.map((w) => ({ ...w })) };
      },
      'models.check': ({ model }) => {
        try {
          validateModel(model);
          return { issues: [] };
        } catch (error) {
          if (error instanceof ModelValidationError) return { issues: error.issues };
          throw error;
        }
      },
      'models.save': ({ id: replace, name, model }) => {
        const store = this.project();
        const parsed = validateModel(model, name);
        const record = { name, format: 'json' as const, source: JSON.stringify(model, null, 2), parsed };
        if (replace !== undefined && requireModel(store, replace) && store.studiesOfModel(replace).length === 0) {
          store.updateModel(replace, record);
          return modelDetail(requireModel(store, replace));
        }
        return modelDetail(requireModel(store, store.addModel(record)));
      },
      'models.delete': ({ id }) => {
        const store = this.project();
        requireModel(store, id);
        const studies = store.studiesOfModel(id);
        if (studies.length > 0) {
          throw new ApiStateError('MODEL_IN_USE', `the model is used by ${studies.length === 1 ? 'study' : 'studies'} ${studies.map((s) => `"${s.name}"`).join(', ')}; it stays so that their runs remain reproducible`, { studies });
        }
        store.deleteModel(id);
        store.deleteSetting(draftKey(id));
        return null;
      },
      'models.get': ({ id }) => modelDetail(requireModel(this.project(), id)),
      'models.addSimulator': ({ name, simulator }) => {
        const store = this.project();
        const spec = parseBlackBoxSpec(simulator, 'simulator');
        checkSimulatorPaths(spec);
        const stored = { ...spec, name: spec.name ?? name };
        const id = store.addModel({ name, format: 'simulator', source: JSON.stringify(stored), parsed: blackBoxModel(stored) });
        return modelDetail(requireModel(store, id));
      },

      'simulate.preview': async ({ modelId, runs, tEnd, points, method: chosen, seed, parameters, previewId, substanceUnit }) => {
        const record = requireModel(this.project(), modelId);
        let base = this.trustedJobBase(record);
        const detail = modelDetail(record);
        const method = chosen ?? (detail.countModel ? 'ssa' : 'ode');
        // A stochastic method on a model beyond counts: convert here so the app can show what the conversion did.
        let notes: string[] | undefined;
        if (method !== 'ode' && !detail.countModel && !base.simulator) {
          const conversion = toMoleculeCounts(validateModel(base.model), { substanceUnit, endTime: tEnd ?? detail.tEnd, source: record.name, ...(method === 'hybrid' ? { rateRules: 'keep' as const } : {}) });
          notes = describeConversion(conversion.report);
          const expected = conversion.report.feasibility.expectedEvents;
          if (method === 'ssa' && expected !== null && expected > runs * PREVIEW_MAX_EVENTS) {
            throw new ApiArgumentError('simulate.preview', [{ path: 'method', message: `the exact SSA would need about ${expected.toExponential(2)} reaction events per trajectory in molecule counts; use tau-leaping or ODE, or a substance unit with fewer molecules per unit` }]);
          }
          base = { ...base, model: conversion.model };
        } else if (substanceUnit !== undefined) {
          throw new ApiArgumentError('simulate.preview', [{ path: 'substanceUnit', message: method === 'ode' ? 'only for ssa or tau: the ODE simulates amounts and concentrations as they are' : 'the model is already in molecule counts' }]);
        }
        const end = tEnd ?? detail.tEnd;
        const time = Array.from({ length: points }, (_, i) => (end * i) / (points - 1));
        const ids = detail.parameters.map((p) => p.id);
        for (const key of Object.keys(parameters ?? {})) {
          if (!ids.includes(key)) throw new ApiArgumentError('simulate.preview', [{ path: `parameters.${key}`, message: `the model has no parameter "${key}"; its parameters are ${ids.join(', ')}` }]);
        }
        const values = Float64Array.from(detail.parameters, (p) => parameters?.[p.id] ?? p.value);
        const runSeed = seed ?? randomSeed();
        const job: SimulationJob = { ...base, method, time, parameterIds: ids, runsPerTrial: 1, statistics: null, returnTrajectories: true, seed: runSeed, maxEvents: PREVIEW_MAX_EVENTS };
        const trials: Trial[] = Array.from({ length: runs }, (_, i) => ({ index: i, parameters: values, stream: [i] }));
        const started = performance.now();
        const results = await this.previewing(previewId, async (signal) => (await this.executor()).map(job, trials, { signal }));
        results.sort((a, b) => a.index - b.index);
        const block = detail.species.length * points;
        const data = new Float64Array(runs * block);
        results.forEach((r, i) => data.set(r.trajectories!.subarray(0, block), i * block));
        const { mean, sd } = ensembleMoments(data, runs, block);
        return { time, species: detail.species.slice(), runs, data: Array.from(data), mean, sd, seed: runSeed, events: results.reduce((s, r) => s + r.events, 0), seconds: (performance.now() - started) / 1000, ...(notes ? { notes } : {}) };
      },

      'simulate.cancel': ({ previewId }) => {
        const controller = this.previews.get(previewId);
        controller?.abort();
        return { cancelled: controller !== undefined };
      },

      'priors.sample': ({ priors, n, seed }) => {
        const prior = createIndependentPrior(priors, 'priors');
        const rng = Xoshiro128.fromSeed(seed ?? randomSeed(), 0);
        const samples = new Float64Array(n * prior.dimension);
        for (let i = 0; i < n; i++) prior.sample(rng, samples.subarray(i * prior.dimension, (i + 1) * prior.dimension));
        const range = prior.components.map((p) => [Number.isFinite(p.bounds[0]) ? p.bounds[0] : p.quantile(0.001), Number.isFinite(p.bounds[1]) ? p.bounds[1] : p.quantile(0.999)]);
        return { names: [...prior.names], samples: Array.from(samples), lower: range.map((r) => r[0]), upper: range.map((r) => r[1]) };
      },
      'priors.defaults': ({ modelId, parameters }) => {
        const detail = modelDetail(requireModel(this.project(), modelId));
        const chosen = parameters ?? detail.parameters.map((p) => p.id);
        const priors: Record<string, { kind: string; lower: number; upper: number }> = {};
        for (const id of chosen) {
          const p = detail.parameters.find((q) => q.id === id);
          if (!p) throw new ApiArgumentError('priors.defaults', [{ path: 'parameters', message: `the model has no parameter "${id}"` }]);
          // Sciope's convention: uniform on [θ/2, 2θ] around the current value.
          priors[id] = p.value > 0 ? { kind: 'uniform', lower: p.value / 2, upper: p.value * 2 } : p.value < 0 ? { kind: 'uniform', lower: p.value * 2, upper: p.value / 2 } : { kind: 'uniform', lower: 0, upper: 1 };
        }
        return { priors };
      },

      'observed.importCsv': ({ name, csv, species }) => {
        const store = this.project();
        parseObservedCsv(csv, { source: name, species });
        const id = store.addObserved({ name, source: csv, species: species ?? null });
        return observedDetail(requireObserved(store, id));
      },
      'observed.get': ({ id }) => observedDetail(requireObserved(this.project(), id)),

      'studies.save': (args) => {
        const store = this.project();
        const model = requireModel(store, args.modelId);
        const observed = requireObserved(store, args.observedId);
        const config: Record<string, unknown> = {
          name: args.name,
          model: model.format === 'simulator' ? { simulator: JSON.parse(model.source) } : model.format === 'example' ? { example: model.source } : model.name,
          observed: observed.name,
          priors: args.priors,
        };
        for (const key of ['species', 'summaries', 'distance', 'simulation', 'algorithm', 'seed', 'truth'] as const) {
          if (args[key] !== undefined) config[key] = args[key];
        }
        const study = parseStudy(config, `study "${args.name}"`);
        checkStudyAgainst(study, model.parsed as ReactionNetworkInput, observedDetail(observed).species);
        // Truth values of parameters that are not inferred are dropped (parseStudy ignores them).
        if (study.truth) config.truth = study.truth;
        else delete config.truth;
        const saved = saveStudyVersion(store, { name: args.name, config, modelId: model.id, observedId: observed.id });
        return { ...saved, modelId: model.id, observedId: observed.id };
      },
      'studies.get': ({ id }) => {
        const study = this.project().getStudy(id);
        if (!study) throw new ApiStateError('NOT_FOUND', `no study ${id} in this project`, { studyId: id });
        return { id: study.id, name: study.name, modelId: study.modelId, observedId: study.observedId, config: study.config };
      },

      'drafts.get': ({ modelId }) => {
        const store = this.project();
        requireModel(store, modelId);
        const draft = store.getSetting<Record<string, unknown>>(draftKey(modelId));
        return { draft: draft && typeof draft === 'object' && !Array.isArray(draft) ? draft : null };
      },
      'drafts.save': ({ modelId, draft }) => {
        const store = this.project();
        requireModel(store, modelId);
        if (draft === null) {
          store.deleteSetting(draftKey(modelId));
          return null;
        }
        const bytes = Buffer.byteLength(JSON.stringify(draft));
        if (bytes > MAX_DRAFT_BYTES) throw new ApiArgumentError('drafts.save', [{ path: 'draft', message: `the draft is ${bytes} bytes of JSON; at most ${MAX_DRAFT_BYTES} are kept` }]);
        store.setSetting(draftKey(modelId), draft);
        return null;
      },

      'runs.start': (args) => {
        const store = this.project();
        const study = store.getStudy(args.studyId);
        if (study) this.requireTrusted(parseStudy(study.config, study.source).simulator);
        return { runId: this.runs.start(store, args) };
      },
      'runs.cancel': ({ runId }) => {
        requireRun(this.project(), runId);
        if (!this.runs.cancel(runId)) throw new ApiStateError('RUN_NOT_ACTIVE', `run ${runId} is not running in this app`, { runId });
        return null;
      },
      'runs.resume': ({ runId }) => {
        const store = this.project();
        requireRun(store, runId);
        this.requireTrusted(runSimulatorSpec(store, runId));
        return { runId: this.runs.resume(store, runId) };
      },
      'runs.list': (args) => {
        const store = this.project();
        const names = studyNameMap(store);
        return store.listRuns(args?.studyId ? { studyId: args.studyId } : {}).map((run) => runListItem(store, run, names));
      },
      'runs.get': ({ runId }) => runDetail(this.project(), requireRun(this.project(), runId)),
      'runs.posterior': ({ runId, generation, kdePoints }) => posteriorView(this.project(), requireRun(this.project(), runId), generation, kdePoints),
      'runs.predictive': async ({ runId, samples, seed }) => {
        const store = this.project();
        const run = requireRun(store, runId);
        const study = store.getStudy(run.studyId);
        if (!study?.modelId || !study.observedId) throw new ApiStateError('NOT_FOUND', `run ${runId}: its study, model or observed data is missing`);
        const parsed = parseStudy(study.config, study.source);
        const model = requireModel(store, study.modelId);
        const observed = observedDetail(requireObserved(store, study.observedId));
        const posterior = storedPosterior(store, run);
        const g = posterior.last;
        const rng = Xoshiro128.fromSeed(seed ?? run.seed, 7);
        const detail = modelDetail(model);
        const ids = detail.parameters.map((p) => p.id);
        const trials: Trial[] = [];
        for (let i = 0; i < samples; i++) {
          const row = weightedIndex(g.weights, rng.nextDouble());
          const values = Float64Array.from(detail.parameters, (p) => p.value);
          run.parameterNames.forEach((name, k) => (values[ids.indexOf(name)] = g.particles[row * g.dimension + k]));
          trials.push({ index: i, parameters: values, stream: [i] });
        }
        const job: SimulationJob = { ...this.trustedJobBase(model), method: parsed.method, time: observed.time, parameterIds: ids, runsPerTrial: 1, statistics: null, returnTrajectories: true, seed: seed ?? run.seed };
        const results = (await (await this.executor()).map(job, trials)).sort((a, b) => a.index - b.index);
        // Keep the observed species only, in the observed order.
        const speciesIndex = observed.species.map((s) => detail.species.indexOf(s));
        const n = observed.time.length;
        const data: number[] = [];
        for (const r of results) for (const s of speciesIndex) for (let t = 0; t < n; t++) data.push(r.trajectories![s * n + t]);
        return { time: observed.time, species: observed.species, samples, data, observed };
      },
      'runs.export': ({ runId, format, generation }) => {
        const store = this.project();
        const run = requireRun(store, runId);
        const base = `run-${run.id}-${run.algorithm}`;
        return format === 'csv'
          ? { fileName: `${base}.csv`, mimeType: 'text/csv', content: runToCsv(store, runId, generation) }
          : { fileName: `${base}.json`, mimeType: 'application/json', content: JSON.stringify(runToJson(store, runId), null, 1) };
      },
      'runs.delete': ({ runId }) => {
        const store = this.project();
        requireRun(store, runId);
        if (this.runs.isActive(runId)) throw new ApiStateError('RUN_IN_PROGRESS', `run ${runId} is running: cancel it before deleting it`, { runId });
        store.deleteRun(runId);
        return null;
      },

      'explore.list': () => listExplorationSessions(this.project()),
      'explore.create': ({ modelId, session }) => {
        const store = this.project();
        const record = requireModel(store, modelId);
        const name = typeof session.name === 'string' && session.name ? session.name : `exploration ${listExplorationSessions(store).length + 1}`;
        if (listExplorationSessions(store).includes(name)) throw new ApiStateError('EXISTS', `the project already has an exploration session "${name}"; open it or choose another name`, { name });
        const model = record.format === 'simulator' ? { simulator: JSON.parse(record.source) } : record.format === 'example' ? { example: record.source } : record.name;
        const created = createExplorationSession({ ...session, name, model }, record.parsed as ReactionNetworkInput, `session "${name}"`);
        attachSessionStore(store, created);
        created.compute = this.compute;
        this.sessions.set(name, { session: created, modelId });
        return this.explorationView(name);
      },
      'explore.open': ({ name }) => {
        this.session(name);
        return this.explorationView(name);
      },
      'explore.runBatch': async ({ name, n, source }) => {
        const session = this.session(name);
        this.requireTrusted(session.job.simulator);
        const executor = await this.executor();
        const onProgress = throttled((completed, total) => this.emit({ type: 'task.progress', task: `explore:${name}`, completed, total, message: `simulating batch ${session.batches.length}` }));
        await this.exploring(name, async (signal) => {
          if (source && typeof source === 'object' && source.kind === 'parameters') {
            await session.runBatch(executor, { source: { kind: 'parameters', parameters: source.parameters, origin: { kind: 'proposal', strategy: source.strategy ?? 'user' } }, onProgress, signal });
          } else {
            await session.runBatch(executor, { source: (source ?? 'design') as never, n, onProgress, signal });
          }
        });
        return this.explorationView(name);
      },
      'explore.embed': async ({ name, method }) => {
        const session = this.session(name);
        const started = performance.now();
        const onProgress = throttled((completed, total) => this.emit({ type: 'task.progress', task: `explore:${name}`, completed, total, message: `embedding (${method ?? session.config.reduction.method})` }));
        const result = await this.exploring(name, (signal) => session.embed({ method, onProgress, signal }));
        return { ...result, seconds: (performance.now() - started) / 1000 };
      },
      'explore.label': ({ name, labels, classes }) => {
        const session = this.session(name);
        // New class names first, so the palette order is the user's.
        if (classes) for (const c of classes) if (!session.classNames.includes(c)) session.classNames.push(c);
        session.setLabels(labels);
        return this.explorationView(name);
      },
      'explore.propagate': ({ name }) => this.session(name).propagate(),
      'explore.cancel': ({ name }) => {
        const controller = this.exploreWork.get(name);
        controller?.abort();
        return { cancelled: controller !== undefined };
      },
      'explore.propose': ({ name, n, strategy, class: chosen }) => this.session(name).propose({ n, strategy, class: chosen }),

      'learn.backend': async () => ({ backend: await this.learning.backend() }),
      'learn.train': (args) => {
        const store = this.project();
        const study = store.getStudy(args.studyId);
        const model = study?.modelId != null ? store.getModel(study.modelId) : undefined;
        if (model) this.trustedJobBase(model);
        return { taskId: this.learning.start(store, args) };
      },
      'learn.cancel': ({ taskId }) => {
        if (!this.learning.cancel(taskId)) throw new ApiStateError('TASK_NOT_ACTIVE', `training ${taskId} is not running`, { taskId });
        return null;
      },
      'learn.networks': () => {
        const store = this.project();
        return store.listNetworks().map((n) => networkListItem(store.getNetwork(n.id)!));
      },

      'trust.list': () => this.trustList(),
      'trust.request': ({ fingerprint }) => this.trust.request(this.project(), fingerprint),
      'trust.approve': ({ fingerprint, code }) => {
        this.trust.approveWithCode(this.project(), fingerprint, code);
        return this.trustList();
      },
      'trust.revoke': ({ fingerprint }) => {
        this.trust.revoke(this.project(), fingerprint);
        return this.trustList();
      },

      'settings.get': () => this.engineSettings(),
      'settings.setWorkers': async ({ workers }) => {
        await this.replaceExecutor();
        this.settings.update({ workers });
        return this.engineSettings();
      },
      'settings.setNodes': async ({ nodes, executor }) => {
        const { parseNodeSettings } = await import('../compute/ssh/index.js');
        nodes.forEach((n, i) => parseNodeSettings(n, `nodes[${i}]`));
        if (executor === 'ssh' && nodes.length === 0) throw new ApiArgumentError('settings.setNodes', [{ path: 'nodes', message: 'the SSH executor needs at least one node' }]);
        if (executor === 'slurm' && !this.settings.value.slurm) throw new ApiArgumentError('settings.setNodes', [{ path: 'executor', message: 'no SLURM cluster is saved: save one first (settings.setSlurm)' }]);
        await this.replaceExecutor();
        this.settings.update({ nodes, executor });
        return this.engineSettings();
      },
      'settings.checkNodes': async ({ nodes }) => {
        const { checkNodes } = await import('../compute/ssh/index.js');
        const reports = await checkNodes(nodes as never[]);
        return reports.map((report) => {
          const { node, ok, ...facts } = report as unknown as { node: string; ok: boolean; error?: { message?: string } } & Record<string, unknown>;
          const message = ok ? `ready: Node ${String(facts.nodeVersion ?? '?')}, ${String(facts.workers ?? '?')} workers` : String(facts.error?.message ?? facts.error ?? 'check failed');
          return { node, ok, message, facts: jsonSafe({ ...facts, error: undefined }) as Record<string, unknown> };
        });
      },
      'settings.setSlurm': async ({ slurm, use }) => {
        const { parseSlurmSettings } = await import('../compute/slurm/index.js');
        if (slurm) parseSlurmSettings(slurm, 'slurm');
        if (use && !slurm) throw new ApiArgumentError('settings.setSlurm', [{ path: 'slurm', message: 'the SLURM executor needs the cluster settings' }]);
        await this.replaceExecutor();
        const current = this.settings.value.executor;
        this.settings.update({ slurm, executor: use ? 'slurm' : current === 'slurm' ? 'local' : current });
        return this.engineSettings();
      },
      'settings.checkSlurm': async ({ slurm }) => {
        const { clusterLabel, parseSlurmSettings, SlurmExecutor } = await import('../compute/slurm/index.js');
        const cluster = parseSlurmSettings(slurm, 'slurm');
        const executor = new SlurmExecutor({ cluster });
        try {
          const facts = await executor.check();
          const message = `ready: SLURM ${facts.slurmVersion}, partition ${facts.partition} (${facts.usableNodes} node(s) up, up to ${facts.cpusPerNode} CPUs each); Node.js on the compute nodes is checked when the allocation starts`;
          return { cluster: clusterLabel(cluster), ok: true, message, facts: jsonSafe(facts) as Record<string, unknown> };
        } catch (error) {
          return { cluster: clusterLabel(cluster), ok: false, message: (error as Error).message, facts: null };
        } finally {
          await executor.close();
        }
      },
    };
  }

  /** Run one cancellable exploration step (a batch or an embedding); one at a time per session. */
  private async exploring<T>(name: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.exploreWork.has(name)) throw new ApiStateError('BUSY', `the session "${name}" is already running a batch or an embedding; wait for it or cancel it`, { name });
    const controller = new AbortController();
    this.exploreWork.set(name, controller);
    try {
      return await work(controller.signal);
    } finally {
      this.exploreWork.delete(name);
    }
  }

  /** An open exploration session of this project (loaded from the project on first use). */
  private session(name: string): ExplorationSession {
    const store = this.project();
    let entry = this.sessions.get(name);
    if (!entry) {
      entry = { session: loadExplorationSession(store, name), modelId: null };
      entry.session.compute = this.compute;
      this.sessions.set(name, entry);
    }
    return entry.session;
  }

  private explorationView(name: string): ExplorationView {
    const entry = this.sessions.get(name)!;
    const snapshot = entry.session.snapshot();
    return {
      name: snapshot.name,
      modelId: entry.modelId ?? this.modelIdOf(entry.session),
      parameterNames: snapshot.parameterNames,
      bounds: snapshot.bounds,
      time: [...entry.session.job.time],
      featureNames: snapshot.featureNames,
      classNames: snapshot.classNames,
      batches: snapshot.batches.map((b) => ({ index: b.index, first: b.first, count: b.count, origin: b.origin as unknown as Record<string, unknown> })),
      parameters: snapshot.parameters,
      features: snapshot.features as Array<Array<number | null>>,
      labels: snapshot.labels as unknown as Record<string, number>,
    };
  }

  /** The stored model a reloaded session simulates (same JSON), so the app can preview its points. */
  private modelIdOf(session: ExplorationSession): number | null {
    const store = this.project();
    const wanted = JSON.stringify(session.model);
    const match = store.listModels().reverse().find((m) => JSON.stringify(store.getModel(m.id)?.parsed) === wanted);
    return match?.id ?? null;
  }

  /**
   * The model (or black-box simulator) part of a job for a stored model,
   * once its simulator is approved for this project: throws
   * UntrustedSimulatorError (nothing run) otherwise.
   */
  private trustedJobBase(record: { format: string; source: string; parsed: unknown }): { model: ReactionNetworkInput; simulator?: BlackBoxSimulatorSpec } {
    const model = record.parsed as ReactionNetworkInput;
    if (record.format !== 'simulator') return { model };
    const simulator = parseBlackBoxSpec(JSON.parse(record.source));
    this.requireTrusted(simulator);
    return { model, simulator };
  }

  /** Refuse a black-box simulator nobody approved for the open project (engine/trust). */
  private requireTrusted(simulator: BlackBoxSimulatorSpec | undefined): void {
    this.trust.require(simulator, this.project().path);
  }

  private trustList() {
    const store = this.project();
    return { scope: store.path, simulators: this.trust.list(store) };
  }

  /** Run one preview with its cancel (by id) and its time limit. */
  private async previewing<T>(previewId: string | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (previewId !== undefined && this.previews.has(previewId)) throw new ApiStateError('BUSY', `a preview "${previewId}" is already running`, { previewId });
    const controller = new AbortController();
    const key = previewId ?? `anonymous-${Math.random()}`;
    this.previews.set(key, controller);
    const limit = this.options.previewTimeLimitMs ?? PREVIEW_TIME_LIMIT_MS;
    const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(limit)]);
    try {
      return await work(signal);
    } catch (error) {
      if (signal.aborted && !controller.signal.aborted) {
        throw new ApiStateError('TIME_LIMIT', `the preview took longer than ${limit / 1000} s and was stopped: simulate fewer runs or a shorter time`, { seconds: limit / 1000 });
      }
      throw error;
    } finally {
      this.previews.delete(key);
    }
  }
}

function libsbmlWasm(): string {
  return createRequire(import.meta.url).resolve('libsbmljs_stable/libsbml.wasm');
}

function weightedIndex(weights: Float64Array, u: number): number {
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i];
    if (u < acc) return i;
  }
  return weights.length - 1;
}

function ensembleMoments(data: Float64Array, runs: number, block: number): { mean: number[]; sd: number[] } {
  const mean = new Array<number>(block).fill(0);
  const sd = new Array<number>(block).fill(0);
  for (let r = 0; r < runs; r++) for (let j = 0; j < block; j++) mean[j] += data[r * block + j] / runs;
  for (let r = 0; r < runs; r++) for (let j = 0; j < block; j++) sd[j] += (data[r * block + j] - mean[j]) ** 2;
  for (let j = 0; j < block; j++) sd[j] = runs > 1 ? Math.sqrt(sd[j] / (runs - 1)) : 0;
  return { mean, sd };
}

/** The checks runStudy makes, made when the study is saved, so the user hears of them before a run. */
function checkStudyAgainst(study: Study, model: ReactionNetworkInput, observedSpecies: readonly string[]): void {
  const issues: Array<{ path: string; message: string }> = [];
  const parameterIds = (model.parameters ?? []).map((p) => p.id);
  for (const name of study.prior.names) {
    if (!parameterIds.includes(name)) issues.push({ path: `priors.${name}`, message: `the model has no parameter "${name}"; its parameters are ${parameterIds.join(', ')}` });
  }
  const speciesIds = (model.species ?? []).map((s) => s.id);
  for (const id of study.species ?? observedSpecies) {
    if (!speciesIds.includes(id)) issues.push({ path: 'species', message: `"${id}" is not a species of the model (species: ${speciesIds.join(', ')})` });
  }
  if (issues.length > 0) throw new ApiArgumentError('studies.save', issues);
}

/**
 * The app has no study folder to resolve relative paths against, so a
 * simulator's module and working directory must be absolute, and must exist
 * (a typo should be caught when the simulator is added, not mid-run).
 */
function checkSimulatorPaths(spec: BlackBoxSimulatorSpec): void {
  const issues: Array<{ path: string; message: string }> = [];
  const check = (field: string, path: string, what: string) => {
    if (!isAbsolute(path)) issues.push({ path: field, message: `expected an absolute path of the ${what}, got "${path}"` });
    else if (!existsSync(path)) issues.push({ path: field, message: `no such ${what}: ${path}` });
  };
  if (spec.kind === 'module') check('simulator.path', spec.path, 'module file');
  else if (spec.cwd !== undefined) check('simulator.cwd', spec.cwd, 'working directory');
  if (issues.length > 0) throw new BlackBoxSpecError('simulator', issues);
}

/** Progress callbacks at most ten times a second (and always the last one), so events stay cheap over IPC. */
function throttled(report: (completed: number, total: number) => void): (completed: number, total: number) => void {
  let last = 0;
  return (completed, total) => {
    const now = performance.now();
    if (completed < total && now - last < 100) return;
    last = now;
    report(completed, total);
  };
}

function networkListItem(record: { id: number; name: string; topology: unknown; meta: Record<string, unknown>; createdAt: string }): NetworkListItem {
  const topology = record.topology as { architecture?: string; parameters?: string[]; species?: string[] };
  const meta = record.meta as { backend?: string; trainingSize?: number; bestEpoch?: number; trainLoss?: number[]; valLoss?: number[] };
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
    trainLoss: meta.trainLoss ?? [],
    valLoss,
  };
}
