import type { FlowEpoch } from '../infer/npe/trainFlow.js';
import type { ProjectStore, RunRecord } from '../store/ProjectStore.js';
import { finiteOrNull, readRunTraining, type TrainingRound } from '../store/runEstimators.js';
import type { EngineEvent, RunTraining, TrainingEpoch, TrainingRoundView } from './contract.js';

/** Training epochs are sent at most this often per run (and at each round's end): a smooth curve, cheap over IPC and WebSocket. */
const TRAINING_EVENT_INTERVAL_MS = 100;

/** npe()'s epoch limit when the study sets none (FlowTrainingOptions.maxEpochs). */
const DEFAULT_MAX_EPOCHS = 1000;

/** What a study's NPE algorithm plans: rounds and the epoch limit, for the chart's axes. */
export function plannedTraining(algorithm: unknown): { plannedRounds: number | null; maxEpochs: number | null } {
  const a = (algorithm ?? {}) as { kind?: unknown; rounds?: unknown; training?: { maxEpochs?: unknown } };
  if (a.kind !== 'npe') return { plannedRounds: null, maxEpochs: null };
  return {
    plannedRounds: typeof a.rounds === 'number' ? a.rounds : 1,
    maxEpochs: typeof a.training?.maxEpochs === 'number' ? a.training.maxEpochs : DEFAULT_MAX_EPOCHS,
  };
}

function roundView(r: TrainingRound): TrainingRoundView {
  return { round: r.round, simulations: r.simulations, trainLoss: r.trainLoss, validationLoss: r.validationLoss, bestEpoch: r.bestEpoch };
}

/** A run's training curves as stored with it (none for ABC runs and for NPE runs stopped before their first round ended). */
export function storedTraining(store: ProjectStore, run: RunRecord): RunTraining {
  const config = store.getStudy(run.studyId)?.config as { algorithm?: unknown } | undefined;
  return { runId: run.id, live: false, rounds: (readRunTraining(store, run.id) ?? []).map(roundView), ...plannedTraining(config?.algorithm) };
}

interface LiveRound {
  round: number;
  simulations: number | null;
  trainLoss: Array<number | null>;
  validationLoss: Array<number | null>;
  bestEpoch: number | null;
}

/**
 * The training curves of one NPE run while it runs: every epoch kept (so a
 * view opened mid-run gets the whole curve from `runs.training`) and sent
 * to the app as `run.training` events, batched and throttled.
 */
export class LiveTraining {
  private readonly rounds: LiveRound[] = [];
  private pending: TrainingEpoch[] = [];
  private pendingRound = 0;
  private lastSent = 0;

  constructor(
    private readonly runId: number,
    private readonly started: number,
    private readonly planned: { plannedRounds: number | null; maxEpochs: number | null },
    private readonly emit: (event: EngineEvent) => void,
  ) {}

  epoch(round: number, epoch: FlowEpoch): void {
    if (round !== this.pendingRound) this.flush();
    this.pendingRound = round;
    let current = this.rounds.find((r) => r.round === round);
    if (!current) {
      current = { round, simulations: null, trainLoss: [], validationLoss: [], bestEpoch: null };
      this.rounds.push(current);
    }
    const shown: TrainingEpoch = {
      epoch: epoch.epoch,
      trainLoss: finiteOrNull(epoch.trainLoss),
      validationLoss: finiteOrNull(epoch.validationLoss),
      best: epoch.best,
    };
    current.trainLoss.push(shown.trainLoss);
    current.validationLoss.push(shown.validationLoss);
    this.pending.push(shown);
    const now = performance.now();
    if (now - this.lastSent >= TRAINING_EVENT_INTERVAL_MS) this.flush();
  }

  /** A round ended: what is pending goes out, and the round gets its simulations and kept epoch from the estimator's record. */
  roundEnded(rounds: readonly { round: number; simulations: number; bestEpoch: number }[]): void {
    this.flush();
    for (const r of rounds) {
      const live = this.rounds.find((l) => l.round === r.round);
      if (live) {
        live.simulations = r.simulations;
        live.bestEpoch = r.bestEpoch;
      }
    }
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const epochs = this.pending;
    this.pending = [];
    this.lastSent = performance.now();
    this.emit({ type: 'run.training', runId: this.runId, round: this.pendingRound, epochs, elapsedSeconds: (this.lastSent - this.started) / 1000 });
  }

  view(): RunTraining {
    return {
      runId: this.runId,
      live: true,
      rounds: this.rounds.map((r) => ({ ...r, trainLoss: [...r.trainLoss], validationLoss: [...r.validationLoss] })),
      ...this.planned,
    };
  }
}
