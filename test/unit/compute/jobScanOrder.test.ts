import { afterAll, describe, expect, it } from 'vitest';
import type { SimulationJob, Trial } from '../../../engine/compute/executor.js';
import { InProcessExecutor } from '../../../engine/compute/InProcessExecutor.js';
import { withScanOrder } from '../../../engine/compute/jobScanOrder.js';
import { WorkerPoolExecutor } from '../../../engine/compute/pool/WorkerPoolExecutor.js';
import { prepareJob } from '../../../engine/compute/runTrial.js';
import { compileNetwork } from '../../../engine/model/compile.js';
import { getExample, validateModel } from '../../../engine/model/index.js';
import { DirectMethod } from '../../../engine/simulate/ssa/DirectMethod.js';
import { SimulationSettingsError } from '../../../engine/errors/index.js';

/**
 * The pool's coordinating thread may compute an ssa job's reaction scan
 * order once (DirectMethod's pilot run) and ship it in the job, so that no
 * worker thread runs the pilot (issue 15). The order must be exactly the one
 * each thread would have computed: results stay bit-identical.
 */
const vilarJob = (method: SimulationJob['method'] = 'ssa'): SimulationJob => ({
  model: getExample('vilar')!,
  method,
  time: Array.from({ length: 21 }, (_, i) => i * 5),
  parameterIds: [],
  runsPerTrial: 1,
  statistics: null,
  returnTrajectories: true,
  seed: 11,
});
const trials: Trial[] = Array.from({ length: 6 }, (_, i) => ({ index: i, parameters: new Float64Array(0), stream: [i] }));

describe('withScanOrder', () => {
  it('adds the pilot run’s order to an ssa job, once per job object', () => {
    const job = vilarJob();
    const completed = withScanOrder(job);
    const pilot = new DirectMethod(compileNetwork(validateModel(job.model), 'ssa'));
    expect(completed.scanOrder).toEqual([...pilot.scanOrder]);
    // A real reordering (Vilar's reactions do not fire in model order), else the test shows nothing.
    expect(completed.scanOrder).not.toEqual([...pilot.scanOrder].sort((a, b) => a - b));
    expect(withScanOrder(job)).toBe(completed);
    expect(withScanOrder(completed)).toBe(completed);
  });

  it('leaves other methods, and a model the worker will reject, as they are', () => {
    const tau = vilarJob('tau');
    expect(withScanOrder(tau)).toBe(tau);
    const broken = {
      ...vilarJob(),
      model: { ...getExample('vilar')!, reactions: [{ id: 'r', reactants: { nope: 1 }, products: {}, rate: 'k' }] },
    } as SimulationJob;
    expect(withScanOrder(broken)).toBe(broken);
  });

  it('gives the same trajectories as the order each thread computes itself', () => {
    const job = vilarJob();
    const own = prepareJob(job);
    const shipped = prepareJob(withScanOrder(job));
    for (const trial of trials) expect(Array.from(shipped.run(trial).trajectories!)).toEqual(Array.from(own.run(trial).trajectories!));
  });

  it('refuses an order that is not a permutation of the reactions, naming the field', () => {
    const network = compileNetwork(validateModel(getExample('vilar')!), 'ssa');
    const n = network.reactions.length;
    for (const bad of [[0, 1], [...Array(n).keys()].map((j) => (j === 3 ? 2 : j)), [...Array(n).keys()].map((j) => j + 0.5)]) {
      expect(() => new DirectMethod(network, { scanOrder: bad })).toThrow(SimulationSettingsError);
      expect(() => new DirectMethod(network, { scanOrder: bad })).toThrow(/scanOrder: expected a permutation of the 16 reaction indices/);
    }
  });
});

describe('WorkerPoolExecutor with scanOrderHere', () => {
  const pool = new WorkerPoolExecutor({ workers: 2, scanOrderHere: true });
  afterAll(() => pool.close());

  it('returns exactly what the in-process executor returns', async () => {
    const job = vilarJob();
    const [pooled, here] = await Promise.all([pool.map(job, trials), new InProcessExecutor().map(job, trials)]);
    expect(pooled.map((r) => Array.from(r.trajectories!))).toEqual(here.map((r) => Array.from(r.trajectories!)));
  });
});
