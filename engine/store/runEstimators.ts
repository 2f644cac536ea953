import { projectError } from './connection.js';
import type { ProjectStore } from './ProjectStore.js';

/** One round's training as stored and shown: losses per epoch (NaN stored as null), the epoch whose weights were kept. */
export interface TrainingRound {
  readonly round: number;
  readonly simulations: number;
  readonly trainLoss: ReadonlyArray<number | null>;
  readonly validationLoss: ReadonlyArray<number | null>;
  /** 1-based; 0 when no epoch improved on the start. */
  readonly bestEpoch: number;
  readonly seconds: number;
}

/** The estimator JSON's own rounds, reduced to what a loss chart needs (the weights stay out). */
interface EstimatorRound {
  readonly round: number;
  readonly simulations: number;
  readonly trainLoss: readonly number[];
  readonly validationLoss: readonly number[];
  readonly bestEpoch: number;
  readonly seconds: number;
}

/** A loss as stored and sent: JSON has no NaN or Infinity. */
export const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** The training curves of an estimator's rounds (NeuralPosteriorJSON.rounds). */
export function trainingRounds(rounds: readonly EstimatorRound[]): TrainingRound[] {
  return rounds.map((r) => ({
    round: r.round,
    simulations: r.simulations,
    trainLoss: r.trainLoss.map(finiteOrNull),
    validationLoss: r.validationLoss.map(finiteOrNull),
    bestEpoch: r.bestEpoch,
    seconds: r.seconds,
  }));
}

/** Project files from before the run_estimators table, opened read-only (so not migrated), have none. */
function hasTable(store: ProjectStore): boolean {
  return store.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'run_estimators'").get() !== undefined;
}

/**
 * Keep a run's trained estimator (replacing the one of its last round) and
 * its training curves. Written after every round, so a cancelled run keeps
 * the curves of the rounds it finished.
 */
export function saveRunEstimator(store: ProjectStore, runId: number, estimator: { kind: string; rounds: readonly EstimatorRound[] }): void {
  const training = JSON.stringify(trainingRounds(estimator.rounds));
  const text = JSON.stringify(estimator);
  store.transaction('storing the run estimator', () => {
    store.db
      .prepare(
        'INSERT INTO run_estimators (run_id, kind, estimator, training, updated_at) VALUES (?, ?, ?, ?, ?) ' +
          'ON CONFLICT (run_id) DO UPDATE SET kind = excluded.kind, estimator = excluded.estimator, training = excluded.training, updated_at = excluded.updated_at',
      )
      .run(runId, estimator.kind, text, training, new Date().toISOString());
  });
}

function read<T>(store: ProjectStore, doing: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw projectError(store.path, error, doing);
  }
}

/** A run's stored training curves, or null for a run without an estimator (every ABC run). */
export function readRunTraining(store: ProjectStore, runId: number): TrainingRound[] | null {
  return read(store, 'reading the run training curves', () => {
    if (!hasTable(store)) return null;
    const row = store.db.prepare('SELECT training FROM run_estimators WHERE run_id = ?').get(runId) as { training: string } | undefined;
    return row ? (JSON.parse(row.training) as TrainingRound[]) : null;
  });
}

/** A run's stored estimator JSON (NeuralPosteriorJSON for kind 'neuralPosterior'), or null. */
export function readRunEstimator(store: ProjectStore, runId: number): { kind: string; estimator: Record<string, unknown> } | null {
  return read(store, 'reading the run estimator', () => {
    if (!hasTable(store)) return null;
    const row = store.db.prepare('SELECT kind, estimator FROM run_estimators WHERE run_id = ?').get(runId) as { kind: string; estimator: string } | undefined;
    return row ? { kind: row.kind, estimator: JSON.parse(row.estimator) as Record<string, unknown> } : null;
  });
}
