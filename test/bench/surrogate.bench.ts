/**
 * Surrogates: Gaussian-process fit time (type-II ML with L-BFGS, default
 * restarts: 3 up to 300 points, 1 above, RBF with ARD) for n = 200 and 500 points in 5-D, and prediction
 * time (mean and variance) per 1,000 points. Prints a table and writes
 * test/bench/results/surrogate.json.
 *
 * Run: npx tsx test/bench/surrogate.bench.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { formatTable } from '../../engine/cli/output/finalStateSummary.js';
import { defaultRestarts, GaussianProcess } from '../../engine/learn/surrogate/index.js';
import { Xoshiro128 } from '../../engine/sample/random/index.js';
import { summarise } from './measure.js';

const D = 5;
const SIZES = [200, 500];
const REPETITIONS = Number(process.env.BENCH_SURROGATE_REPETITIONS ?? 3);
const PREDICT_POINTS = 1000;

/** A smooth 5-D test function (Friedman 1991, doi:10.1214/aos/1176347963) plus noise sd 0.1. */
function friedman(x: Float64Array, i: number): number {
  const o = i * D;
  return 10 * Math.sin(Math.PI * x[o] * x[o + 1]) + 20 * (x[o + 2] - 0.5) ** 2 + 10 * x[o + 3] + 5 * x[o + 4];
}

const rows: { operation: string; n: number; median: number; min: number; max: number; cpuMedian: number; iterations?: number }[] = [];
for (const n of SIZES) {
  const rng = Xoshiro128.fromSeed(n);
  const x = Float64Array.from({ length: n * D }, () => rng.nextDouble());
  const y = Float64Array.from({ length: n }, (_, i) => friedman(x, i) + 0.1 * rng.nextNormal());
  const test = Float64Array.from({ length: PREDICT_POINTS * D }, () => rng.nextDouble());
  const fit: number[] = [];
  const fitCpu: number[] = [];
  const predict: number[] = [];
  const predictCpu: number[] = [];
  let gp: GaussianProcess | undefined;
  for (let r = 0; r < REPETITIONS; r++) {
    // Wall and CPU time: on a shared machine the wall time also counts other processes' turns.
    let t = performance.now();
    let c = process.cpuUsage();
    gp = GaussianProcess.fit(x, y, { dimension: D, seed: r });
    fit.push((performance.now() - t) / 1000);
    fitCpu.push(process.cpuUsage(c).user / 1e6);
    t = performance.now();
    c = process.cpuUsage();
    gp.predict(test);
    predict.push((performance.now() - t) / 1000);
    predictCpu.push(process.cpuUsage(c).user / 1e6);
  }
  let se = 0;
  const p = gp!.predict(test);
  for (let i = 0; i < PREDICT_POINTS; i++) se += (p.mean[i] - friedman(test, i)) ** 2;
  rows.push({ operation: `fit (${1 + defaultRestarts(n)} starts), n = ${n}`, n, ...summarise(fit), cpuMedian: summarise(fitCpu).median });
  rows.push({
    operation: `predict ${PREDICT_POINTS.toLocaleString('en-US')} points, n = ${n}`,
    n,
    ...summarise(predict),
    cpuMedian: summarise(predictCpu).median,
  });
  console.log(
    `n = ${n}: test RMSE ${Math.sqrt(se / PREDICT_POINTS).toFixed(3)} (function sd ≈ 4.9), length scales ${gp!.hyperparameters.lengthScales.map((l) => l.toFixed(2)).join(', ')}`,
  );
}

console.log(`\nGaussian process (RBF, ARD), ${D}-D inputs, ${REPETITIONS} repetitions, ${cpus()[0]?.model}\n`);
console.log(
  formatTable(
    ['operation', 'median s', 'min s', 'max s', 'median CPU s'],
    rows.map((r) => [r.operation, r.median.toFixed(3), r.min.toFixed(3), r.max.toFixed(3), r.cpuMedian.toFixed(3)]),
  ),
);
const out = new URL('./results/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(
  new URL('surrogate.json', out),
  JSON.stringify(
    { benchmark: 'surrogate', date: new Date().toISOString(), dimension: D, repetitions: REPETITIONS, predictPoints: PREDICT_POINTS, rows },
    null,
    2,
  ) + '\n',
);
console.log('written to test/bench/results/surrogate.json');
