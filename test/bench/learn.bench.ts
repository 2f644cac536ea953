/**
 * Learned summary statistics: CNN training time per epoch on Vilar
 * trajectories (SSA, t 0..200, 401 points, species C, A, R as in Sciope's
 * Vilar examples; parameters drawn from resources/studies/vilar's prior),
 * with the TensorFlow.js backend available here. Two sizes: 10,000 series
 * with the default CNN (filters [32, 48, 64, 96], dense [100, 100, 100]),
 * and 2,000 series with filters [16, 32, 32], the configuration behind
 * DESIGN.md's "about 3 s per epoch" figure. The trajectories are simulated
 * once on every core and cached under the OS temp folder.
 * Prints a table and writes test/bench/results/learn.json.
 *
 * Run: npx tsx test/bench/learn.bench.ts
 * (BENCH_LEARN_N, BENCH_LEARN_EPOCHS, BENCH_LEARN_SMALL_EPOCHS override the sizes.)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkerPoolExecutor } from '../../engine/compute/pool/WorkerPoolExecutor.js';
import { formatTable } from '../../engine/cli/output/finalStateSummary.js';
import { initLearnBackend, tf } from '../../engine/learn/backend.js';
import { architectureGraph, type ArchitectureOptions } from '../../engine/learn/nn/architectures.js';
import { buildModel } from '../../engine/learn/nn/buildModel.js';
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
const SPECIES = ['C', 'A', 'R'];
const TIME = Array.from({ length: 401 }, (_, i) => i / 2);
const SEED = 2021;
const DESIGN_SECONDS = 3;

const study = JSON.parse(readFileSync(new URL('../../resources/studies/vilar/study.json', import.meta.url), 'utf8')) as { priors: Record<string, unknown> };
const prior = createIndependentPrior(study.priors, 'priors');

async function trainingSet(): Promise<{ set: TrainingSet; seconds: number; cached: boolean }> {
  const cache = join(tmpdir(), `sciope-learn-bench-vilar-${N}-${SEED}.json`);
  if (existsSync(cache)) {
    const raw = JSON.parse(readFileSync(cache, 'utf8')) as { inputs: string; targets: string; lower: number[]; upper: number[]; seconds: number };
    const floats = (b64: string) => new Float32Array(new Uint8Array(Buffer.from(b64, 'base64')).buffer);
    const set: TrainingSet = { species: SPECIES, parameters: prior.names, timePoints: TIME.length, size: N, inputs: floats(raw.inputs), targets: floats(raw.targets), lower: Float64Array.from(raw.lower), upper: Float64Array.from(raw.upper) };
    return { set, seconds: raw.seconds, cached: true };
  }
  const executor = new WorkerPoolExecutor({ workers: availableParallelism() });
  const started = performance.now();
  let shown = 0;
  try {
    const set = await simulateTrainingSet({
      model: getExample('vilar')!, time: TIME, prior, species: SPECIES, n: N, seed: SEED, executor,
      onProgress: (done, total) => {
        if (done - shown >= total / 10) {
          shown = done;
          process.stderr.write(`simulated ${done}/${total}\n`);
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const b64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
    writeFileSync(cache, JSON.stringify({ inputs: b64(set.inputs), targets: b64(set.targets), lower: Array.from(set.lower), upper: Array.from(set.upper), seconds }));
    return { set, seconds, cached: false };
  } finally {
    await executor.close();
  }
}

/** Seconds per epoch (every epoch; the first includes kernel warm-up). */
async function epochTimes(set: TrainingSet, size: number, architecture: ArchitectureOptions, epochs: number): Promise<number[]> {
  const inputs = set.inputs.subarray(0, size * set.timePoints * SPECIES.length);
  const normalisation = fitNormalisation(inputs, SPECIES.length, 'log1p');
  const graph = architectureGraph(set.parameters.length, architecture);
  const built = buildModel(graph, set.timePoints, SPECIES.length, 1);
  const x = tf.tensor3d(normalise(inputs, SPECIES.length, normalisation), [size, set.timePoints, SPECIES.length]);
  const y = tf.tensor2d(set.targets.subarray(0, size * set.parameters.length), [size, set.parameters.length]);
  const times: number[] = [];
  let last = 0;
  try {
    await trainModel(built.model, x, y, {
      epochs, batchSize: BATCH, validationSplit: 0, patience: epochs + 1, seed: 1,
      onEpoch: (p) => {
        times.push(p.elapsed - last);
        last = p.elapsed;
        process.stderr.write(`  ${size} series, epoch ${p.epoch}: ${times.at(-1)!.toFixed(1)} s, loss ${p.trainLoss.toFixed(4)}\n`);
      },
    });
  } finally {
    tf.dispose([x, y]);
    built.model.dispose();
  }
  return times;
}

const backend = await initLearnBackend();
const { set, seconds: simulationSeconds, cached } = await trainingSet();
console.error(`training set: ${N} Vilar trajectories × ${TIME.length} points × ${SPECIES.join(', ')} (${cached ? 'cached; simulated in' : 'simulated in'} ${simulationSeconds.toFixed(0)} s on ${availableParallelism()} workers); backend ${backend}`);
const large = await epochTimes(set, N, { architecture: 'cnn' }, EPOCHS);
const small = await epochTimes(set, SMALL_N, { architecture: 'cnn', filters: [16, 32, 32] }, SMALL_EPOCHS);
// The first epoch carries one-off kernel set-up; the steady-state figure is the median of the rest.
const steady = (t: number[]) => summarise(t.length > 1 ? t.slice(1) : t);
const rows = [
  { series: N, filters: '[32, 48, 64, 96]', dense: '[100, 100, 100]', first: large[0], ...steady(large) },
  { series: SMALL_N, filters: '[16, 32, 32]', dense: '[100, 100, 100]', first: small[0], ...steady(small) },
];
console.log(`CNN training, ${TIME.length} points × ${SPECIES.length} species, batch ${BATCH}, Adam, backend ${backend}, ${cpus()[0]?.model}\n`);
console.log(formatTable(['series', 'filters', 'dense', 'first epoch s', 'median s/epoch', 'min', 'max', 'ms/series'], rows.map((r) => [r.series.toLocaleString('en-US'), r.filters, r.dense, r.first.toFixed(1), r.median.toFixed(1), r.min.toFixed(1), r.max.toFixed(1), ((1000 * r.median) / r.series).toFixed(2)])));
console.log(`\nDESIGN.md: about ${DESIGN_SECONDS} s per epoch per 2,000 series with filters [16, 32, 32]; here ${rows[1].median.toFixed(1)} s`);
console.log(`training set simulated in ${simulationSeconds.toFixed(0)} s (${availableParallelism()} workers); load average at the end ${loadavg()[0].toFixed(1)} (other processes share these cores)`);
const out = new URL('./results/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(new URL('learn.json', out), JSON.stringify({ benchmark: 'learn', date: new Date().toISOString(), backend, cpu: cpus()[0]?.model, timePoints: TIME.length, species: SPECIES, batchSize: BATCH, simulationSeconds, loadAverage: loadavg(), designSecondsPer2000: DESIGN_SECONDS, rows: rows.map((r, i) => ({ ...r, epochs: i === 0 ? large : small })) }, null, 2) + '\n');
console.log('written to test/bench/results/learn.json');
