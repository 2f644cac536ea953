/**
 * Exploration: UMAP of 10,000 points (ours and umap-js's, with their trustworthiness), PCA of 20,000 points, label
 * spreading over 20,000 points on a kNN-sparse graph (k = 10, gamma fixed
 * and tuned over the 13-point grid), all with 49 features generated from 3
 * latent parameters (features of a model lie near a manifold of the
 * parameters' dimension) plus noise. kNN lists are exact (blocked brute
 * force, shared by UMAP and the label-spreading graph). Prints a table and writes
 * test/bench/results/explore.json.
 *
 * Run: npx tsx test/bench/explore.bench.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { formatTable } from '../../engine/cli/output/finalStateSummary.js';
import { reduceDimension, standardiseColumns, toDenseMatrix } from '../../engine/learn/reduce/index.js';
import { propagateLabels } from '../../engine/learn/semiSupervised/index.js';
import { Xoshiro128 } from '../../engine/sample/random/Xoshiro128.js';
import { trustworthiness } from '../unit/learn/reduce/trustworthiness.js';
import { umapJsEmbed } from '../unit/learn/reduce/umapJsReference.js';

const F = 49;
const UMAP_POINTS = Number(process.env.BENCH_UMAP_POINTS ?? 10_000);
const PCA_POINTS = 20_000;
const SPREAD_POINTS = 20_000;

function features(n: number, seed: number): { rows: Float64Array[]; latent: Float64Array[] } {
  const rng = Xoshiro128.fromSeed(seed);
  const rows: Float64Array[] = [];
  const latent: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const z = Float64Array.of(rng.nextDouble(), rng.nextDouble(), rng.nextDouble());
    const row = new Float64Array(F);
    for (let k = 0; k < F; k++) row[k] = Math.sin((k + 1) * z[0]) + z[1] * Math.cos(k * z[2]) + 0.3 * z[k % 3] ** 2 + 0.02 * rng.nextNormal();
    rows.push(row);
    latent.push(z);
  }
  return { rows, latent };
}

const results: Array<{ task: string; points: number; seconds: number; cpuSeconds: number; detail: string }> = [];
// Wall and CPU time: on a shared machine the wall time also counts other processes' turns.
let lastCpu = 0;
const time = async <T>(work: () => Promise<T> | T): Promise<[T, number]> => {
  const t = performance.now();
  const c = process.cpuUsage();
  const value = await work();
  lastCpu = process.cpuUsage(c).user / 1e6;
  return [value, (performance.now() - t) / 1000];
};

{
  // Ours (typed arrays) and umap-js 1.4 (what the app used before) on the same data, same exact kNN lists and
  // epochs, in one run: ours, umap-js, ours again; the slower run of ours is reported and compared, so that
  // a quiet moment on a shared machine does not flatter the ratio. BENCH_UMAP_REFERENCE=0 skips umap-js (20-30 s).
  const { rows } = features(UMAP_POINTS, 1);
  const matrix = standardiseColumns(toDenseMatrix(rows)).matrix;
  const quality = (embedding: Float64Array) => `T(15) ${trustworthiness(matrix, embedding, 15, 1000).toFixed(4)} (1,000 sampled points)`;
  const ours: Array<{ seconds: number; cpuSeconds: number; embedding: Float64Array }> = [];
  const runOurs = async () => {
    const [r, seconds] = await time(() => reduceDimension(rows, { method: 'umap', seed: 1 }));
    ours.push({ seconds, cpuSeconds: lastCpu, embedding: r.embedding });
  };
  await runOurs();
  if (process.env.BENCH_UMAP_REFERENCE !== '0') {
    const [reference, seconds] = await time(() => umapJsEmbed(matrix, 1));
    results.push({
      task: `UMAP, umap-js 1.4 (${F} features, 15 neighbours, default epochs)`,
      points: UMAP_POINTS,
      seconds,
      cpuSeconds: lastCpu,
      detail: quality(reference),
    });
    await runOurs();
  }
  const slower = ours.reduce((a, b) => (b.seconds > a.seconds ? b : a));
  const before = results.find((r) => r.task.startsWith('UMAP, umap-js'));
  const ratio = before
    ? `, ${(before.seconds / slower.seconds).toFixed(1)}x faster than umap-js (CPU ${(before.cpuSeconds / slower.cpuSeconds).toFixed(1)}x)`
    : '';
  results.push({
    task: `UMAP, typed arrays (${F} features, 15 neighbours, default epochs)`,
    points: UMAP_POINTS,
    seconds: slower.seconds,
    cpuSeconds: slower.cpuSeconds,
    detail: `${quality(slower.embedding)}${ratio}; runs ${ours.map((o) => o.seconds.toFixed(2)).join(', ')} s`,
  });
}
{
  const { rows } = features(PCA_POINTS, 2);
  const [r, seconds] = await time(() => reduceDimension(rows, { method: 'pca' }));
  results.push({
    task: `PCA (${F} features, standardised)`,
    points: PCA_POINTS,
    seconds,
    cpuSeconds: lastCpu,
    detail: `explained ${r.explainedVariance!.map((v) => (100 * v).toFixed(1) + '%').join(' + ')}`,
  });
}
{
  const { rows, latent } = features(SPREAD_POINTS, 3);
  const truth = latent.map((z) => (z[0] + z[1] > 1 ? 1 : 0));
  const labels = new Int32Array(SPREAD_POINTS).fill(-1);
  for (let i = 0; i < 200; i++) labels[i * 100] = truth[i * 100];
  const accuracy = (hard: Int32Array) => hard.filter((h, i) => h === truth[i]).length / SPREAD_POINTS;
  const [fixed, s1] = await time(() => propagateLabels(rows, labels, { neighbours: 10, gamma: 1 }));
  results.push({
    task: 'label spreading, kNN graph k = 10, gamma fixed',
    points: SPREAD_POINTS,
    seconds: s1,
    cpuSeconds: lastCpu,
    detail: `${fixed.iterations} iterations, accuracy ${(100 * accuracy(fixed.hard)).toFixed(1)}% from 200 labels`,
  });
  const [tuned, s2] = await time(() => propagateLabels(rows, labels, { neighbours: 10, gamma: 'tune' }));
  results.push({
    task: 'label spreading, kNN graph k = 10, gamma tuned (13 values)',
    points: SPREAD_POINTS,
    seconds: s2,
    cpuSeconds: lastCpu,
    detail: `gamma ${tuned.gamma.toPrecision(3)}, accuracy ${(100 * accuracy(tuned.hard)).toFixed(1)}%`,
  });
}

console.log(`Exploration, ${cpus()[0]?.model}, Node ${process.version}\n`);
console.log(
  formatTable(
    ['task', 'points', 'seconds', 'CPU s', 'detail'],
    results.map((r) => [r.task, r.points.toLocaleString('en-US'), r.seconds.toFixed(2), r.cpuSeconds.toFixed(2), r.detail]),
  ),
);
const out = new URL('./results/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(
  new URL('explore.json', out),
  JSON.stringify({ benchmark: 'explore', date: new Date().toISOString(), features: F, rows: results }, null, 2) + '\n',
);
console.log('\nwritten to test/bench/results/explore.json');
