import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, resolve } from 'node:path';
import type { Executor } from '../compute/executor.js';
import { WorkerPoolExecutor } from '../compute/pool/WorkerPoolExecutor.js';
import { ComputeThreads, type ComputeRunner } from '../compute/thread/index.js';
import { RemoteRunTracker } from '../compute/slurm/batch/remoteRunTracker.js';
import { expandHome } from '../paths/index.js';
import { ProjectStore } from '../store/ProjectStore.js';
import type { ApprovalChannel } from '../trust/types.js';
import {
  API_METHODS,
  apiSchemas,
  type ApiMethod,
  type ApiResults,
  type CallOutcome,
  type EngineEvent,
  type EngineSettings,
  type ProjectSummary,
} from './contract.js';
import { EngineSettingsFile } from './engineSettings.js';
import { createHandlers, ExplorationSessions, PreviewTasks, type Handler, type HandlerContext, type Handlers } from './handlers/index.js';
import { LearnManager } from './LearnManager.js';
import { RunManager } from './RunManager.js';
import { TrustManager } from './TrustManager.js';
import { ApiArgumentError, ApiStateError, argumentIssues, jsonSafe, toWireError, unwrapOutcome } from './wire.js';

export { MAX_DRAFT_BYTES, PREVIEW_MAX_EVENTS, PREVIEW_TIME_LIMIT_MS } from './handlers/index.js';

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
  /**
   * Where simulations run when the front door decides it (the CLI's
   * --executor flags) rather than the saved settings: called on first use
   * (and again after a settings change); the executor is closed with the service.
   */
  readonly executor?: () => Executor | Promise<Executor>;
}

/**
 * The EngineApi: one typed service behind every front door (Electron IPC,
 * `sciope serve`, the CLI). It holds the open project, the executor (local
 * worker threads, the SSH node pool or a SLURM allocation) and the work in
 * flight; the methods themselves live in handlers/, one module per area.
 * `invoke` validates its argument with the method's zod schema and never
 * throws: errors come back as `{ name, code, message, details }`.
 */
export class EngineService {
  private store: ProjectStore | null = null;
  private readonly settings: EngineSettingsFile;
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private executorInstance: Executor | null = null;
  private readonly runs: RunManager;
  private readonly learning: LearnManager;
  private readonly trust: TrustManager;
  private readonly explorations: ExplorationSessions;
  private readonly previews: PreviewTasks;
  /** Detached SLURM runs (remote.*): their registry and the SSH connections to follow them. */
  private readonly remoteRuns: RemoteRunTracker;
  private readonly log: (message: string) => void;
  private readonly handlers: Handlers;
  /** The compute threads this service started (closed with it), unless options.compute was given. */
  private readonly ownThreads: ComputeThreads | undefined;

  constructor(private readonly options: EngineServiceOptions) {
    this.ownThreads = options.compute ? undefined : new ComputeThreads();
    const compute = options.compute ?? this.ownThreads!;
    this.settings = new EngineSettingsFile(options.configDir);
    this.trust = new TrustManager(options.configDir, options.approvalChannel);
    this.log = options.log ?? ((message) => process.stderr.write(`${message}\n`));
    const executor = () => this.executor();
    const emit = (event: EngineEvent) => this.emit(event);
    this.runs = new RunManager({ executor, compute, emit, log: this.log });
    this.learning = new LearnManager({ executor, emit, log: this.log, compute });
    this.explorations = new ExplorationSessions(compute);
    this.previews = new PreviewTasks(options.previewTimeLimitMs);
    this.remoteRuns = new RemoteRunTracker(options.configDir);
    this.handlers = createHandlers(this.handlerContext(compute));
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

  /** Cancel runs, stop workers, close the project. */
  async close(): Promise<void> {
    this.learning.cancelAll();
    this.explorations.cancelAll();
    this.previews.cancelAll();
    this.remoteRuns.close();
    await this.runs.cancelAll();
    await this.executorInstance?.close();
    this.executorInstance = null;
    await this.ownThreads?.close();
    this.store?.close();
    this.store = null;
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

  /** What the handler modules see of this service (handlers/context.ts). */
  private handlerContext(compute: ComputeRunner): HandlerContext {
    return {
      project: () => this.project(),
      summary: () => this.summary(),
      openProject: (path, create) => this.openProject(path, create),
      closeProject: () => this.closeProject(),
      settings: this.settings,
      workers: () => this.workers(),
      engineSettings: () => this.engineSettings(),
      executor: () => this.executor(),
      replaceExecutor: () => this.replaceExecutor(),
      runs: this.runs,
      learning: this.learning,
      trust: this.trust,
      compute,
      explorations: this.explorations,
      previews: this.previews,
      remoteRuns: this.remoteRuns,
      emit: (event) => this.emit(event),
      log: this.log,
    };
  }

  // ---- the open project ----

  private project(): ProjectStore {
    if (!this.store) throw new ApiStateError('NO_PROJECT', 'no project is open: create or open a project first');
    return this.store;
  }

  private summary(): ProjectSummary | null {
    if (!this.store) return null;
    const info = this.store.info();
    return { path: info.path, name: basename(info.path).replace(/\.sciope$/i, ''), bytes: info.bytes, schemaVersion: info.schemaVersion };
  }

  private openProject(path: string, create: boolean): ProjectSummary {
    if (this.runs.count() > 0) throw new ApiStateError('RUN_IN_PROGRESS', 'a run is in progress in the open project: wait for it or cancel it first');
    const absolute = resolve(expandHome(path));
    if (create && existsSync(absolute))
      throw new ApiStateError('PROJECT_EXISTS', `${absolute} already exists; open it instead, or choose another file name`, { path: absolute });
    if (!create && !existsSync(absolute)) throw new ApiStateError('NOT_FOUND', `${absolute}: no such project file`, { path: absolute });
    const next = ProjectStore.open(absolute, { create, exclusive: create });
    this.store?.close();
    this.store = next;
    this.explorations.clear();
    this.settings.addRecent(absolute);
    const summary = this.summary()!;
    this.emit({ type: 'project.changed', project: summary });
    return summary;
  }

  private closeProject(): void {
    if (this.runs.count() > 0) throw new ApiStateError('RUN_IN_PROGRESS', 'a run is in progress: wait for it or cancel it before closing the project');
    this.store?.close();
    this.store = null;
    this.explorations.clear();
    this.emit({ type: 'project.changed', project: null });
  }

  // ---- where simulations run ----

  private workers(): number {
    return this.options.workers ?? this.settings.value.workers ?? availableParallelism();
  }

  private engineSettings(): EngineSettings {
    const { workers, executor, nodes, slurm } = this.settings.value;
    return { workers, cores: availableParallelism(), executor, nodes, slurm };
  }

  private async executor(): Promise<Executor> {
    if (this.executorInstance) return this.executorInstance;
    const { executor, nodes, slurm } = this.settings.value;
    if (this.options.executor) {
      this.executorInstance = await this.options.executor();
    } else if (executor === 'slurm' && slurm) {
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
    if (this.runs.count() > 0)
      throw new ApiStateError('RUN_IN_PROGRESS', 'a run is in progress: wait for it or cancel it before changing where simulations run');
    const old = this.executorInstance;
    this.executorInstance = null;
    await old?.close();
  }
}
