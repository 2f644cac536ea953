/**
 * End-to-end ABC trials per second on the Vilar study, one thread:
 * `npx tsx test/bench/abc.bench.ts`.
 *
 * A trial is what every ABC algorithm pays per proposal: simulate the model
 * (SSA, runsPerTrial trajectories), compute the study's summary statistics
 * (efficient time-series features of C, A, R) and the distance to the
 * observed statistics. Trials run through the InProcessExecutor exactly as
 * in an inference run, at parameters drawn from the study's prior and at the
 * true parameters; simulation and features are also timed apart, so the
 * share of feature extraction is visible. Prints a table and writes
 * test/bench/results/abc.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { InProcessExecutor } from '../../engine/compute/InProcessExecutor.js';
import { prepareJob } from '../../engine/compute/runTrial.js';
import type { SimulationJob, Trial } from '../../engine/compute/executor.js';
import { parseObservedCsv, parseStudy } from '../../engine/infer/index.js';
import { getExample } from '../../engine/model/index.js';
import { deriveStreamState, Xoshiro128 } from '../../engine/sample/index.js';
import { createDistance, createSummaryStatistics } from '../../engine/stats/index.js';
import { formatTable } from '../../engine/cli/output/finalStateSummary.js';

const TRIALS = Number(process.env.BENCH_ABC_TRIALS ?? 100);
const studyUrl = new URL('../../resources/studies/vilar/study.json', import.meta.url);
const study = parseStudy(JSON.parse(readFileSync(studyUrl, 'utf8')), 'resources/studies/vilar/study.json');
const observed = parseObservedCsv(readFileSync(new URL('observed.csv', studyUrl), 'utf8'), { species: study.species });
const model = getExample('vilar')!;
const statistics = createSummaryStatistics(study.summaries);
const observedFeatures = new Float64Array(statistics.featureNames(observed.speciesIds, observed.time).length);
statistics.compute(observed, observedFeatures);
const job: SimulationJob = {
  model,
  method: study.method,
  time: Array.from(observed.time),
  parameterIds: study.prior.names,
  runsPerTrial: study.runsPerTrial,
  statistics: study.summaries,
  returnTrajectories: false,
  seed: 7,
};

function trialsAt(kind: 'prior' | 'truth', n: number, offset: number): Trial[] {
  const truth = Float64Array.from(study.prior.names, (name) => study.truth![name]);
  return Array.from({ length: n }, (_, i) => ({
    index: i,
    parameters: kind === 'truth' ? truth : study.prior.sample(new Xoshiro128(deriveStreamState(11, i))),
    stream: [offset, i],
  }));
}

interface Row {
  case: string;
  trials: number;
  trialsPerSecond: number;
  msPerTrial: number;
  eventsPerTrial: number;
  simulateMsPerTrial: number;
  featuresMsPerTrial: number;
  featureShare: number;
}

async function measure(kind: 'prior' | 'truth'): Promise<Row> {
  const trials = trialsAt(kind, TRIALS, kind === 'prior' ? 1 : 2);
  const executor = new InProcessExecutor();
  const distance = createDistance(study.distance);
  distance.initialize?.({ features: [observedFeatures], observed: observedFeatures });
  await executor.map(job, trialsAt(kind, 3, 99)); // warm-up: compile the model and the feature code
  const started = performance.now();
  const results = await executor.map(job, trials);
  let sink = 0;
  for (const r of results) sink += distance.distance(r.features!, observedFeatures);
  const seconds = (performance.now() - started) / 1000;
  if (Number.isNaN(sink)) console.warn('NaN distance');
  // Simulation and feature extraction apart, on the same trials.
  const prepared = prepareJob({ ...job, statistics: null, returnTrajectories: true });
  const simStart = performance.now();
  const ensembles = trials.map((t) => prepared.run(t));
  const simSeconds = (performance.now() - simStart) / 1000;
  const out = new Float64Array(observedFeatures.length);
  const featStart = performance.now();
  for (const e of ensembles)
    statistics.compute(
      { speciesIds: prepared.simulator.speciesIds, time: prepared.grid, runs: job.runsPerTrial, data: e.trajectories!, events: e.events },
      out,
    );
  const featSeconds = (performance.now() - featStart) / 1000;
  const events = results.reduce((s, r) => s + r.events, 0);
  return {
    case: kind === 'prior' ? 'vilar study, prior draws' : 'vilar study, true parameters',
    trials: TRIALS,
    trialsPerSecond: Number((TRIALS / seconds).toFixed(1)),
    msPerTrial: Number(((seconds * 1000) / TRIALS).toFixed(2)),
    eventsPerTrial: Math.round(events / TRIALS),
    simulateMsPerTrial: Number(((simSeconds * 1000) / TRIALS).toFixed(2)),
    featuresMsPerTrial: Number(((featSeconds * 1000) / TRIALS).toFixed(3)),
    featureShare: Number((featSeconds / simSeconds).toFixed(4)),
  };
}

const rows = [await measure('prior'), await measure('truth')];
console.log(
  `ABC trials (simulate + ${observedFeatures.length} features + ${study.distance.kind} distance), one thread, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}\n`,
);
console.log(
  formatTable(
    ['case', 'trials', 'trials/s', 'ms/trial', 'events/trial', 'simulate ms', 'features ms', 'features/simulate'],
    rows.map((r) => [
      r.case,
      String(r.trials),
      String(r.trialsPerSecond),
      String(r.msPerTrial),
      String(r.eventsPerTrial),
      String(r.simulateMsPerTrial),
      String(r.featuresMsPerTrial),
      `${(r.featureShare * 100).toFixed(2)}%`,
    ]),
  ),
);
const resultsDir = new URL('./results/', import.meta.url);
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  new URL('abc.json', resultsDir),
  JSON.stringify(
    {
      benchmark: 'abc',
      date: new Date().toISOString(),
      machine: { cpu: cpus()[0]?.model, cores: cpus().length, platform: platform(), release: release(), node: process.version },
      study: 'resources/studies/vilar/study.json',
      summaries: study.summaries,
      distance: study.distance,
      features: observedFeatures.length,
      runsPerTrial: study.runsPerTrial,
      results: rows,
    },
    null,
    2,
  ) + '\n',
);
console.log('\nwritten to test/bench/results/abc.json');
