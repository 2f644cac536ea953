/**
 * The CLI as a user runs it, whole process from spawn to exit (issue 15's bar:
 * `sciope --version` at most 0.3 s; `sciope simulate vilar --runs 200` within
 * 15% of a hand-written C direct method's time for the same 200 trajectories):
 * - `node bin/sciope.js --version` and `--help` beside `node -e 0` (Node's own start);
 * - `node bin/sciope.js simulate vilar --runs 200 --seed 1 -q` (default options)
 *   beside test/bench/reference/vilarDirect.c (gcc -O3 -march=native), whose
 *   mean event count per trajectory must match ours within 3% (the same model
 *   and time span, so the same work).
 * Repetitions alternate between the commands compared, so that a change in the
 * machine's load hits both; medians, of the wall time and (with GNU time) of
 * the CPU time, which a busy machine disturbs less. The CLI bundle (build/cliBundle.mjs) is
 * built first if bin/sciope.js would not run it (missing, or older than
 * engine/ or package-lock.json), as `npm run build` would.
 * Prints a table and writes test/bench/results/cli.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable } from '../../engine/cli/output/finalStateSummary.js';
import { summarise, type Timing } from './measure.js';
import { compileVilarReference } from './vilarReference.js';
import { cliBundleFresh, ensureCliBundle } from './cliBundleState.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const STARTS = Number(process.env.BENCH_CLI_STARTS ?? 15);
const SIMULATIONS = Number(process.env.BENCH_CLI_SIMULATIONS ?? 5);
const RUNS = 200;
const SEED = 1;
const EVENT_TOLERANCE = 0.03;

/** GNU time, where installed: the CPU seconds each process used, a figure that a busy machine disturbs less than the wall time. */
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Wall seconds from spawn to exit, and CPU seconds (user + system, NaN without GNU time); throws when the command fails. */
function timed(command: string, args: string[]): { seconds: number; cpu: number; stdout: string } {
  const [file, argv] = GNU_TIME ? [GNU_TIME, ['-f', 'cpu %U %S', command, ...args]] : [command, args];
  const started = process.hrtime.bigint();
  const result = spawnSync(file, argv, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr);
  return { seconds, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN, stdout: result.stdout };
}

/** `rounds` rounds, each running every command once in turn; wall and CPU seconds per command. */
function alternate(commands: Record<string, [string, string[]]>, rounds: number): { wall: Record<string, number[]>; cpu: Record<string, number[]> } {
  const wall: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, [command, args]] of Object.entries(commands)) {
      const t = timed(command, args);
      wall[name].push(t.seconds);
      cpu[name].push(t.cpu);
    }
  }
  return { wall, cpu };
}

const loadBefore = loadavg();
ensureCliBundle();
const sciope = (...args: string[]): [string, string[]] => [process.execPath, [join(root, 'bin/sciope.js'), ...args]];
const simulateArgs = ['simulate', 'vilar', '--runs', String(RUNS), '--seed', String(SEED)];

// One untimed run each: warms the file cache, and gives the event counts to compare.
const ours = /events: [\d,]+ \(([\d.]+) per trajectory\)/.exec(timed(...sciope(...simulateArgs)).stdout);
const reference = compileVilarReference();
if (!reference) console.log('no C compiler (gcc, cc, clang) found: the C reference is left out');
const referenceEvents = reference ? /mean_events ([\d.]+)/.exec(timed(reference, [String(RUNS), String(SEED)]).stdout) : null;

const starts = alternate({ version: sciope('--version'), help: sciope('--help'), node: [process.execPath, ['-e', '0']] }, STARTS);
const simulations = alternate(
  { simulate: sciope(...simulateArgs, '-q'), ...(reference ? { reference: [reference, [String(RUNS), String(SEED)]] as [string, string[]] } : {}) },
  SIMULATIONS,
);
const stayedFresh = cliBundleFresh();

const timing: Record<string, Timing> = Object.fromEntries(Object.entries({ ...starts.wall, ...simulations.wall }).map(([k, v]) => [k, summarise(v)]));
const cpuTiming: Record<string, Timing> = Object.fromEntries(Object.entries({ ...starts.cpu, ...simulations.cpu }).map(([k, v]) => [k, summarise(v)]));
const meanEvents = { sciope: ours ? Number(ours[1]) : NaN, reference: referenceEvents ? Number(referenceEvents[1]) : NaN };
const eventRatio = meanEvents.sciope / meanEvents.reference;
const rows: { command: string; key: string; versus?: string }[] = [
  { command: 'node -e 0', key: 'node' },
  { command: 'sciope --version', key: 'version', versus: 'node' },
  { command: 'sciope --help', key: 'help', versus: 'node' },
  { command: `vilarDirect (C, gcc -O3 -march=native) ${RUNS} runs`, key: 'reference' },
  { command: `sciope simulate vilar --runs ${RUNS} --seed ${SEED} -q`, key: 'simulate', versus: 'reference' },
];
const shown = rows.filter((r) => timing[r.key]);
console.log(`CLI whole-process times, medians of ${STARTS} starts and ${SIMULATIONS} simulations (alternating), ${cpus()[0]?.model}, ${cpus().length} cores`);
console.log(
  `load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} after\n`,
);
console.log(
  formatTable(
    ['command', 'median s', 'min s', 'max s', 'vs', 'CPU s', 'CPU vs'],
    shown.map((r) => {
      const [t, c] = [timing[r.key], cpuTiming[r.key]];
      const versus = r.versus && timing[r.versus] ? `${(t.median / timing[r.versus].median).toFixed(2)}x ${r.versus}` : '';
      const cpuVersus = r.versus && cpuTiming[r.versus] ? `${(c.median / cpuTiming[r.versus].median).toFixed(2)}x` : '';
      return [r.command, t.median.toFixed(3), t.min.toFixed(3), t.max.toFixed(3), versus, c.median.toFixed(2), cpuVersus];
    }),
    ['left', 'right', 'right', 'right', 'left', 'right', 'right'],
  ),
);
const speedOfReference = timing.reference ? timing.reference.median / timing.simulate.median : NaN;
console.log(`\nmean events per trajectory: sciope ${meanEvents.sciope.toFixed(0)}, C ${meanEvents.reference.toFixed(0)} (ratio ${eventRatio.toFixed(3)})`);
if (Math.abs(eventRatio - 1) > EVENT_TOLERANCE)
  console.log(`WARNING: the event counts differ by more than ${EVENT_TOLERANCE * 100}%: the two do not do the same work`);
console.log(`sciope simulate runs at ${speedOfReference.toFixed(2)} of the C reference's speed (bar: time within 15%, i.e. at least ${(1 / 1.15).toFixed(2)})`);
console.log(`sciope --version: ${timing.version.median.toFixed(3)} s (bar: at most 0.3 s)`);
if (!stayedFresh) console.log('WARNING: a file under engine/ changed during the run: later runs went through tsx, not the bundle');

const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(
  new URL('cli.json', dir),
  JSON.stringify(
    {
      benchmark: 'cli',
      date: new Date().toISOString(),
      cpu: cpus()[0]?.model,
      cores: cpus().length,
      loadBefore,
      loadAfter: loadavg(),
      bundleStayedFresh: stayedFresh,
      runs: RUNS,
      seed: SEED,
      timing,
      cpuTiming,
      samples: { ...starts.wall, ...simulations.wall },
      cpuSamples: { ...starts.cpu, ...simulations.cpu },
      meanEvents,
      eventRatio,
      speedOfReference,
    },
    null,
    2,
  ) + '\n',
);
console.log('written to test/bench/results/cli.json');
