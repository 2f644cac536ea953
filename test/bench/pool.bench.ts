/**
 * Local pool scaling: 1000 Vilar trial points (SSA, t 0..200, 201 points,
 * efficient feature set) on one worker thread and on one per core.
 * Prints a table and writes test/bench/results/pool.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import type { SimulationJob, Trial } from '../../engine/compute/executor.js';
import { WorkerPoolExecutor } from '../../engine/compute/pool/WorkerPoolExecutor.js';
import { formatTable } from '../../engine/cli/output/finalStateSummary.js';
import { getExample } from '../../engine/model/index.js';

const TRIALS = Number(process.env.BENCH_POOL_TRIALS ?? 1000);
const job: SimulationJob = {
  model: getExample('vilar')!,
  method: 'ssa',
  time: Array.from({ length: 201 }, (_, i) => i),
  parameterIds: [],
  runsPerTrial: 1,
  statistics: { kind: 'time-series-features', set: 'efficient' },
  returnTrajectories: false,
  seed: 11,
};
const trials: Trial[] = Array.from({ length: TRIALS }, (_, i) => ({ index: i, parameters: new Float64Array(0), stream: [0, i] }));

async function time(workers: number): Promise<number> {
  const pool = new WorkerPoolExecutor({ workers });
  try {
    await pool.map(job, trials.slice(0, 4 * workers)); // warm up: bundle, threads, JIT
    const started = performance.now();
    await pool.map(job, trials);
    return (performance.now() - started) / 1000;
  } finally {
    await pool.close();
  }
}

const cores = availableParallelism();
const one = await time(1);
const all = await time(cores);
const speedUp = one / all;
const rows = [
  { workers: 1, seconds: one, trialsPerSecond: TRIALS / one, speedUp: 1, efficiency: 1 },
  { workers: cores, seconds: all, trialsPerSecond: TRIALS / all, speedUp, efficiency: speedUp / cores },
];
console.log(`Local pool, ${TRIALS} Vilar trials with efficient features, ${cpus()[0]?.model}, ${cores} cores\n`);
console.log(
  formatTable(
    ['workers', 'seconds', 'trials/s', 'speed-up', 'efficiency'],
    rows.map((r) => [String(r.workers), r.seconds.toFixed(2), r.trialsPerSecond.toFixed(1), r.speedUp.toFixed(2), `${(r.efficiency * 100).toFixed(0)}%`]),
  ),
);
const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('pool.json', dir), JSON.stringify({ benchmark: 'pool', date: new Date().toISOString(), trials: TRIALS, cores, rows }, null, 2) + '\n');
console.log('written to test/bench/results/pool.json');
