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
 *
 * Two ceilings are timed in the same rounds, because the machine's own
 * parallel efficiency moves from hour to hour on a shared host:
 * - two independent `sciope simulate -w 1` processes of N/2 runs each, side
 *   by side (no pool, no messages: what two V8 isolates reach here at best);
 * - the C reference (reference/vilarDirect.c): N runs in one process, and
 *   two processes of N/2 side by side (when a C compiler is installed).
 * Prints a table and writes test/bench/results/simulateScaling.json.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { formatTable } from '../../engine/cli/output/finalStateSummary.js';
import { summarise, type Timing } from './measure.js';
import { compileVilarReference } from './vilarReference.js';
import { ensureCliBundle } from './cliBundleState.js';

const REPS = Number(process.env.BENCH_SCALING_REPS ?? 3);
const RUNS = (process.env.BENCH_SCALING_RUNS ?? '400,1000').split(',').map(Number);
const BAR: Record<number, number> = { 400: 1.7, 1000: 1.8 };
const bin = new URL('../../bin/sciope.js', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'sciope-scaling-'));
const run = promisify(execFile);

const simulateArgs = (runs: number, workers: number, seed: number, out?: string) => [
  bin,
  'simulate',
  'vilar',
  '--runs',
  String(runs),
  '--seed',
  String(seed),
  '-q',
  '-w',
  String(workers),
  ...(out ? ['-o', out] : []),
];

function simulate(runs: number, workers: number, out?: string): number {
  const started = performance.now();
  execFileSync(process.execPath, simulateArgs(runs, workers, 5, out), { stdio: ['ignore', 'ignore', 'inherit'] });
  return (performance.now() - started) / 1000;
}

/** Wall seconds of commands started together and all finished. */
async function sideBySide(commands: ReadonlyArray<[string, string[]]>): Promise<number> {
  const started = performance.now();
  await Promise.all(commands.map(([file, args]) => run(file, args, { maxBuffer: 1 << 26 })));
  return (performance.now() - started) / 1000;
}

/** Two `-w 1` processes of half the runs each (seeds 5 and 6), side by side. */
const twoProcesses = (runs: number) =>
  sideBySide([
    [process.execPath, simulateArgs(Math.ceil(runs / 2), 1, 5)],
    [process.execPath, simulateArgs(Math.floor(runs / 2), 1, 6)],
  ]);

interface Row {
  runs: number;
  one: Timing;
  two: Timing;
  speedUp: number;
  bar: number;
  identical: boolean;
  /** Two independent -w 1 processes of runs/2 each: -w 1's median over theirs. */
  twoProcesses: Timing;
  twoProcessesSpeedUp: number;
  /** The C reference: one process of `runs`, and two of runs/2 side by side (null without a compiler). */
  reference: { one: Timing; two: Timing; speedUp: number } | null;
  loadBefore: number;
  loadAfter: number;
}

ensureCliBundle();
const reference = compileVilarReference();
if (!reference) console.log('no C compiler (gcc, cc, clang) found: the C reference columns are left out');
const rows: Row[] = [];
try {
  for (const runs of RUNS) {
    const loadBefore = loadavg()[0];
    const one: number[] = [];
    const two: number[] = [];
    const halves: number[] = [];
    const cOne: number[] = [];
    const cTwo: number[] = [];
    for (let r = 0; r < REPS; r++) {
      // Alternate which goes first, so neither always runs on a warmer (or busier) machine.
      if (r % 2 === 0) {
        one.push(simulate(runs, 1));
        two.push(simulate(runs, 2));
      } else {
        two.push(simulate(runs, 2));
        one.push(simulate(runs, 1));
      }
      halves.push(await twoProcesses(runs));
      if (reference) {
        cOne.push(await sideBySide([[reference, [String(runs), '5']]]));
        cTwo.push(
          await sideBySide([
            [reference, [String(Math.ceil(runs / 2)), '5']],
            [reference, [String(Math.floor(runs / 2)), '6']],
          ]),
        );
      }
    }
    const files = [1, 2].map((w) => join(work, `vilar-${runs}-w${w}.csv`));
    simulate(runs, 1, files[0]);
    simulate(runs, 2, files[1]);
    const identical = readFileSync(files[0]).equals(readFileSync(files[1]));
    const [m1, m2, mh] = [summarise(one), summarise(two), summarise(halves)];
    const c = reference ? { one: summarise(cOne), two: summarise(cTwo) } : null;
    rows.push({
      runs,
      one: m1,
      two: m2,
      speedUp: m1.median / m2.median,
      bar: BAR[runs] ?? NaN,
      identical,
      twoProcesses: mh,
      twoProcessesSpeedUp: m1.median / mh.median,
      reference: c ? { ...c, speedUp: c.one.median / c.two.median } : null,
      loadBefore,
      loadAfter: loadavg()[0],
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const seconds = (t: Timing) => `${t.median.toFixed(2)} (${t.min.toFixed(2)}-${t.max.toFixed(2)})`;
console.log(`sciope simulate vilar --seed 5 -q, whole process, median of ${REPS}; ${cpus()[0]?.model}, ${availableParallelism()} cores\n`);
console.log(
  formatTable(
    ['runs', '-w 1 s', '-w 2 s', 'speed-up', 'bar', 'same CSV', '2 processes s', 'their speed-up', 'C: 1 / 2 processes s', 'C speed-up', 'load avg'],
    rows.map((r) => [
      String(r.runs),
      seconds(r.one),
      seconds(r.two),
      r.speedUp.toFixed(2),
      `${r.bar}`,
      r.identical ? 'yes' : 'NO',
      seconds(r.twoProcesses),
      r.twoProcessesSpeedUp.toFixed(2),
      r.reference ? `${r.reference.one.median.toFixed(2)} / ${r.reference.two.median.toFixed(2)}` : '-',
      r.reference ? r.reference.speedUp.toFixed(2) : '-',
      `${r.loadBefore.toFixed(1)}-${r.loadAfter.toFixed(1)}`,
    ]),
  ),
);
console.log(
  '\n"2 processes": two independent `simulate -w 1` processes of half the runs each, side by side; their speed-up is -w 1\'s time over theirs.' +
    '\n"C": reference/vilarDirect.c, the same runs in one process and in two side by side.',
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
