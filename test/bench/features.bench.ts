/**
 * `npx tsx test/bench/features.bench.ts`: time-series feature extraction
 * against simulation time, one thread.
 *
 * Simulates 200 Vilar trajectories once (exact SSA, t = 0..200, 201 points,
 * 9 species), then times the feature sets over them: trajectories per
 * second, microseconds per trajectory, and the ratio to the SSA time per
 * trajectory (the bar: extraction under 10 % of simulation). Also measures
 * the spectrum methods for n = 201, the choice behind MagnitudeSpectrum.
 * Prints tables and writes test/bench/results/features.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { formatTable } from '../../engine/cli/output/finalStateSummary.js';
import { compileNetwork, getExample, validateModel } from '../../engine/model/index.js';
import { createSimulator, simulateEnsemble, uniformTimeGrid } from '../../engine/simulate/index.js';
import type { TrajectoryEnsemble } from '../../engine/simulate/types.js';
import { dftMagnitudes, MagnitudeSpectrum, twiddleFactors } from '../../engine/stats/features/index.js';
import { TimeSeriesFeatures, type FeatureSetName } from '../../engine/stats/index.js';
import { summarise } from './measure.js';

const TRAJECTORIES = Number(process.env.BENCH_TRAJECTORIES ?? 200);
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 7);

const network = compileNetwork(validateModel(getExample('vilar')));
const simulator = createSimulator(network, 'ssa');
const grid = uniformTimeGrid(200, 201);
simulateEnsemble(simulator, { runs: 3, seed: 99, grid }); // warm up the generated code
const started = performance.now();
const ensemble = simulateEnsemble(simulator, { runs: TRAJECTORIES, seed: 2026, grid });
const ssaMsPerTrajectory = (performance.now() - started) / TRAJECTORIES;

/** Each trajectory as its own one-run ensemble (views, made before timing): how a worker calls compute per trial. */
const block = ensemble.speciesIds.length * grid.length;
const singles: TrajectoryEnsemble[] = Array.from({ length: TRAJECTORIES }, (_, r) => ({
  ...ensemble,
  runs: 1,
  data: ensemble.data.subarray(r * block, (r + 1) * block),
}));

/** Median seconds of `work` over REPETITIONS timed calls after 2 warm-up calls. */
function time(work: () => void): { median: number; min: number; max: number } {
  for (let i = 0; i < 2; i++) work();
  const seconds: number[] = [];
  for (let r = 0; r < REPETITIONS; r++) {
    const t0 = process.hrtime.bigint();
    work();
    seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return summarise(seconds);
}

interface Row {
  case: string;
  features: number;
  trajectoriesPerSecond: number;
  microsecondsPerTrajectory: number;
  microsecondsMin: number;
  microsecondsMax: number;
  percentOfSsa: number;
}

const rows: Row[] = [];
const cases: Array<{ label: string; set: FeatureSetName; perTrial: boolean }> = [
  { label: 'efficient, one 200-run ensemble (headline)', set: 'efficient', perTrial: false },
  { label: 'efficient, 200 one-run ensembles', set: 'efficient', perTrial: true },
  { label: 'minimal, one 200-run ensemble', set: 'minimal', perTrial: false },
  { label: 'comprehensive, one 200-run ensemble', set: 'comprehensive', perTrial: false },
];
for (const c of cases) {
  const statistics = new TimeSeriesFeatures({ set: c.set });
  const out = new Float64Array(statistics.featureNames(ensemble.speciesIds, grid).length);
  const t = time(c.perTrial ? () => singles.forEach((e) => statistics.compute(e, out)) : () => statistics.compute(ensemble, out));
  const us = (t.median / TRAJECTORIES) * 1e6;
  rows.push({
    case: c.label,
    features: out.length,
    trajectoriesPerSecond: Math.round(TRAJECTORIES / t.median),
    microsecondsPerTrajectory: Number(us.toFixed(1)),
    microsecondsMin: Number(((t.min / TRAJECTORIES) * 1e6).toFixed(1)),
    microsecondsMax: Number(((t.max / TRAJECTORIES) * 1e6).toFixed(1)),
    percentOfSsa: Number(((us / 1000 / ssaMsPerTrajectory) * 100).toFixed(2)),
  });
}

// Spectrum methods on one species series of 201 points (every series of the ensemble, µs per series).
const n = grid.length;
const series = ensemble.runs * ensemble.speciesIds.length;
const spectrumRows: Array<{ method: string; microsecondsPerSeries: number }> = [];
const magnitudes = new Float64Array(n);
for (const method of ['fft', 'dft'] as const) {
  const plan = new MagnitudeSpectrum(n, method);
  const t = time(() => {
    for (let i = 0; i < series; i++) plan.compute(ensemble.data, i * n, magnitudes);
  });
  spectrumRows.push({ method: `full spectrum, ${plan.method}`, microsecondsPerSeries: Number(((t.median / series) * 1e6).toFixed(2)) });
}
const twiddles = twiddleFactors(n);
const t5 = time(() => {
  for (let i = 0; i < series; i++) dftMagnitudes(ensemble.data, i * n, n, 5, twiddles, magnitudes);
});
spectrumRows.push({ method: 'first 5 coefficients, plain DFT', microsecondsPerSeries: Number(((t5.median / series) * 1e6).toFixed(2)) });

console.log(`Feature extraction, one thread, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
console.log(`Vilar SSA: ${ssaMsPerTrajectory.toFixed(2)} ms per trajectory (${TRAJECTORIES} trajectories, 9 species x 201 points)\n`);
console.log(
  formatTable(
    ['case', 'features', 'traj/s', 'µs/traj (median)', 'min..max', '% of SSA'],
    rows.map((r) => [
      r.case,
      String(r.features),
      String(r.trajectoriesPerSecond),
      String(r.microsecondsPerTrajectory),
      `${r.microsecondsMin}..${r.microsecondsMax}`,
      `${r.percentOfSsa} %`,
    ]),
  ),
);
console.log(
  '\n' +
    formatTable(
      ['spectrum, n = 201', 'µs/series'],
      spectrumRows.map((r) => [r.method, String(r.microsecondsPerSeries)]),
    ),
);
const headline = rows[0];
console.log(`\nEfficient set: ${headline.microsecondsPerTrajectory} µs per trajectory, ${headline.percentOfSsa} % of SSA time (bar: 10 %).`);

const resultsDir = new URL('./results/', import.meta.url);
mkdirSync(resultsDir, { recursive: true });
const report = {
  benchmark: 'features',
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, platform: platform(), release: release(), node: process.version },
  trajectories: TRAJECTORIES,
  repetitions: REPETITIONS,
  ssaMsPerTrajectory: Number(ssaMsPerTrajectory.toFixed(3)),
  results: rows,
  spectrum: spectrumRows,
};
writeFileSync(new URL('features.json', resultsDir), JSON.stringify(report, null, 2) + '\n');
console.log('written to test/bench/results/features.json');
