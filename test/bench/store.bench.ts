/**
 * Project store: insert 100,000 particles (15 parameters, 50 summary
 * statistics, weight, distance) into a fresh .sciope file, as 10
 * generations of 10,000 (one transaction each, as runs write them); then
 * read them back, whole and streamed. Bar: the inserts take under 2 s.
 * Prints a table and writes test/bench/results/store.json.
 *
 * Run: npx tsx test/bench/store.bench.ts
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTable } from '../../engine/cli/output/finalStateSummary.js';
import type { Generation } from '../../engine/infer/types.js';
import { ProjectStore } from '../../engine/store/ProjectStore.js';
import { summarise } from './measure.js';

const PARTICLES = Number(process.env.BENCH_STORE_PARTICLES ?? 100_000);
const GENERATIONS = 10;
const D = 15;
const F = 50;
const REPETITIONS = 3;
const BAR_SECONDS = 2;

function generation(index: number, count: number): Generation {
  const random = () => Math.random() * 10;
  const weights = new Float64Array(count).fill(1 / count);
  return {
    index,
    epsilon: 1 / (index + 1),
    count,
    dimension: D,
    featureCount: F,
    simulations: 3 * count,
    acceptanceRate: 1 / 3,
    ess: count,
    particles: Float64Array.from({ length: count * D }, random),
    features: Float64Array.from({ length: count * F }, random),
    weights,
    distances: Float64Array.from({ length: count }, random),
    distance: { kind: 'adaptive', scales: Array.from({ length: F }, () => 1) },
  };
}

const perGeneration = PARTICLES / GENERATIONS;
const generations = Array.from({ length: GENERATIONS }, (_, g) => generation(g, perGeneration));
const dir = mkdtempSync(join(tmpdir(), 'sciope-store-bench-'));
const insert: number[] = [];
const load: number[] = [];
const stream: number[] = [];
let bytes = 0;
for (let r = 0; r < REPETITIONS; r++) {
  const path = join(dir, `bench-${r}.sciope`);
  const store = ProjectStore.open(path, { create: true });
  const studyId = store.addStudy({ name: 'bench', source: 'bench', config: {} });
  const runId = store.createRun({ studyId, algorithm: 'smcAbc', seed: 1, parameterNames: Array.from({ length: D }, (_, k) => `p${k}`) });
  let t = performance.now();
  for (const g of generations) store.addGeneration(runId, g);
  insert.push((performance.now() - t) / 1000);
  t = performance.now();
  const loaded = store.loadGenerations(runId);
  load.push((performance.now() - t) / 1000);
  if (loaded.reduce((s, g) => s + g.count, 0) !== PARTICLES) throw new Error('particles lost');
  t = performance.now();
  let n = 0;
  for (const p of store.iterateParticles(runId)) n += p.parameters.length > 0 ? 1 : 0;
  stream.push((performance.now() - t) / 1000);
  if (n !== PARTICLES) throw new Error('stream lost particles');
  store.close();
  bytes = statSync(path).size;
}
rmSync(dir, { recursive: true, force: true });

const rows = [
  { operation: `insert (${GENERATIONS} transactions)`, ...summarise(insert) },
  { operation: 'load every generation', ...summarise(load) },
  { operation: 'stream with iterateParticles()', ...summarise(stream) },
];
console.log(
  `Project store, ${PARTICLES.toLocaleString('en-US')} particles × (${D} parameters + ${F} statistics), ${REPETITIONS} repetitions, ${cpus()[0]?.model}\n`,
);
console.log(
  formatTable(
    ['operation', 'median s', 'min s', 'max s', 'particles/s'],
    rows.map((r) => [r.operation, r.median.toFixed(3), r.min.toFixed(3), r.max.toFixed(3), Math.round(PARTICLES / r.median).toLocaleString('en-US')]),
  ),
);
const pass = summarise(insert).median < BAR_SECONDS;
console.log(`\nfile size ${(bytes / 2 ** 20).toFixed(1)} MiB; bar: insert under ${BAR_SECONDS} s: ${pass ? 'PASS' : 'FAIL'}`);
const out = new URL('./results/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(
  new URL('store.json', out),
  JSON.stringify(
    {
      benchmark: 'store',
      date: new Date().toISOString(),
      particles: PARTICLES,
      parameters: D,
      statistics: F,
      generations: GENERATIONS,
      fileBytes: bytes,
      barSeconds: BAR_SECONDS,
      pass,
      rows,
    },
    null,
    2,
  ) + '\n',
);
console.log('written to test/bench/results/store.json');
if (!pass) process.exitCode = 1;
