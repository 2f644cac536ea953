import { describe, expect, it } from 'vitest';
import type { SimulationJob, Trial, TrialResult } from '../../../engine/compute/executor.js';
import { InProcessExecutor } from '../../../engine/compute/InProcessExecutor.js';
import { TrialCosts } from '../../../engine/compute/pool/encodedJob.js';
import { WorkerPoolExecutor } from '../../../engine/compute/pool/WorkerPoolExecutor.js';
import { getExample } from '../../../engine/model/index.js';

/**
 * Concurrent `map` calls share one pool's threads, two batches queued on each
 * thread: aborting one run terminates threads that also hold batches of the
 * other, which must then run again without using up its attempts.
 */
const job: SimulationJob = {
  model: getExample('vilar')!,
  method: 'ssa',
  time: Array.from({ length: 51 }, (_, i) => i),
  parameterIds: [],
  runsPerTrial: 1,
  statistics: { kind: 'time-series-features', set: 'minimal' },
  returnTrajectories: false,
  seed: 99,
};
const trials = (n: number, stream: number): Trial[] =>
  Array.from({ length: n }, (_, i) => ({ index: i, parameters: new Float64Array(0), stream: [stream, i] }));

function bytes(results: readonly TrialResult[]): string {
  return results
    .map((r) => `${r.index}:${r.events}:${Buffer.from(r.features!.buffer, r.features!.byteOffset, r.features!.byteLength).toString('hex')}`)
    .join('|');
}

describe('WorkerPoolExecutor shared by concurrent runs', () => {
  it('finishes a run with identical results when another run on the same threads is aborted', async () => {
    // One attempt: a batch killed by the other run's abort must not count as a failure.
    const pool = new WorkerPoolExecutor({ workers: 2, maxAttempts: 1, batchSize: 1 });
    try {
      const kept = trials(12, 1);
      const reference = await new InProcessExecutor().map(job, kept);
      for (let round = 0; round < 3; round++) {
        // The survivor's batches go out first; once a few are back, each thread holds a batch of
        // each run (piscina hands them out in order of dispatch), and the other run is aborted.
        const controller = new AbortController();
        const survivor = pool.map(job, kept, { onProgress: (done) => done >= 2 + round && controller.abort(new Error('cancelled')) });
        const doomed = pool.map(job, trials(400, 2), { signal: controller.signal });
        await expect(doomed).rejects.toThrow('cancelled');
        expect(bytes(await survivor)).toBe(bytes(reference));
      }
    } finally {
      await pool.close();
    }
  });

  it('rejects a run in progress with an AbortError when the pool is closed', async () => {
    const pool = new WorkerPoolExecutor({ workers: 2 });
    const outcome = expect(pool.map(job, trials(400, 3))).rejects.toMatchObject({ name: 'AbortError', message: 'the worker pool was closed' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await pool.close();
    await outcome;
  });
});

describe('TrialCosts', () => {
  it('is unknown until measured, then an exponentially weighted mean (0.3 on the newest)', () => {
    const costs = new TrialCosts(2);
    expect(costs.msPerTrial('a')).toBeNaN();
    costs.record('a', 10);
    expect(costs.msPerTrial('a')).toBe(10);
    costs.record('a', 20);
    expect(costs.msPerTrial('a')).toBeCloseTo(13, 12);
  });

  it('keeps the most recently measured jobs only', () => {
    const costs = new TrialCosts(2);
    costs.record('a', 1);
    costs.record('b', 2);
    costs.record('a', 1);
    costs.record('c', 3);
    expect(costs.msPerTrial('b')).toBeNaN();
    expect(costs.msPerTrial('a')).toBe(1);
    expect(costs.msPerTrial('c')).toBe(3);
  });
});
