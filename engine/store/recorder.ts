import type { Posterior } from '../infer/Posterior.js';
import type { Generation } from '../infer/types.js';
import type { ProjectStore } from './ProjectStore.js';

/** Writes one run into a project as it is produced: hand `onGeneration` to the algorithm. */
export interface RunRecorder {
  readonly store: ProjectStore;
  readonly runId: number;
  readonly onGeneration: (generation: Generation) => void;
  /** Mark the run completed and close the project. */
  complete(posterior: Posterior): void;
  /** Mark the run cancelled (interrupted by the user) or failed, and close the project. */
  fail(error: unknown, cancelled: boolean): void;
}

/** A recorder writing further generations of an existing run. */
export function recorderFor(store: ProjectStore, runId: number, closeStore = true): RunRecorder {
  const finish = () => {
    if (closeStore) store.close();
  };
  return {
    store,
    runId,
    onGeneration: (generation) => store.addGeneration(runId, generation),
    complete(posterior) {
      try {
        store.completeRun(runId, { stopReason: posterior.stopReason, simulations: posterior.simulations, config: posterior.config });
      } finally {
        finish();
      }
    },
    fail(error, cancelled) {
      try {
        if (store.db.open) store.endRun(runId, cancelled ? 'cancelled' : 'failed', error instanceof Error ? error.message : String(error));
      } catch {
        // The run stays 'running' and is marked interrupted when the project is next opened.
      } finally {
        finish();
      }
    },
  };
}
