/**
 * Whole-process scaling of `sciope simulate`: `simulate vilar --runs N
 * --seed 5 -q` with `-w 1` (this thread) and `-w 2` (the worker pool), for
 * N = 400 and 1000, alternating the two so that a change in machine load
 * hits both alike; medians over BENCH_SCALING_REPS repetitions (default 3);
 * BENCH_SCALING_RUNS=400 runs one size only.
 * Each timed command is the bar's (no output file); one more run of each
 * with `-o file.csv` checks that both write the same bytes.
 * The bar (issue 15): -w 2 at least 1.7x faster than -w 1 at 400 runs,
 * 1.8x at 1000 runs, on a 2-core machine.
 * Prints a table and writes test/bench/results/simulateScaling.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTable } from '../../engine/cli/output/finalStateSummary.js';
import { summarise, type Timing } from './measure.js';

const REPS = Number(process.env.BENCH_SCALING_REPS ?? 3);
const RUNS = (process.env.BENCH_SCALING_RUNS ?? '400,1000').split(',').map(Number);
const BAR: Record<number, number> = { 400: 1.7, 1000: 1.8 };
const bin = new URL('../../bin/sciope.js', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'sciope-scaling-'));

function simulate(runs: number, workers: number, out?: string): number {
  const args = [bin, 'simulate', 'vilar', '--runs', String(runs), '--seed', '5', '-q', '-w', String(workers), ...(out ? ['-o', out] : [])];
  const started = performance.now();
  execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  return (performance.now() - started) / 1000;
}

interface Row {
  runs: number;
  one: Timing;
  two: Timing;
  speedUp: number;
  bar: number;
  identical: boolean;
  loadBefore: number;
  loadAfter: number;
}

const rows: Row[] = [];
try {
  for (const runs of RUNS) {
    const loadBefore = loadavg()[0];
    const one: number[] = [];
    const two: number[] = [];
    for (let r = 0; r < REPS; r++) {
      // Alternate which goes first, so neither always runs on a warmer (or busier) machine.
      if (r % 2 === 0) {
        one.push(simulate(runs, 1));
        two.push(simulate(runs, 2));
      } else {
        two.push(simulate(runs, 2));
        one.push(simulate(runs, 1));
      }
    }
    const files = [1, 2].map((w) => join(work, `vilar-${runs}-w${w}.csv`));
    simulate(runs, 1, files[0]);
    simulate(runs, 2, files[1]);
    const identical = readFileSync(files[0]).equals(readFileSync(files[1]));
    const [m1, m2] = [summarise(one), summarise(two)];
    rows.push({ runs, one: m1, two: m2, speedUp: m1.median / m2.median, bar: BAR[runs] ?? NaN, identical, loadBefore, loadAfter: loadavg()[0] });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const seconds = (t: Timing) => `${t.median.toFixed(2)} (${t.min.toFixed(2)}-${t.max.toFixed(2)})`;
console.log(`sciope simulate vilar --seed 5 -q, whole process, median of ${REPS}; ${cpus()[0]?.model}, ${availableParallelism()} cores\n`);
console.log(
  formatTable(
    ['runs', '-w 1 s', '-w 2 s', 'speed-up', 'bar', 'same CSV', 'load avg'],
    rows.map((r) => [
      String(r.runs),
      seconds(r.one),
      seconds(r.two),
      r.speedUp.toFixed(2),
      `${r.bar}`,
      r.identical ? 'yes' : 'NO',
      `${r.loadBefore.toFixed(1)}-${r.loadAfter.toFixed(1)}`,
    ]),
  ),
);
const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(
  new URL('simulateScaling.json', dir),
  JSON.stringify(
    { benchmark: 'simulateScaling', date: new Date().toISOString(), cores: availableParallelism(), cpu: cpus()[0]?.model, repetitions: REPS, rows },
    null,
    2,
  ) + '\n',
);
console.log('written to test/bench/results/simulateScaling.json');
if (rows.some((r) => !r.identical)) process.exitCode = 1;
