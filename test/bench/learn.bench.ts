/**
 * Learned summary statistics: CNN training time per epoch on Vilar
 * trajectories (SSA, t 0..200, 401 points, species C, A, R as in Sciope's
 * Vilar examples; parameters drawn from resources/studies/vilar's prior),
 * with the TensorFlow.js backend available here. Two sizes: 10,000 series
 * with the default CNN (filters [32, 48, 64, 96], dense [100, 100, 100]),
 * and 2,000 series with filters [16, 32, 32], the configuration behind
 * DESIGN.md's "about 3 s per epoch" figure. The trajectories are simulated
 * once on every core and cached under the OS temp folder.
 *
 * Each size trains two identical networks (same seed, same weights) side by
 * side: Conv1D as tf.layers.conv1d (`layers`: on WASM through the
 * replacement gradient kernels of engine/learn/wasmKernels) and as unfold +
 * matMul (`unfold`, the path before them). Epochs alternate between the two
 * (which goes first alternates too) so that load from other processes falls
 * on both; each epoch is one trainModel call (a fresh Adam state per epoch,
 * which does not change the work per epoch). Wall and CPU seconds of this
 * process are both reported: on a shared machine CPU time is the steadier.
 * Prints a table and writes test/bench/results/learn.json.
 *
 * Run: npx tsx test/bench/learn.bench.ts
 * (BENCH_LEARN_N, BENCH_LEARN_EPOCHS, BENCH_LEARN_SMALL_EPOCHS override the
 * sizes; BENCH_LEARN_BATCHES=128,256 adds rows for the layers path at other
 * batch sizes on the small set.)
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkerPoolExecutor } from '../../engine/compute/pool/WorkerPoolExecutor.js';
import { formatTable } from '../../engine/cli/output/finalStateSummary.js';
import { initLearnBackend, tf } from '../../engine/learn/backend.js';
import { architectureGraph, type ArchitectureOptions } from '../../engine/learn/nn/architectures.js';
import { buildModel, type ConvolutionPath } from '../../engine/learn/nn/buildModel.js';
import { fitNormalisation, normalise } from '../../engine/learn/nn/normalisation.js';
import { trainModel } from '../../engine/learn/nn/train.js';
import { simulateTrainingSet, type TrainingSet } from '../../engine/learn/nn/trainingSet.js';
import { getExample } from '../../engine/model/index.js';
import { createIndependentPrior } from '../../engine/sample/priors/registry.js';
import { summarise } from './measure.js';

const N = Number(process.env.BENCH_LEARN_N ?? 10_000);
const SMALL_N = Math.min(2_000, N);
const EPOCHS = Number(process.env.BENCH_LEARN_EPOCHS ?? 3);
const SMALL_EPOCHS = Number(process.env.BENCH_LEARN_SMALL_EPOCHS ?? 4);
const BATCH = 64;
const EXTRA_BATCHES = (process.env.BENCH_LEARN_BATCHES ?? '').split(',').filter(Boolean).map(Number);
const SPECIES = ['C', 'A', 'R'];
const TIME = Array.from({ length: 401 }, (_, i) => i / 2);
const SEED = 2021;
const DESIGN_SECONDS = 3;

const study = JSON.parse(readFileSync(new URL('../../resources/studies/vilar/study.json', import.meta.url), 'utf8')) as { priors: Record<string, unknown> };
const prior = createIndependentPrior(study.priors, 'priors');

/** A cached set of at least N series (the smallest such), or undefined: a larger set's first N series serve as well for timing. */
function cachedSet(): string | undefined {
  const pattern = new RegExp(`^sciope-learn-bench-vilar-(\\d+)-${SEED}\\.json$`);
  const sizes = readdirSync(tmpdir())
    .map((f) => Number(pattern.exec(f)?.[1]))
    .filter((n) => n >= N);
  return sizes.length ? join(tmpdir(), `sciope-learn-bench-vilar-${Math.min(...sizes)}-${SEED}.json`) : undefined;
}

async function trainingSet(): Promise<{ set: TrainingSet; seconds: number; cached: boolean }> {
  const cache = join(tmpdir(), `sciope-learn-bench-vilar-${N}-${SEED}.json`);
  const found = cachedSet();
  if (found) {
    const raw = JSON.parse(readFileSync(found, 'utf8')) as { inputs: string; targets: string; lower: number[]; upper: number[]; seconds: number };
    const floats = (b64: string) => new Float32Array(new Uint8Array(Buffer.from(b64, 'base64')).buffer);
    const inputs = floats(raw.inputs).subarray(0, N * TIME.length * SPECIES.length);
    const targets = floats(raw.targets).subarray(0, N * prior.names.length);
    const set: TrainingSet = {
      species: SPECIES,
      parameters: prior.names,
      timePoints: TIME.length,
      size: N,
      inputs,
      targets,
      lower: Float64Array.from(raw.lower),
      upper: Float64Array.from(raw.upper),
    };
    return { set, seconds: raw.seconds, cached: true };
  }
  const executor = new WorkerPoolExecutor({ workers: availableParallelism() });
  const started = performance.now();
  let shown = 0;
  try {
    const set = await simulateTrainingSet({
      model: getExample('vilar')!,
      time: TIME,
      prior,
      species: SPECIES,
      n: N,
      seed: SEED,
      executor,
      onProgress: (done, total) => {
        if (done - shown >= total / 10) {
          shown = done;
          process.stderr.write(`simulated ${done}/${total}\n`);
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const b64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
    writeFileSync(
      cache,
      JSON.stringify({ inputs: b64(set.inputs), targets: b64(set.targets), lower: Array.from(set.lower), upper: Array.from(set.upper), seconds }),
    );
    return { set, seconds, cached: false };
  } finally {
    await executor.close();
  }
}

interface EpochTimes {
  readonly wall: number[];
  readonly cpu: number[];
  readonly loss: number[];
}

const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** Train one network per path on the first `size` series, alternating epochs between them; seconds per epoch (the first includes kernel warm-up). */
async function sideBySide(
  set: TrainingSet,
  size: number,
  architecture: ArchitectureOptions,
  epochs: number,
  paths: readonly ConvolutionPath[],
  batchSize = BATCH,
): Promise<EpochTimes[]> {
  const inputs = set.inputs.subarray(0, size * set.timePoints * SPECIES.length);
  const normalisation = fitNormalisation(inputs, SPECIES.length, 'log1p');
  const graph = architectureGraph(set.parameters.length, architecture);
  const built = paths.map((convolution) => buildModel(graph, set.timePoints, SPECIES.length, 1, { convolution }));
  const x = tf.tensor3d(normalise(inputs, SPECIES.length, normalisation), [size, set.timePoints, SPECIES.length]);
  const y = tf.tensor2d(set.targets.subarray(0, size * set.parameters.length), [size, set.parameters.length]);
  const times: EpochTimes[] = paths.map(() => ({ wall: [], cpu: [], loss: [] }));
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = epoch % 2 ? paths.map((_, i) => i) : paths.map((_, i) => paths.length - 1 - i);
      for (const i of order) {
        const wall = performance.now();
        const cpu = cpuSeconds();
        const history = await trainModel(built[i].model, x, y, { epochs: 1, batchSize, validationSplit: 0, patience: 2, seed: epoch });
        times[i].wall.push((performance.now() - wall) / 1000);
        times[i].cpu.push(cpuSeconds() - cpu);
        times[i].loss.push(history.trainLoss[0]);
        process.stderr.write(
          `  ${size} series, ${paths[i]}, batch ${batchSize}, epoch ${epoch}: ${times[i].wall.at(-1)!.toFixed(1)} s (CPU ${times[i].cpu.at(-1)!.toFixed(1)} s), loss ${times[i].loss.at(-1)!.toFixed(4)}\n`,
        );
      }
    }
  } finally {
    tf.dispose([x, y]);
    for (const b of built) b.model.dispose();
  }
  return times;
}

const backend = await initLearnBackend();
const { set, seconds: simulationSeconds, cached } = await trainingSet();
console.error(
  `training set: ${N} Vilar trajectories × ${TIME.length} points × ${SPECIES.join(', ')} (${cached ? 'cached; simulated in' : 'simulated in'} ${simulationSeconds.toFixed(0)} s on ${availableParallelism()} workers); backend ${backend}`,
);
const PATHS = ['layers', 'unfold'] as const;
const cases = [
  { series: N, filters: [32, 48, 64, 96], epochs: EPOCHS },
  { series: SMALL_N, filters: [16, 32, 32], epochs: SMALL_EPOCHS },
];
// The first epoch carries one-off kernel set-up; the steady-state figure is the median of the rest.
const steady = (t: number[]) => summarise(t.length > 1 ? t.slice(1) : t);
const rows: Array<{
  series: number;
  filters: string;
  path: string;
  batch: number;
  first: number;
  wall: ReturnType<typeof summarise>;
  cpu: ReturnType<typeof summarise>;
  epochs: EpochTimes;
}> = [];
for (const c of cases) {
  const times = await sideBySide(set, c.series, { architecture: 'cnn', filters: c.filters }, c.epochs, PATHS);
  PATHS.forEach((path, i) =>
    rows.push({
      series: c.series,
      filters: `[${c.filters.join(', ')}]`,
      path,
      batch: BATCH,
      first: times[i].wall[0],
      wall: steady(times[i].wall),
      cpu: steady(times[i].cpu),
      epochs: times[i],
    }),
  );
}
for (const batch of EXTRA_BATCHES) {
  const [times] = await sideBySide(set, SMALL_N, { architecture: 'cnn', filters: [16, 32, 32] }, SMALL_EPOCHS, ['layers'], batch);
  rows.push({
    series: SMALL_N,
    filters: '[16, 32, 32]',
    path: 'layers',
    batch,
    first: times.wall[0],
    wall: steady(times.wall),
    cpu: steady(times.cpu),
    epochs: times,
  });
}
const unfoldOf = (r: (typeof rows)[number]) => rows.find((u) => u.path === 'unfold' && u.series === r.series && u.filters === r.filters && u.batch === r.batch);
const speedUp = (r: (typeof rows)[number], field: 'wall' | 'cpu') => {
  const u = unfoldOf(r);
  return u && r.path === 'layers' ? u[field].median / r[field].median : undefined;
};
console.log(`CNN training, ${TIME.length} points × ${SPECIES.length} species, dense [100, 100, 100], Adam, backend ${backend}, ${cpus()[0]?.model}\n`);
console.log(
  formatTable(
    ['series', 'filters', 'conv path', 'batch', 'first epoch s', 'median s/epoch', 'min', 'max', 'CPU s/epoch', 'unfold ÷ layers (wall, CPU)', 'ms/series'],
    rows.map((r) => {
      const wallRatio = speedUp(r, 'wall');
      const cpuRatio = speedUp(r, 'cpu');
      return [
        r.series.toLocaleString('en-US'),
        r.filters,
        r.path,
        String(r.batch),
        r.first.toFixed(1),
        r.wall.median.toFixed(1),
        r.wall.min.toFixed(1),
        r.wall.max.toFixed(1),
        r.cpu.median.toFixed(1),
        wallRatio === undefined || cpuRatio === undefined ? '' : `${wallRatio.toFixed(2)}, ${cpuRatio.toFixed(2)}`,
        ((1000 * r.wall.median) / r.series).toFixed(2),
      ];
    }),
  ),
);
const smallLayers = rows.find((r) => r.filters === '[16, 32, 32]' && r.path === 'layers' && r.batch === BATCH)!;
console.log(
  `\nDESIGN.md: about ${DESIGN_SECONDS} s per epoch per 2,000 series with filters [16, 32, 32]; here ${smallLayers.wall.median.toFixed(1)} s (layers path)`,
);
console.log(
  `training set simulated in ${simulationSeconds.toFixed(0)} s (${availableParallelism()} workers); load average at the end ${loadavg()[0].toFixed(1)} (other processes share these cores)`,
);
const out = new URL('./results/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(
  new URL('learn.json', out),
  JSON.stringify(
    {
      benchmark: 'learn',
      date: new Date().toISOString(),
      backend,
      cpu: cpus()[0]?.model,
      timePoints: TIME.length,
      species: SPECIES,
      batchSize: BATCH,
      simulationSeconds,
      loadAverage: loadavg(),
      designSecondsPer2000: DESIGN_SECONDS,
      rows: rows.map((r) => ({ ...r, speedUpWall: speedUp(r, 'wall'), speedUpCpu: speedUp(r, 'cpu') })),
    },
    null,
    2,
  ) + '\n',
);
console.log('written to test/bench/results/learn.json');
