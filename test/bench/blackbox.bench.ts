/**
 * Black-box simulator overhead: per-simulation cost of the command protocol
 * (JSON lines over pipes + the synchronous bridge of CommandSimulator) with
 * trivial echo simulators returning 3 species x 101 points, next to an
 * asynchronous pipe round trip with no bridge (the floor for any design over
 * the same pipes) and a trivial JS module simulator. Bar: < 0.2 ms per
 * simulation on loopback. Prints a table and writes
 * test/bench/results/blackbox.json.
 *
 *   npx tsx test/bench/blackbox.bench.ts   (BENCH_BLACKBOX_SIMS=N per repetition)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { formatTable } from '../../engine/cli/output/finalStateSummary.js';
import { CommandSimulator, ModuleSimulator } from '../../engine/simulate/blackbox/index.js';
import { summarise } from './measure.js';

const SIMS = Number(process.env.BENCH_BLACKBOX_SIMS ?? 3000);
const REPS = 7;
const BAR_MS = 0.2;
const resources = fileURLToPath(new URL('../../resources/simulators/', import.meta.url));
const species = ['A', 'B', 'C'];
// Integer times 0..100 (as Sciope's examples use), so the echoed series are integer-valued like SSA counts;
// one case repeats with times i / 10 (17-digit floats such as 0.30000000000000004) to show the cost of float text.
const grid = Float64Array.from({ length: 101 }, (_, i) => i);
const fractionalGrid = Float64Array.from({ length: 101 }, (_, i) => i * 0.1);
const parameters = [{ id: 'k', value: 1 }];

function timeSync(step: (i: number) => void): number[] {
  for (let i = 0; i < 500; i++) step(i);
  const samples: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const started = performance.now();
    for (let i = 0; i < SIMS; i++) step(i);
    samples.push((performance.now() - started) / SIMS);
  }
  return samples;
}

async function asyncPipeFloor(command: string[]): Promise<number[]> {
  const child = spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdout.setEncoding('utf8');
  let buffer = '';
  let waiting: ((line: string) => void) | null = null;
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      waiting?.(line);
    }
  });
  const next = () => new Promise<string>((resolve) => (waiting = resolve));
  await next();
  const timeJson = JSON.stringify(Array.from(grid));
  const once = async (i: number) => {
    const answer = next();
    child.stdin.write(`{"v":1,"id":${i},"parameters":{"k":1},"seed":${i},"time":${timeJson}}\n`);
    JSON.parse(await answer);
  };
  for (let i = 0; i < 500; i++) await once(i);
  const samples: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const started = performance.now();
    for (let i = 0; i < SIMS; i++) await once(i);
    samples.push((performance.now() - started) / SIMS);
  }
  child.kill();
  return samples;
}

async function commandSimulator(command: string[], times = grid): Promise<number[]> {
  const simulator = new CommandSimulator({ kind: 'command', command, parameters, species });
  const out = new Float64Array(3 * grid.length);
  const rng = Uint32Array.of(1, 2, 3, 4);
  const p = Float64Array.of(1);
  try {
    return timeSync(() => simulator.simulateInto(out, times, p, rng));
  } finally {
    await simulator.close();
  }
}

function moduleSimulator(): number[] {
  const simulator = new ModuleSimulator(({ time }) => ({ species, data: [time, time, time] }), { parameters, species });
  const out = new Float64Array(3 * grid.length);
  const rng = Uint32Array.of(1, 2, 3, 4);
  const p = Float64Array.of(1);
  return timeSync(() => simulator.simulateInto(out, grid, p, rng));
}

const node = [process.execPath, `${resources}echo.mjs`];
const binary = [process.execPath, `${resources}echo-binary.mjs`];
const python = ['python3', `${resources}echo.py`];
const cases: Array<{ name: string; role: string; samples: number[] }> = [
  { name: 'CommandSimulator, Node echo', role: 'protocol overhead (bar)', samples: await commandSimulator(node) },
  { name: 'CommandSimulator, Node echo, t = i/10', role: 'float text payload', samples: await commandSimulator(node, fractionalGrid) },
  { name: 'CommandSimulator, Node echo, data_f64', role: 'binary payload', samples: await commandSimulator(binary, fractionalGrid) },
  { name: 'CommandSimulator, Python echo', role: "protocol + Python's json", samples: await commandSimulator(python) },
  { name: 'async pipe round trip, Node echo', role: 'floor: no bridge', samples: await asyncPipeFloor(node) },
  { name: 'async pipe round trip, Python echo', role: 'floor: no bridge', samples: await asyncPipeFloor(python) },
  {
    name: 'async pipe round trip, 2-byte echo',
    role: 'floor: process wake-ups',
    samples: await asyncPipeFloor([
      process.execPath,
      '-e',
      'process.stdout.write(\'{"v":1,"hello":"sciope-simulator"}\\n\'); process.stdin.on(\'data\', () => process.stdout.write(\'{}\\n\'))',
    ]),
  },
  { name: 'ModuleSimulator, identity function', role: 'in-thread JS module', samples: moduleSimulator() },
];

const rows = cases.map((c) => {
  const t = summarise(c.samples);
  return { ...c, median: t.median, min: t.min, max: t.max };
});
const bar = rows[0].median < BAR_MS;
process.stdout.write(
  `Black-box simulators: ms per simulation, 3 species x 101 points, ${SIMS} simulations x ${REPS} repetitions (${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores)\n\n` +
    formatTable(
      ['case', 'measures', 'median ms', 'min ms', 'max ms'],
      rows.map((r) => [r.name, r.role, r.median.toFixed(4), r.min.toFixed(4), r.max.toFixed(4)]),
    ) +
    `\n\nbridge cost over the async floor (Node echo): ${(rows[0].median - rows[4].median).toFixed(4)} ms; bar < ${BAR_MS} ms: ${bar ? 'met' : 'NOT met'}\n`,
);
mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
writeFileSync(
  fileURLToPath(new URL('./results/blackbox.json', import.meta.url)),
  JSON.stringify(
    {
      benchmark: 'blackbox',
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model,
      cores: availableParallelism(),
      simulationsPerRepetition: SIMS,
      repetitions: REPS,
      shape: { species: 3, points: 101 },
      barMs: BAR_MS,
      barMet: bar,
      cases: rows.map(({ name, role, median, min, max, samples }) => ({ name, role, medianMs: median, minMs: min, maxMs: max, samplesMs: samples })),
    },
    null,
    2,
  ) + '\n',
);
