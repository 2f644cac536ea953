import type { Executor } from '../compute/executor.js';
import { parseObservedCsv } from '../infer/observedData.js';
import { parseStudy } from '../infer/study.js';
import type { ReactionNetworkInput } from '../model/schema.js';
import { parseBlackBoxSpec } from '../simulate/blackbox/spec.js';
import type { ProjectStore } from '../store/ProjectStore.js';
import type { ApiParsedArgs, EngineEvent } from './contract.js';
import { requireModel, requireObserved } from './projectViews.js';
import { ApiStateError, toWireError } from './wire.js';
import { randomSeed } from '../sample/random/randomSeed.js';

interface LearnManagerOptions {
  readonly executor: () => Promise<Executor>;
  readonly emit: (event: EngineEvent) => void;
  readonly log: (message: string) => void;
}

/**
 * Training of neural-network summary statistics for a stored study, in the
 * background: the training set is simulated on the executor's workers, the
 * network trained with TensorFlow.js (native where installed, else WASM),
 * each epoch reported as an event, and the result stored in the project as a
 * network that studies name with `{"kind": "neural-network", "network": id}`.
 * TensorFlow.js loads on the first training only.
 */
export class LearnManager {
  private readonly active = new Map<number, AbortController>();
  private nextTask = 1;

  constructor(private readonly options: LearnManagerOptions) {}

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

  async backend(): Promise<string> {
    const { initLearnBackend } = await import('../learn/nn/index.js');
    return initLearnBackend();
  }

  start(store: ProjectStore, args: ApiParsedArgs<'learn.train'>): number {
    const record = store.getStudy(args.studyId);
    if (!record) throw new ApiStateError('NOT_FOUND', `no study ${args.studyId} in this project`, { studyId: args.studyId });
    if (record.modelId === null || record.observedId === null) throw new ApiStateError('STUDY_INCOMPLETE', `study ${args.studyId} has no model or observed data`);
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
        const nn = await import('../learn/nn/index.js');
        const backend = await nn.initLearnBackend();
        this.options.emit({ type: 'task.progress', task, completed: 0, total: args.train, message: `simulating ${args.train} training series (TensorFlow.js backend: ${backend})` });
        let last = 0;
        const set = await nn.simulateTrainingSet({
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
          onProgress: (completed, total) => {
            const now = performance.now();
            if (completed < total && now - last < 100) return;
            last = now;
            this.options.emit({ type: 'task.progress', task, completed, total, message: 'simulating the training set' });
          },
        });
        const architecture = args.architecture === 'cnn' && args.filters ? { architecture: 'cnn' as const, filters: args.filters } : { architecture: args.architecture };
        const learned = await nn.learnSummaryStatistics(set, {
          architecture,
          epochs: args.epochs,
          batchSize: args.batchSize,
          learningRate: args.learningRate,
          patience: args.patience,
          plateauPatience: Math.max(1, Math.floor(args.patience / 2)),
          validationSplit: args.validationSplit,
          seed,
          signal: controller.signal,
          onEpoch: (p) => this.options.emit({ type: 'learn.epoch', taskId, epoch: p.epoch, epochs: p.epochs, trainLoss: p.trainLoss, valLoss: p.valLoss, learningRate: p.learningRate, elapsedSeconds: p.elapsed, best: p.best }),
        });
        const networkId = nn.storeNetwork(store, name, learned);
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
