import type { Executor } from '../compute/executor.js';
import { ComputeThreads, type ComputeRunner } from '../compute/thread/index.js';
import { storeNetwork } from '../learn/nn/networkStore.js';
import { simulateTrainingSet } from '../learn/nn/trainingSet.js';
import { parseObservedCsv } from '../infer/observedData.js';
import { parseStudy } from '../infer/study.js';
import type { ReactionNetworkInput } from '../model/schema.js';
import { parseBlackBoxSpec } from '../simulate/blackbox/spec.js';
import type { ProjectStore } from '../store/ProjectStore.js';
import type { ApiParsedArgs, EngineEvent } from './contract.js';
import { requireModel, requireObserved } from './projectViews.js';
import { throttledProgress } from './handlers/progressThrottle.js';
import { ApiStateError, toWireError } from './wire.js';
import { randomSeed } from '../sample/random/randomSeed.js';

interface LearnManagerOptions {
  readonly executor: () => Promise<Executor>;
  readonly emit: (event: EngineEvent) => void;
  readonly log: (message: string) => void;
  /** Where the network trains (default: a compute thread, so the engine's event loop stays free). */
  readonly compute?: ComputeRunner;
}

/**
 * Training of neural-network summary statistics for a stored study, in the
 * background: the training set is simulated on the executor's workers, the
 * network trained with TensorFlow.js (native where installed, else WASM),
 * each epoch reported as an event, and the result stored in the project as a
 * network that studies name with `{"kind": "neural-network", "network": id}`.
 * Training runs on a compute thread (engine/compute/thread), where
 * TensorFlow.js loads; this thread only coordinates and reports.
 */
export class LearnManager {
  private readonly active = new Map<number, AbortController>();
  private nextTask = 1;
  private readonly compute: ComputeRunner;
  private backendName: Promise<string> | undefined;

  constructor(private readonly options: LearnManagerOptions) {
    this.compute = options.compute ?? new ComputeThreads();
  }

  count(): number {
    return this.active.size;
  }

  cancel(taskId: number): boolean {
    const controller = this.active.get(taskId);
    controller?.abort();
    return controller !== undefined;
  }

  cancelAll(): void {
    for (const controller of this.active.values()) controller.abort();
  }

  /** The TensorFlow.js backend training uses (the same in every thread of this process: asked once). */
  backend(): Promise<string> {
    this.backendName ??= this.compute.run('learnBackend', {});
    this.backendName.catch(() => (this.backendName = undefined));
    return this.backendName;
  }

  start(store: ProjectStore, args: ApiParsedArgs<'learn.train'>): number {
    const record = store.getStudy(args.studyId);
    if (!record) throw new ApiStateError('NOT_FOUND', `no study ${args.studyId} in this project`, { studyId: args.studyId });
    if (record.modelId === null || record.observedId === null)
      throw new ApiStateError('STUDY_INCOMPLETE', `study ${args.studyId} has no model or observed data`);
    const study = parseStudy(record.config, record.source);
    const modelRecord = requireModel(store, record.modelId);
    const observedRecord = requireObserved(store, record.observedId);
    const observed = parseObservedCsv(observedRecord.source, { source: observedRecord.name, species: study.species ?? observedRecord.species ?? undefined });
    const simulator = modelRecord.format === 'simulator' ? parseBlackBoxSpec(JSON.parse(modelRecord.source)) : undefined;
    const seed = args.seed ?? study.seed ?? randomSeed();
    const taskId = this.nextTask++;
    const controller = new AbortController();
    this.active.set(taskId, controller);
    const task = `learn:${taskId}`;
    const name = args.name ?? `${record.name} ${args.architecture}`;
    void (async () => {
      try {
        const backend = await this.backend();
        this.options.emit({
          type: 'task.progress',
          task,
          completed: 0,
          total: args.train,
          message: `simulating ${args.train} training series (TensorFlow.js backend: ${backend})`,
        });
        const set = await simulateTrainingSet({
          model: modelRecord.parsed as ReactionNetworkInput,
          simulator,
          method: study.method,
          time: Array.from(observed.time),
          prior: study.prior,
          species: observed.speciesIds,
          n: args.train,
          seed,
          executor: await this.options.executor(),
          signal: controller.signal,
          onProgress: throttledProgress((completed, total) =>
            this.options.emit({ type: 'task.progress', task, completed, total, message: 'simulating the training set' }),
          ),
        });
        const architecture =
          args.architecture === 'cnn' && args.filters ? { architecture: 'cnn' as const, filters: args.filters } : { architecture: args.architecture };
        const options = {
          architecture,
          epochs: args.epochs,
          batchSize: args.batchSize,
          learningRate: args.learningRate,
          patience: args.patience,
          plateauPatience: Math.max(1, Math.floor(args.patience / 2)),
          validationSplit: args.validationSplit,
          seed,
        };
        const learned = await this.compute.run(
          'trainStatistics',
          { set, options },
          {
            signal: controller.signal,
            onProgress: (p) =>
              this.options.emit({
                type: 'learn.epoch',
                taskId,
                epoch: p.epoch,
                epochs: p.epochs,
                trainLoss: p.trainLoss,
                valLoss: p.valLoss,
                learningRate: p.learningRate,
                elapsedSeconds: p.elapsed,
                best: p.best,
              }),
            // The set is not used here after training: its big arrays move to the thread rather than being copied.
            transfer: [set.inputs.buffer as ArrayBuffer, set.targets.buffer as ArrayBuffer],
          },
        );
        const networkId = storeNetwork(store, name, learned);
        this.options.emit({ type: 'learn.finished', taskId, status: 'completed', networkId, backend, error: null });
      } catch (error) {
        const cancelled = controller.signal.aborted;
        const wire = cancelled ? null : toWireError(error);
        if (wire?.code === 'INTERNAL') this.options.log(`sciope engine: training ${taskId}: ${(error as Error)?.stack ?? String(error)}`);
        this.options.emit({ type: 'learn.finished', taskId, status: cancelled ? 'cancelled' : 'failed', networkId: null, backend: null, error: wire });
      } finally {
        this.active.delete(taskId);
      }
    })();
    return taskId;
  }
}
