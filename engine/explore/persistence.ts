import type { ReactionNetworkInput } from '../model/schema.js';
import type { BatchOrigin } from './batchPoints.js';
import { ExplorationError } from './errors.js';
import { ExplorationSession, type ExplorationBatch, type SessionObserver } from './ExplorationSession.js';
import { parseSessionSpec, type SessionInput } from './sessionSpec.js';

/**
 * The part of ProjectStore (engine/store) a session is saved through,
 * declared structurally so engine/explore stays free of Node built-ins.
 * Batches go to the exploration_batches table (one row per batch, written
 * when the batch is simulated); the session's definition, class names and
 * batch ids go to the setting "exploration.<name>".
 */
export interface ExplorationStore {
  addExplorationBatch(batch: {
    name: string;
    count: number;
    dimension: number;
    featureCount: number;
    points: Float64Array;
    features?: Float64Array | null;
    trajectories?: Float64Array | null;
    labels?: Float64Array | null;
    predicted?: Float64Array | null;
    meta?: Record<string, unknown>;
  }): number;
  getExplorationBatch(id: number):
    | {
        count: number;
        dimension: number;
        featureCount: number;
        points: Float64Array;
        features: Float64Array | null;
        trajectories: Float64Array | null;
        labels: Float64Array | null;
        meta: Record<string, unknown>;
      }
    | undefined;
  updateExplorationLabels(id: number, labels: { labels?: Float64Array | null; predicted?: Float64Array | null }): void;
  getSetting<T = unknown>(key: string): T | undefined;
  setSetting(key: string, value: unknown): void;
  listSettings(): Record<string, unknown>;
}

interface StoredSession {
  readonly format: 'sciope-exploration-1';
  readonly source: string;
  readonly spec: SessionInput;
  readonly model: ReactionNetworkInput;
  readonly classNames: string[];
  readonly batchIds: number[];
}

const PREFIX = 'exploration.';
const settingKey = (name: string) => `${PREFIX}${name}`;

function batchLabels(session: ExplorationSession, batch: ExplorationBatch): Float64Array {
  const all = session.labelArray();
  // NaN = unlabelled, as the schema documents.
  return Float64Array.from(all.subarray(batch.first, batch.first + batch.count), (l) => (l >= 0 ? l : NaN));
}

function writeHeader(store: ExplorationStore, session: ExplorationSession): void {
  const stored: StoredSession = {
    format: 'sciope-exploration-1',
    source: session.config.source,
    spec: session.config.spec,
    model: session.model,
    classNames: [...session.classNames],
    batchIds: session.batches.map((b) => b.storedId!).filter((id) => id !== undefined),
  };
  store.setSetting(settingKey(session.config.name), stored);
}

function writeBatch(store: ExplorationStore, session: ExplorationSession, batch: ExplorationBatch): void {
  batch.storedId = store.addExplorationBatch({
    name: `${session.config.name} / batch ${batch.index}`,
    count: batch.count,
    dimension: session.space.dimension,
    featureCount: session.featureCount,
    points: batch.parameters,
    features: batch.features,
    trajectories: batch.trajectories,
    labels: batchLabels(session, batch),
    meta: {
      session: session.config.name,
      batch: batch.index,
      origin: batch.origin,
      parameterNames: session.space.names,
      featureNames: session.featureNames,
      trajectoryCount: batch.trajectoryCount,
    },
  });
}

/**
 * Keep `session` saved in `store`: unsaved batches are written now, later
 * batches as they are simulated, labels whenever they change.
 */
export function attachSessionStore(store: ExplorationStore, session: ExplorationSession): void {
  for (const batch of session.batches) if (batch.storedId === undefined) writeBatch(store, session, batch);
  const observer: SessionObserver = {
    batchAdded: (s, batch) => {
      writeBatch(store, s, batch);
      writeHeader(store, s);
    },
    labelsChanged: (s) => {
      for (const batch of s.batches) if (batch.storedId !== undefined) store.updateExplorationLabels(batch.storedId, { labels: batchLabels(s, batch) });
      writeHeader(store, s);
    },
  };
  session.observer = observer;
  observer.labelsChanged(session);
}

/** Names of the sessions saved in a project. */
export function listExplorationSessions(store: ExplorationStore): string[] {
  return Object.keys(store.listSettings())
    .filter((k) => k.startsWith(PREFIX))
    .map((k) => k.slice(PREFIX.length));
}

/** Rebuild a saved session (batches, features, labels) and keep it attached to the store. */
export function loadExplorationSession(store: ExplorationStore, name: string): ExplorationSession {
  const stored = store.getSetting<StoredSession>(settingKey(name));
  if (!stored || stored.format !== 'sciope-exploration-1') {
    throw new ExplorationError(
      'session',
      `no exploration session "${name}" in this project (sessions: ${listExplorationSessions(store).join(', ') || 'none'})`,
    );
  }
  const config = parseSessionSpec({ ...stored.spec, name, labels: undefined }, stored.source);
  const session = new ExplorationSession({ ...config, classes: stored.classNames }, stored.model);
  const labels: Record<number, number> = {};
  for (const id of stored.batchIds) {
    const row = store.getExplorationBatch(id);
    if (!row) throw new ExplorationError('session', `batch ${id} of session "${name}" is missing from the project`);
    const meta = row.meta as { origin?: BatchOrigin; trajectoryCount?: number };
    const restored = session.restoreBatch({
      origin: meta.origin ?? { kind: 'points' },
      count: row.count,
      unit: session.space.toUnit(row.points),
      parameters: row.points,
      features: row.features ?? new Float64Array(row.count * row.featureCount).fill(NaN),
      trajectories: row.trajectories,
      trajectoryCount: meta.trajectoryCount ?? 0,
      storedId: id,
    });
    row.labels?.forEach((l, i) => {
      if (!Number.isNaN(l)) labels[restored.first + i] = l;
    });
  }
  session.setLabels(labels, { silent: true });
  attachSessionStore(store, session);
  return session;
}
