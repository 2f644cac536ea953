import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiMethod, ApiResults, EngineEvent, LearnEpochEvent, LearnFinishedEvent, RunFinishedEvent, RunProgressEvent } from '../api/contract.js';
import { EngineService } from '../api/EngineService.js';
import { EngineError } from '../errors/index.js';
import type { BlackBoxSimulatorSpec } from '../simulate/blackbox/spec.js';
import { ApprovalStore } from '../trust/ApprovalStore.js';
import { describeSimulator } from '../trust/describeSimulator.js';
import { createExecutor, type ExecutorFlags } from './executorOptions.js';
import { CommandCancelledError, errorFromWire } from './exitCode.js';

/**
 * The CLI's door into the engine: an in-process EngineService, the one the
 * app's engine host and `sciope serve` run, so a run started here gets the
 * same bookkeeping (default seed, recorder, cancel) as one started in the
 * app (engine/api/RunManager.ts).
 *
 * What differs is only what the command line decides for itself:
 * - simulations run where the command's flags say (--executor, --workers,
 *   --nodes, --slurm...), not where the app's saved settings say;
 * - the service keeps its machine settings in a folder of its own, removed
 *   on close, so a command never adds its projects (or temporary ones) to the
 *   app's recent list. Approvals of black-box simulators are asked for by
 *   the command (simulatorApproval.ts, the user's store, scoped to the file
 *   the person named) and handed to the service for the project the command
 *   runs them in (`allowSimulator`).
 */
export class CliEngine {
  readonly service: EngineService;
  private readonly configDir: string;
  /** Events while nobody follows (a short run may end before its follower subscribes); replayed to the next follower. */
  private readonly pending: EngineEvent[] = [];
  private readonly followers = new Set<(event: EngineEvent) => void>();
  private readonly unsubscribe: () => void;

  constructor(flags: ExecutorFlags, defaultWorkers: 'all' | 1) {
    this.configDir = mkdtempSync(join(tmpdir(), 'sciope-cli-engine-'));
    this.service = new EngineService({ configDir: this.configDir, executor: () => createExecutor(flags, defaultWorkers) });
    this.unsubscribe = this.service.onEvent((event) => {
      if (this.followers.size === 0) this.pending.push(event);
      for (const follower of this.followers) follower(event);
    });
  }

  /** A typed EngineApi call; a failure is thrown as the engine error it was (its name, code and details kept). */
  async call<M extends ApiMethod>(method: M, args?: unknown): Promise<ApiResults[M]> {
    const outcome = await this.service.invoke(method, args);
    if (!outcome.ok) throw errorFromWire(outcome.error);
    return outcome.value as ApiResults[M];
  }

  /** Open the project (creating it when missing and `create` is set); returns its absolute path. */
  async openProject(path: string, create: boolean): Promise<string> {
    const opened = await this.call(create && !existsSync(path) ? 'projects.create' : 'projects.open', { path });
    return opened.path;
  }

  /**
   * Let the service run `spec` in the open project: the person approved it
   * on this terminal for the file they named (ensureSimulatorApproved), and
   * the command runs exactly that content in `projectPath`. Kept in this
   * engine's own folder only: it ends with the command.
   */
  allowSimulator(spec: BlackBoxSimulatorSpec | undefined, projectPath: string): void {
    if (spec) new ApprovalStore(this.configDir).approve(projectPath, describeSimulator(spec));
  }

  /**
   * Follow a run started (or resumed) through the service until it ends:
   * progress events go to `onProgress`, Ctrl-C cancels it through
   * `runs.cancel` (the run is stored as cancelled). Resolves when it
   * completed; throws CommandCancelledError when cancelled, and the run's
   * own error (rebuilt from the wire) when it failed.
   */
  async followRun(runId: number, onProgress: (event: RunProgressEvent) => void, cancelledMessage: string): Promise<void> {
    const finished = await this.follow<RunFinishedEvent>(
      (event) => {
        if (event.type === 'run.progress' && event.runId === runId) onProgress(event);
        return event.type === 'run.finished' && event.runId === runId ? event : undefined;
      },
      () => this.service.invoke('runs.cancel', { runId }),
    );
    if (finished.event.status === 'completed') return;
    if (finished.event.status === 'cancelled' || finished.interrupted) throw new CommandCancelledError(cancelledMessage);
    throw finished.event.error
      ? errorFromWire(finished.event.error)
      : new EngineError('RUN_FAILED', `run ${runId} ended as ${finished.event.status}`, { runId });
  }

  /**
   * Follow a training started through `learn.train` until it ends: its
   * training-set progress (`task.progress`) and epochs (`learn.epoch`) go
   * to the handlers, Ctrl-C cancels it through `learn.cancel`. Resolves with
   * the final event when it completed; throws as followRun does otherwise.
   */
  async followTraining(
    taskId: number,
    on: { onProgress: (completed: number, total: number) => void; onEpoch: (event: LearnEpochEvent) => void },
    cancelledMessage: string,
  ): Promise<LearnFinishedEvent> {
    const task = `learn:${taskId}`;
    const finished = await this.follow<LearnFinishedEvent>(
      (event) => {
        if (event.type === 'task.progress' && event.task === task) on.onProgress(event.completed, event.total);
        else if (event.type === 'learn.epoch' && event.taskId === taskId) on.onEpoch(event);
        return event.type === 'learn.finished' && event.taskId === taskId ? event : undefined;
      },
      () => this.service.invoke('learn.cancel', { taskId }),
    );
    if (finished.event.status === 'completed') return finished.event;
    if (finished.event.status === 'cancelled' || finished.interrupted) throw new CommandCancelledError(cancelledMessage);
    throw finished.event.error
      ? errorFromWire(finished.event.error)
      : new EngineError('TRAINING_FAILED', `training ${taskId} ended as ${finished.event.status}`, { taskId });
  }

  /** Events (buffered ones first) to `handle` until it returns the final one; Ctrl-C meanwhile calls `cancel` once. */
  private async follow<E>(handle: (event: EngineEvent) => E | undefined, cancel: () => Promise<unknown>): Promise<{ event: E; interrupted: boolean }> {
    let interrupted = false;
    const interrupt = () => {
      interrupted = true;
      void cancel();
    };
    process.once('SIGINT', interrupt);
    try {
      const event = await new Promise<E>((resolve) => {
        const follower = (event: EngineEvent) => {
          const final = handle(event);
          if (final === undefined) return;
          this.followers.delete(follower);
          resolve(final);
        };
        this.followers.add(follower);
        for (const event of this.pending.splice(0)) follower(event);
      });
      return { event, interrupted };
    } finally {
      process.removeListener('SIGINT', interrupt);
    }
  }

  /**
   * One step of an exploration session (a batch, an embedding) through the
   * service: its `task.progress` events go to `onProgress`, Ctrl-C cancels
   * it through `explore.cancel` (finished batches stay in the project).
   */
  async exploring<T>(name: string, call: () => Promise<T>, onProgress: (completed: number, total: number) => void, cancelledMessage: string): Promise<T> {
    const task = `explore:${name}`;
    const follower = (event: EngineEvent) => {
      if (event.type === 'task.progress' && event.task === task) onProgress(event.completed, event.total);
    };
    let interrupted = false;
    const interrupt = () => {
      interrupted = true;
      void this.service.invoke('explore.cancel', { name });
    };
    this.followers.add(follower);
    process.once('SIGINT', interrupt);
    try {
      return await call();
    } catch (error) {
      if (interrupted || error instanceof CommandCancelledError) throw new CommandCancelledError(cancelledMessage);
      throw error;
    } finally {
      process.removeListener('SIGINT', interrupt);
      this.followers.delete(follower);
    }
  }

  /** Cancel what still runs, stop the executor, close the project and remove the engine's folder. */
  async close(): Promise<void> {
    this.unsubscribe();
    try {
      await this.service.close();
    } finally {
      rmSync(this.configDir, { recursive: true, force: true });
    }
  }
}

/** Run `work` with a CliEngine that is closed afterwards, whatever happens. */
export async function withCliEngine<T>(flags: ExecutorFlags, defaultWorkers: 'all' | 1, work: (engine: CliEngine) => Promise<T>): Promise<T> {
  const engine = new CliEngine(flags, defaultWorkers);
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}
