import type { ComputeRunner } from '../../compute/thread/index.js';
import { loadExplorationSession, type ExplorationSession } from '../../explore/index.js';
import type { ProjectStore } from '../../store/ProjectStore.js';
import type { ExplorationView } from '../contract.js';
import { ApiStateError } from '../wire.js';

interface OpenSession {
  readonly session: ExplorationSession;
  /** The stored model the session was created from, when known (null: found by content, see modelIdOf). */
  readonly modelId: number | null;
}

/**
 * The exploration sessions of the open project in use, by name (loaded from
 * the project on first use), and the one step (a batch or an embedding) each
 * may be running, so that explore.cancel can stop it.
 */
export class ExplorationSessions {
  private readonly open = new Map<string, OpenSession>();
  private readonly working = new Map<string, AbortController>();

  constructor(private readonly compute: ComputeRunner) {}

  /** An open exploration session of `store` (loaded from the project on first use). */
  get(store: ProjectStore, name: string): ExplorationSession {
    let entry = this.open.get(name);
    if (!entry) {
      entry = { session: loadExplorationSession(store, name), modelId: null };
      entry.session.compute = this.compute;
      this.open.set(name, entry);
    }
    return entry.session;
  }

  /** A session just created from the stored model `modelId`. */
  add(name: string, session: ExplorationSession, modelId: number): void {
    session.compute = this.compute;
    this.open.set(name, { session, modelId });
  }

  /** Run one cancellable step (a batch or an embedding); one at a time per session. */
  async step<T>(name: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.working.has(name))
      throw new ApiStateError('BUSY', `the session "${name}" is already running a batch or an embedding; wait for it or cancel it`, { name });
    const controller = new AbortController();
    this.working.set(name, controller);
    try {
      return await work(controller.signal);
    } finally {
      this.working.delete(name);
    }
  }

  /** Cancel the step the session `name` is running; false when it runs none. */
  cancel(name: string): boolean {
    const controller = this.working.get(name);
    controller?.abort();
    return controller !== undefined;
  }

  cancelAll(): void {
    for (const controller of this.working.values()) controller.abort();
  }

  /** Forget the open sessions (the project changed). */
  clear(): void {
    this.open.clear();
  }

  /** The session `name` (opened before) as the app shows it. */
  view(store: ProjectStore, name: string): ExplorationView {
    const entry = this.open.get(name);
    if (!entry) throw new ApiStateError('NOT_FOUND', `no open exploration session "${name}"`, { name });
    const snapshot = entry.session.snapshot();
    return {
      name: snapshot.name,
      modelId: entry.modelId ?? modelIdOf(store, entry.session),
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
}

/** The stored model a reloaded session simulates (same JSON, the latest such), so the app can preview its points. */
function modelIdOf(store: ProjectStore, session: ExplorationSession): number | null {
  const wanted = JSON.stringify(session.model);
  const match = store
    .listModels()
    .reverse()
    .find((m) => JSON.stringify(store.getModel(m.id)?.parsed) === wanted);
  return match?.id ?? null;
}
