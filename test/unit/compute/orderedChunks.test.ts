import { afterAll, describe, expect, it } from 'vitest';
import type { Executor, MapOptions, SimulationJob, Trial, TrialResult } from '../../../engine/compute/executor.js';
import { InProcessExecutor } from '../../../engine/compute/InProcessExecutor.js';
import { mapInOrderedChunks } from '../../../engine/compute/orderedChunks.js';
import { WorkerPoolExecutor } from '../../../engine/compute/pool/WorkerPoolExecutor.js';
import { getExample } from '../../../engine/model/index.js';

const job: SimulationJob = {
  model: getExample('birth-death')!,
  method: 'ssa',
  time: Array.from({ length: 11 }, (_, i) => i),
  parameterIds: [],
  runsPerTrial: 1,
  statistics: null,
  returnTrajectories: true,
  seed: 7,
};

const trials: Trial[] = Array.from({ length: 60 }, (_, i) => ({ index: i, parameters: new Float64Array(0), stream: [i] }));
const chunksOf = (size: number) => Array.from({ length: Math.ceil(trials.length / size) }, (_, k) => trials.slice(k * size, (k + 1) * size));
const reference = await new InProcessExecutor().map(job, trials);

function bytes(results: readonly TrialResult[]): string {
  return results
    .map((r) => `${r.index}:${r.events}:${Buffer.from(r.trajectories!.buffer, r.trajectories!.byteOffset, r.trajectories!.byteLength).toString('hex')}`)
    .join('|');
}

/** An executor whose maps resolve only when the test says so, recording what it was asked. */
class ManualExecutor implements Executor {
  readonly kind = 'manual';
  readonly concurrency = 1;
  readonly calls: Array<{ trials: readonly Trial[]; signal?: AbortSignal; resolve: () => void; reject: (error: unknown) => void }> = [];
  inFlight = 0;
  maxInFlight = 0;

  map(_job: SimulationJob, batch: readonly Trial[], options: MapOptions = {}): Promise<TrialResult[]> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise<TrialResult[]>((resolve, reject) => {
      let settled = false;
      const settle = () => {
        if (settled) return false;
        settled = true;
        this.inFlight--;
        return true;
      };
      const call = {
        trials: batch,
        signal: options.signal,
        resolve: () => {
          if (!settle()) return;
          options.onProgress?.(batch.length, batch.length);
          resolve(batch.map((t) => ({ index: t.index, features: null, trajectories: new Float64Array(1), events: 1 })));
        },
        reject: (error: unknown) => {
          if (settle()) reject(error);
        },
      };
      options.signal?.addEventListener('abort', () => call.reject(options.signal!.reason), { once: true });
      this.calls.push(call);
    });
  }

  async close(): Promise<void> {}
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe.each([
  ['in-process', () => new InProcessExecutor()],
  ['worker pool', () => new WorkerPoolExecutor({ workers: 2 })],
] as Array<[string, () => Executor]>)('mapInOrderedChunks on %s', (_name, make) => {
  const executor = make();
  afterAll(() => executor.close());

  it('consumes chunks in order with exactly the results of one map, and reports monotone progress', async () => {
    const consumed: TrialResult[] = [];
    const firsts: number[] = [];
    const progress: number[] = [];
    await mapInOrderedChunks(
      executor,
      job,
      chunksOf(7),
      (results, chunk) => {
        firsts.push(chunk[0].index);
        consumed.push(...[...results].sort((a, b) => a.index - b.index));
      },
      { onProgress: (done) => progress.push(done) },
    );
    expect(firsts).toEqual(chunksOf(7).map((c) => c[0].index));
    expect(bytes(consumed)).toBe(bytes(reference));
    expect(progress.at(-1)).toBe(trials.length);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });
});

describe('mapInOrderedChunks in flight', () => {
  it('keeps `depth` chunks on the executor, dispatching the next once one is consumed', async () => {
    const executor = new ManualExecutor();
    const order: number[] = [];
    const done = mapInOrderedChunks(executor, job, chunksOf(10), (_results, chunk) => order.push(chunk[0].index), { depth: 2 });
    await tick();
    expect(executor.calls.map((c) => c.trials[0].index)).toEqual([0, 10]);
    // The second chunk finishing first is held until the first is consumed.
    executor.calls[1].resolve();
    await tick();
    expect(order).toEqual([]);
    executor.calls[0].resolve();
    await tick();
    expect(order).toEqual([0, 10]);
    expect(executor.calls.map((c) => c.trials[0].index)).toEqual([0, 10, 20, 30]);
    for (let k = 2; k < 6; k++) {
      executor.calls[k].resolve();
      await tick();
    }
    await done;
    expect(order).toEqual([0, 10, 20, 30, 40, 50]);
    expect(executor.maxInFlight).toBe(2);
  });

  it('aborts the chunks in flight when consuming fails, and rejects with that error once they stopped', async () => {
    const executor = new ManualExecutor();
    const full = new Error('the disk is full');
    const done = mapInOrderedChunks(executor, job, chunksOf(10), () => {
      throw full;
    });
    await tick();
    executor.calls[0].resolve();
    await expect(done).rejects.toBe(full);
    expect(executor.calls[1].signal?.aborted).toBe(true);
    expect(executor.inFlight).toBe(0);
  });

  it('stops every chunk and rejects with the reason when the caller aborts', async () => {
    const executor = new ManualExecutor();
    const controller = new AbortController();
    const reason = new Error('interrupted');
    const done = mapInOrderedChunks(executor, job, chunksOf(10), () => undefined, { signal: controller.signal });
    await tick();
    controller.abort(reason);
    await expect(done).rejects.toBe(reason);
    expect(executor.calls.every((c) => c.signal?.aborted)).toBe(true);
    expect(executor.inFlight).toBe(0);
  });

  it('rejects a depth below 1', async () => {
    await expect(mapInOrderedChunks(new ManualExecutor(), job, chunksOf(10), () => undefined, { depth: 0 })).rejects.toThrow(
      'depth must be an integer >= 1, got 0',
    );
  });
});
