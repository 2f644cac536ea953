import type { Executor } from '../../compute/executor.js';
import type { RemoteRunTracker } from '../../compute/slurm/batch/remoteRunTracker.js';
import type { ComputeRunner } from '../../compute/thread/index.js';
import type { ProjectStore } from '../../store/ProjectStore.js';
import type { ApiMethod, ApiParsedArgs, ApiResults, EngineEvent, EngineSettings, ProjectSummary } from '../contract.js';
import type { EngineSettingsFile } from '../engineSettings.js';
import type { LearnManager } from '../LearnManager.js';
import type { RunManager } from '../RunManager.js';
import type { TrustManager } from '../TrustManager.js';
import type { ExplorationSessions } from './explorationSessions.js';
import type { PreviewTasks } from './previewTasks.js';

/** One EngineApi method: its zod-parsed argument in, its result (or a promise of it) out. */
export type Handler<M extends ApiMethod> = (args: ApiParsedArgs<M>) => Promise<ApiResults[M]> | ApiResults[M];

/**
 * Every method of the contract, each with its own argument and result type:
 * the handler modules' parts are combined into this type (handlers/index.ts),
 * so a method that no module serves, or one misspelled, fails typecheck.
 */
export type Handlers = { [M in ApiMethod]: Handler<M> };

/**
 * What the handler modules may use of the EngineService: its state behind
 * accessors (the open project, the executor, the machine settings), the
 * background managers, and its event and log sinks. The service builds one
 * and owns everything in it; the handlers keep no state of their own.
 */
export interface HandlerContext {
  /** The open project; throws NO_PROJECT when none is. */
  project(): ProjectStore;
  /** The open project as the app lists it, or null. */
  summary(): ProjectSummary | null;
  /** Open (or create) a project file, closing the one open; refused while a run is in progress. */
  openProject(path: string, create: boolean): ProjectSummary;
  /** Close the open project (if any); refused while a run is in progress. */
  closeProject(): void;

  /** Machine-level settings (workers, SSH nodes, SLURM, recent projects). */
  readonly settings: EngineSettingsFile;
  /** Worker threads of the local executor (the service's option, else the stored setting, else the cores). */
  workers(): number;
  /** The settings as `settings.get` returns them. */
  engineSettings(): EngineSettings;
  /** The executor simulations run on (built on first use from the settings). */
  executor(): Promise<Executor>;
  /** Close the executor so the next call builds one from new settings; refused while a run is in progress. */
  replaceExecutor(): Promise<void>;

  readonly runs: RunManager;
  readonly learning: LearnManager;
  readonly trust: TrustManager;
  /** Heavy tasks off the event loop (training, embeddings, label spreading). */
  readonly compute: ComputeRunner;
  /** Exploration sessions in use and the step each is running. */
  readonly explorations: ExplorationSessions;
  /** Previews in progress, with their cancel and time limit. */
  readonly previews: PreviewTasks;

  /**
   * Detached cluster runs of this computer's user (remote-runs.json in the
   * config folder; the login-node connections kept between calls), for the
   * remote.* methods (handlers/clusterRuns.ts); without it they answer UNAVAILABLE.
   */
  readonly remoteRuns: RemoteRunTracker;

  emit(event: EngineEvent): void;
  log(message: string): void;
}

/** A handler module's part of the map: only methods of the contract, each typed as its method. */
export type HandlerPart = Partial<Handlers>;
