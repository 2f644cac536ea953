/**
 * `npm run bench`: simulator throughput on one thread.
 *
 * Prints a table and writes test/bench/results/ssa.json. The headline is the
 * exact SSA on the Vilar oscillator (16 reactions, t = 0..200, 201 points);
 * the bar is 24 M events/s on one core of the build machine.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { compileNetwork, getExample, validateModel, type CompiledNetwork } from '../../engine/model/index.js';
import { deriveStreamState, Xoshiro128 } from '../../engine/sample/index.js';
import { createSimulator, uniformTimeGrid, type SimulationMethod } from '../../engine/simulate/index.js';
import { formatTable } from '../../engine/cli/output/finalStateSummary.js';
import { eventsPerSecond, summarise } from './measure.js';
import { naiveDirectMethod } from './naiveDirectMethod.js';

interface Case {
  label: string;
  example: string;
  method: SimulationMethod | 'naive';
}

const CASES: Case[] = [
  { label: 'vilar (headline)', example: 'vilar', method: 'ssa' },
  { label: 'vilar-sciope', example: 'vilar-sciope', method: 'ssa' },
  { label: 'michaelis-menten', example: 'michaelis-menten', method: 'ssa' },
  { label: 'lotka-volterra', example: 'lotka-volterra', method: 'ssa' },
  { label: 'toggle-switch', example: 'toggle-switch', method: 'ssa' },
  { label: 'vilar, naive JS direct method', example: 'vilar', method: 'naive' },
];

const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 7);
const TARGET_SECONDS_PER_REPETITION = 0.2;

function runner(network: CompiledNetwork, method: Case['method']) {
  const time = network.time!;
  const grid = uniformTimeGrid(time.end, time.points);
  const out = new Float64Array(grid.length * network.speciesIds.length);
  if (method === 'naive') {
    return (trajectory: number) => naiveDirectMethod(network, grid, out, new Xoshiro128(deriveStreamState(7, trajectory)));
  }
  const simulator = createSimulator(network, method);
  return (trajectory: number) => simulator.simulateInto(out, grid, network.parameterValues, deriveStreamState(7, trajectory));
}

const rows: Array<Record<string, string | number>> = [];
for (const c of CASES) {
  const network = compileNetwork(validateModel(getExample(c.example)));
  const one = runner(network, c.method);
  // Calibrate: enough trajectories per repetition to take ~0.2 s.
  const started = performance.now();
  one(1_000_000);
  const perTrajectory = (performance.now() - started) / 1000;
  const batch = Math.max(1, Math.min(10_000, Math.round(TARGET_SECONDS_PER_REPETITION / Math.max(perTrajectory, 1e-6))));
  let next = 0;
  const { rates, events, seconds } = eventsPerSecond(
    () => {
      let n = 0;
      for (let i = 0; i < batch; i++) n += one(next++);
      return n;
    },
    c.method === 'naive' ? 3 : REPETITIONS,
    2,
  );
  const trajectories = batch * (c.method === 'naive' ? 3 : REPETITIONS);
  const rate = summarise(rates);
  rows.push({
    case: c.label,
    method: c.method,
    reactions: network.reactions.length,
    eventsPerTrajectory: Math.round(events / trajectories),
    msPerTrajectory: Number(((seconds * 1000) / trajectories).toFixed(3)),
    mEventsPerSecond: Number((rate.median / 1e6).toFixed(2)),
    mEventsPerSecondMin: Number((rate.min / 1e6).toFixed(2)),
    mEventsPerSecondMax: Number((rate.max / 1e6).toFixed(2)),
    trajectories,
  });
}

const header = ['case', 'method', 'reactions', 'events/traj', 'ms/traj', 'M events/s (median)', 'min..max'];
console.log(`Simulator throughput, one thread, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}\n`);
console.log(
  formatTable(
    header,
    rows.map((r) => [
      String(r.case),
      String(r.method),
      String(r.reactions),
      String(r.eventsPerTrajectory),
      String(r.msPerTrajectory),
      String(r.mEventsPerSecond),
      `${r.mEventsPerSecondMin}..${r.mEventsPerSecondMax}`,
    ]),
  ),
);
const headline = rows[0];
console.log(`\nVilar SSA: ${headline.mEventsPerSecond} M events/s, ${headline.msPerTrajectory} ms per trajectory (bar: 24 M events/s).`);

const resultsDir = new URL('./results/', import.meta.url);
mkdirSync(resultsDir, { recursive: true });
const report = {
  benchmark: 'ssa',
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, platform: platform(), release: release(), node: process.version },
  repetitions: REPETITIONS,
  results: rows,
};
writeFileSync(new URL('ssa.json', resultsDir), JSON.stringify(report, null, 2) + '\n');
console.log(`written to test/bench/results/ssa.json`);
