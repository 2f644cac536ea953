import { valueSymbol } from 'piscina';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SimulationJob, Trial, TrialResult } from '../../../engine/compute/executor.js';
import { InProcessExecutor } from '../../../engine/compute/InProcessExecutor.js';
import { packTrials, unpackResults } from '../../../engine/compute/pool/batchCodec.js';
import { encodeJob } from '../../../engine/compute/pool/encodedJob.js';
import { isThreadFailure } from '../../../engine/compute/pool/threadFailure.js';
import * as runTrial from '../../../engine/compute/runTrial.js';
import * as preparedJob from '../../../engine/compute/preparedJob.js';
import { withValidatedModel } from '../../../engine/compute/pool/validatedJob.js';
import { getExample } from '../../../engine/model/index.js';

/**
 * A thread prepares (validates and compiles) a job once per job content, not
 * once per `map` call: the pool sends a key derived from the job's bytes and
 * the thread keeps the last few prepared jobs under it. The entry point runs
 * here in the test's thread, with preparation counted. The in-process
 * executor likewise compiles a job once for maps that run concurrently
 * (the chunks of a simulation in flight together).
 */
vi.mock('../../../engine/compute/runTrial.js', async (importOriginal) => {
  const actual = await importOriginal<typeof runTrial>();
  return { ...actual, prepareJobAsync: vi.fn(actual.prepareJobAsync) };
});
vi.mock('../../../engine/compute/preparedJob.js', async (importOriginal) => {
  const actual = await importOriginal<typeof preparedJob>();
  return { ...actual, prepareValidatedJob: vi.fn(actual.prepareValidatedJob) };
});
const { default: runBatch } = await import('../../../engine/compute/pool/threadWorker.js');
const prepareJobAsync = vi.mocked(runTrial.prepareJobAsync);
const prepareValidatedJob = vi.mocked(preparedJob.prepareValidatedJob);

const job: SimulationJob = {
  model: getExample('birth-death')!,
  method: 'ssa',
  time: Array.from({ length: 11 }, (_, i) => i),
  parameterIds: [],
  runsPerTrial: 1,
  statistics: { kind: 'time-series-features', set: 'minimal' },
  returnTrajectories: false,
  seed: 3,
};
const trials: Trial[] = Array.from({ length: 5 }, (_, i) => ({ index: i, parameters: new Float64Array(0), stream: [i] }));

async function runOn(someJob: SimulationJob, batch: readonly Trial[]): Promise<TrialResult[]> {
  // As the pool sends it: the model validated on the pool's thread.
  const { key, bytes } = encodeJob(withValidatedModel(someJob));
  const reply = await runBatch({ jobKey: key, jobBytes: bytes, trials: packTrials(batch) });
  if (isThreadFailure(reply)) throw new Error(reply.failed.message);
  return unpackResults((reply as Record<symbol, Float64Array>)[valueSymbol]).results;
}

const features = (results: readonly TrialResult[]) => results.map((r) => Array.from(r.features!));

describe('thread worker job cache', () => {
  beforeEach(() => {
    prepareValidatedJob.mockClear();
  });

  it('prepares equal jobs once, even as different objects, and returns the in-process results', async () => {
    const first = await runOn(job, trials.slice(0, 2));
    const second = await runOn({ ...job }, trials.slice(2));
    expect(prepareValidatedJob).toHaveBeenCalledTimes(1);
    expect(features([...first, ...second])).toEqual(features(await new InProcessExecutor().map(job, trials)));
  });

  it('prepares again for a job that differs, and keeps the last four', async () => {
    const seeds = [101, 102, 103, 104, 105];
    for (const seed of seeds) await runOn({ ...job, seed }, trials.slice(0, 1));
    expect(prepareValidatedJob).toHaveBeenCalledTimes(5);
    await runOn({ ...job, seed: 105 }, trials.slice(0, 1));
    await runOn({ ...job, seed: 102 }, trials.slice(0, 1));
    expect(prepareValidatedJob).toHaveBeenCalledTimes(5);
    await runOn({ ...job, seed: 101 }, trials.slice(0, 1));
    expect(prepareValidatedJob).toHaveBeenCalledTimes(6);
  });

  it('does not keep a job whose preparation failed: a retried batch prepares it again', async () => {
    // Valid for the pool, refused by the thread: a time grid that goes back.
    const broken: SimulationJob = { ...job, time: [0, 2, 1] };
    await expect(runOn(broken, trials.slice(0, 1))).rejects.toThrow();
    await expect(runOn(broken, trials.slice(0, 1))).rejects.toThrow();
    expect(prepareValidatedJob).toHaveBeenCalledTimes(2);
  });

  it('keys jobs by content: same key for equal jobs, another for any change', () => {
    expect(encodeJob({ ...job }).key).toBe(encodeJob({ ...job }).key);
    expect(encodeJob({ ...job, seed: 4 }).key).not.toBe(encodeJob(job).key);
    expect(encodeJob(job)).toBe(encodeJob(job));
  });
});

describe('in-process job preparation', () => {
  beforeEach(() => {
    prepareJobAsync.mockClear();
  });

  it('prepares a job once for concurrent maps of it, with the results of one map', async () => {
    const executor = new InProcessExecutor({ batchSize: 2 });
    const [a, b] = await Promise.all([executor.map(job, trials.slice(0, 3)), executor.map(job, trials.slice(3))]);
    expect(prepareJobAsync).toHaveBeenCalledTimes(1);
    expect(features([...a, ...b])).toEqual(features(await new InProcessExecutor().map(job, trials)));
  });
});
