import { describe, expect, it } from 'vitest';
import type { SimulationJob, Trial } from '../../../engine/compute/executor.js';
import { WorkerPoolExecutor } from '../../../engine/compute/pool/WorkerPoolExecutor.js';
import { getExample } from '../../../engine/model/index.js';

/**
 * Aborting terminates the threads running a run's batches; a result a thread
 * posted just before is then unknown to piscina, which reports it as an
 * 'error' event. Unhandled, that event crashed the process (vitest fails the
 * file on any uncaught error), so abort many short batches mid-flight.
 */
const job: SimulationJob = {
  model: getExample('birth-death')!,
  method: 'ssa',
  time: Array.from({ length: 11 }, (_, i) => i),
  parameterIds: [],
  runsPerTrial: 1,
  statistics: { kind: 'time-series-features', set: 'minimal' },
  returnTrajectories: false,
  seed: 1,
};

describe('WorkerPoolExecutor abort', () => {
  it('survives results that arrive for batches it has aborted', async () => {
    const pool = new WorkerPoolExecutor({ workers: 2, batchSize: 50 });
    const trials: Trial[] = Array.from({ length: 200_000 }, (_, i) => ({ index: i, parameters: new Float64Array(0), stream: [i] }));
    try {
      for (let round = 0; round < 8; round++) {
        const controller = new AbortController();
        const running = pool.map(job, trials, {
          signal: controller.signal,
          onProgress: (completed) => {
            if (completed >= 500 + 300 * round) controller.abort();
          },
        });
        await expect(running).rejects.toThrow();
      }
      // Still usable afterwards.
      const results = await pool.map(job, trials.slice(0, 100));
      expect(results).toHaveLength(100);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await pool.close();
    }
  });
});
