import type { Executor } from '../compute/executor.js';
import type { ComputeRunner } from '../compute/thread/index.js';
import { parseObservedCsv } from '../infer/observedData.js';
import { parseStudy, runStudy } from '../infer/study.js';
import { resolveStudySummaries } from '../learn/nn/studySummaries.js';
import type { InferenceProgress } from '../infer/types.js';
import type { ReactionNetworkInput } from '../model/schema.js';
import type { ProjectStore } from '../store/ProjectStore.js';
import { recorderFor } from '../store/recorder.js';
import { resumeRun } from '../store/resume.js';
import { saveRunEstimator } from '../store/runEstimators.js';
import { LiveTraining, plannedTraining } from './runTraining.js';
import type { ApiParsedArgs, EngineEvent, RunStatus } from './contract.js';
import { requireModel, requireObserved } from './projectViews.js';
import { ApiStateError, toWireError } from './wire.js';
import { randomSeed } from '../sample/random/randomSeed.js';
import { storedSimulator } from '../simulate/blackbox/fingerprint.js';

interface ActiveRun {
  readonly controller: AbortController;
  readonly started: number;
  readonly maxGenerations: number | null;
  /** Wall-clock seconds of each completed generation, for the remaining-time estimate. */
  readonly generationSeconds: number[];
  lastGenerationAt: number;
  lastSamplingEvent: number;
  /** An NPE run's training curves (null for ABC runs). */
  training: LiveTraining | null;
}

interface RunManagerOptions {
  readonly executor: () => Promise<Executor>;
  /** Where an NPE run's network trains: the engine's compute threads, so its event loop stays free. */
  readonly compute?: ComputeRunner;
  readonly emit: (event: EngineEvent) => void;
  readonly log: (message: string) => void;
}

/** Sampling progress is sent at most this often per run: enough for a smooth bar, cheap over IPC and WebSocket. */
const SAMPLING_EVENT_INTERVAL_MS = 100;

/**
 * Inference runs in the background of the engine: started, cancelled and
 * resumed by id, stored generation by generation through the project's
 * recorder, with progress events (throttled) and a final event. The work
 * itself runs on the executor's workers, so the caller's thread stays free.
 */
export class RunManager {
  private readonly active = new Map<number, ActiveRun>();

  constructor(private readonly options: RunManagerOptions) {}

  count(): number {
    return this.active.size;
  }

  isActive(runId: number): boolean {
    return this.active.has(runId);
  }

  cancel(runId: number): boolean {
    const run = this.active.get(runId);
    run?.controller.abort();
    return run !== undefined;
  }

  async cancelAll(): Promise<void> {
    for (const run of this.active.values()) run.controller.abort();
    const deadline = Date.now() + 10_000;
    while (this.active.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  start(store: ProjectStore, args: ApiParsedArgs<'runs.start'>): number {
    const record = store.getStudy(args.studyId);
    if (!record) throw new ApiStateError('NOT_FOUND', `no study ${args.studyId} in this project`, { studyId: args.studyId });
    if (record.modelId === null || record.observedId === null)
      throw new ApiStateError('STUDY_INCOMPLETE', `study ${args.studyId} has no model or observed data`);
    // A network named by id is inlined here, so every executor runs it unchanged.
    const study = resolveStudySummaries(parseStudy(record.config, record.source), { baseDir: '', readJson: noFiles, networks: store });
    const model = requireModel(store, record.modelId).parsed as ReactionNetworkInput;
    const observedRecord = requireObserved(store, record.observedId);
    const observed = parseObservedCsv(observedRecord.source, { source: observedRecord.name, species: study.species ?? observedRecord.species ?? undefined });
    const seed = args.seed ?? study.seed ?? randomSeed();
    const overrides: Record<string, unknown> = {};
    if (args.populationSize !== undefined) overrides.populationSize = args.populationSize;
    if (args.maxGenerations !== undefined) overrides.maxGenerations = args.maxGenerations;
    // A black-box simulator: its spec with absolute paths and the hashes of its files, so a resume can tell when they changed (store/resume.ts).
    if (study.simulator) overrides.simulator = storedSimulator(study.simulator);
    const runId = store.createRun({ studyId: record.id, algorithm: study.algorithm.kind, seed, options: overrides, parameterNames: study.prior.names });
    const recorder = recorderFor(store, runId, false);
    const algorithm = study.algorithm;
    const maxGenerations =
      algorithm.kind === 'abcRejection'
        ? 1
        : algorithm.kind === 'npe'
          ? (algorithm.rounds ?? 1)
          : (args.maxGenerations ?? (algorithm as { maxGenerations?: number }).maxGenerations ?? null);
    const active = this.track(runId, maxGenerations);
    // NPE: epochs go to the app as they train, and the estimator is stored with the run after every round.
    const training = algorithm.kind === 'npe' ? new LiveTraining(runId, active.started, plannedTraining(algorithm), this.options.emit) : null;
    active.training = training;
    void (async () => {
      try {
        const executor = await this.options.executor();
        const posterior = await runStudy(study, model, observed, {
          seed,
          executor,
          signal: active.controller.signal,
          ...(this.options.compute ? { compute: this.options.compute } : {}),
          populationSize: args.populationSize,
          maxGenerations: args.maxGenerations,
          onProgress: (event) => this.progress(runId, active, event),
          onGeneration: recorder.onGeneration,
          ...(training
            ? {
                onTrainingEpoch: (round: number, epoch: Parameters<LiveTraining['epoch']>[1]) => training.epoch(round, epoch),
                onEstimator: (estimator: Parameters<typeof saveRunEstimator>[2]) => {
                  saveRunEstimator(store, runId, estimator);
                  training.roundEnded(estimator.rounds);
                },
              }
            : {}),
        });
        recorder.complete(posterior);
        this.finish(runId, 'completed', null);
      } catch (error) {
        const cancelled = active.controller.signal.aborted;
        recorder.fail(error, cancelled);
        this.finish(runId, cancelled ? 'cancelled' : 'failed', cancelled ? null : error);
      }
    })();
    return runId;
  }

  resume(store: ProjectStore, runId: number): number {
    if (this.active.has(runId)) throw new ApiStateError('RUN_IN_PROGRESS', `run ${runId} is already running`, { runId });
    const run = store.getRun(runId);
    if (!run) throw new ApiStateError('NOT_FOUND', `no run ${runId} in this project`, { runId });
    // Refused now (RUN_BUSY) when another process is resuming it, rather than as a failed run later.
    const lease = store.acquireRunLease(runId);
    const active = this.track(runId, (run.options as { maxGenerations?: number }).maxGenerations ?? null);
    void (async () => {
      try {
        const executor = await this.options.executor();
        await resumeRun(store, runId, { lease, executor, signal: active.controller.signal, onProgress: (event) => this.progress(runId, active, event) });
        this.finish(runId, 'completed', null);
      } catch (error) {
        lease.release();
        const cancelled = active.controller.signal.aborted;
        this.finish(runId, cancelled ? 'cancelled' : 'failed', cancelled ? null : error);
      }
    })();
    return runId;
  }

  private track(runId: number, maxGenerations: number | null): ActiveRun {
    const now = performance.now();
    const active: ActiveRun = {
      controller: new AbortController(),
      started: now,
      maxGenerations,
      generationSeconds: [],
      lastGenerationAt: now,
      lastSamplingEvent: 0,
      training: null,
    };
    this.active.set(runId, active);
    return active;
  }

  private progress(runId: number, active: ActiveRun, event: InferenceProgress): void {
    const now = performance.now();
    if (event.phase === 'sampling') {
      if (now - active.lastSamplingEvent < SAMPLING_EVENT_INTERVAL_MS) return;
      active.lastSamplingEvent = now;
    } else {
      active.generationSeconds.push((now - active.lastGenerationAt) / 1000);
      active.lastGenerationAt = now;
    }
    this.options.emit({
      type: 'run.progress',
      runId,
      phase: event.phase,
      generation: event.generation,
      epsilon: event.epsilon,
      accepted: event.accepted,
      populationSize: event.populationSize,
      acceptanceRate: event.acceptanceRate,
      simulations: event.simulations,
      elapsedSeconds: (now - active.started) / 1000,
      remainingSeconds: remaining(active, event, now),
      maxGenerations: active.maxGenerations,
    });
  }

  /** A running NPE run's training curves so far, or null (not running here, or not NPE). */
  training(runId: number): ReturnType<LiveTraining['view']> | null {
    return this.active.get(runId)?.training?.view() ?? null;
  }

  private finish(runId: number, status: RunStatus, error: unknown): void {
    this.active.get(runId)?.training?.flush();
    this.active.delete(runId);
    const wire = error === null ? null : toWireError(error);
    if (wire?.code === 'INTERNAL') this.options.log(`sciope engine: run ${runId}: ${(error as Error)?.stack ?? String(error)}`);
    this.options.emit({ type: 'run.finished', runId, status, error: wire });
  }
}

/**
 * Remaining time from the mean duration of finished generations (later
 * generations of SMC-ABC usually take longer, so this is a lower bound),
 * less the time the current one has already taken. Null without a
 * generation limit or before the first generation.
 */
function remaining(active: ActiveRun, event: InferenceProgress, now: number): number | null {
  if (active.maxGenerations === null) return null;
  const done = active.generationSeconds.length;
  if (done === 0) {
    // Within the first generation: extrapolate from its fill level.
    const fraction = event.populationSize > 0 ? event.accepted / event.populationSize : 0;
    if (fraction <= 0.05) return null;
    const perGeneration = (now - active.started) / 1000 / fraction;
    return Math.max(0, perGeneration * active.maxGenerations - (now - active.started) / 1000);
  }
  const mean = active.generationSeconds.reduce((a, b) => a + b, 0) / done;
  const inCurrent = event.phase === 'generation' ? 0 : (now - active.lastGenerationAt) / 1000;
  return Math.max(0, mean * Math.max(0, active.maxGenerations - done) - inCurrent);
}

/** Studies made in the app name networks by project id, never by file. */
function noFiles(path: string): never {
  throw new ApiStateError('NOT_SUPPORTED', `a study in the app names a trained network by its id in the project, not by a file (${path})`);
}
