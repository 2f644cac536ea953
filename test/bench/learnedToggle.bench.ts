/**
 * Learned statistics on the toggle-switch study (issue 16, item 4): does the
 * network beat the prior alone, and does SMC-ABC with it narrow the
 * posterior as the hand-made features do?
 *
 * 1. A training set of BENCH_TOGGLE_N (default 2,000) series drawn from the
 *    study's prior (SSA, the observed grid t = 0..50 by 0.5, species U, V),
 *    simulated on every core.
 * 2. The network `sciope learn --architecture dnn` trains with its defaults
 *    (BENCH_TOGGLE_ARCH=cnn for the CNN): validation RMSE per parameter
 *    against the prior alone (the training targets' mean), in [0, 1] units.
 * 3. SMC-ABC with the study's settings (200 particles, 8 generations, 10 runs
 *    per trial, seed 2020) twice: the study's hand-made statistics (efficient
 *    time-series features, adaptive distance) and the network's outputs
 *    (Euclidean). Posterior sd ÷ prior sd per parameter for each, and the
 *    simulations each used.
 *
 * Run: npx tsx test/bench/learnedToggle.bench.ts (a few minutes of CPU);
 * prints a table and writes test/bench/results/learnedToggle.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { WorkerPoolExecutor } from '../../engine/compute/pool/WorkerPoolExecutor.js';
import { formatTable } from '../../engine/cli/output/finalStateSummary.js';
import { parseObservedCsv, parseStudy, runStudy, type Study } from '../../engine/infer/index.js';
import { learnSummaryStatistics } from '../../engine/learn/nn/learnStatistics.js';
import { simulateTrainingSet } from '../../engine/learn/nn/trainingSet.js';
import { getExample } from '../../engine/model/index.js';

const N = Number(process.env.BENCH_TOGGLE_N ?? 2000);
const ARCHITECTURE = (process.env.BENCH_TOGGLE_ARCH ?? 'dnn') as 'dnn' | 'cnn' | 'pen';
const studyUrl = new URL('../../resources/studies/toggle-switch/study.json', import.meta.url);
const study = parseStudy(JSON.parse(readFileSync(studyUrl, 'utf8')), 'resources/studies/toggle-switch/study.json');
const observed = parseObservedCsv(readFileSync(new URL('observed.csv', studyUrl), 'utf8'), { species: study.species });
const model = getExample('toggle-switch')!;
const seed = study.seed ?? 2020;
const executor = new WorkerPoolExecutor({ workers: availableParallelism() });
const f3 = (v: number) => v.toFixed(3);

try {
  let started = performance.now();
  const set = await simulateTrainingSet({
    model,
    method: study.method,
    time: Array.from(observed.time),
    prior: study.prior,
    species: observed.speciesIds,
    n: N,
    seed,
    executor,
  });
  const simulationSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  // The CLI's defaults (sciope learn): 50 epochs, batch 64, Adam 1e-3, patience 10 (plateau halving after 5), 20% held out.
  const learned = await learnSummaryStatistics(set, {
    architecture: { architecture: ARCHITECTURE },
    epochs: 50,
    batchSize: 64,
    learningRate: 1e-3,
    patience: 10,
    plateauPatience: 5,
    validationSplit: 0.2,
    seed,
  });
  const trainingSeconds = (performance.now() - started) / 1000;
  const validation = learned.validation!;
  console.error(
    `trained ${ARCHITECTURE} on ${N} series in ${trainingSeconds.toFixed(0)} s: validation RMSE ${f3(validation.overallRmse)} vs prior alone ${f3(validation.overallPriorRmse)}${validation.warning ? `; warning: ${validation.warning}` : ''}`,
  );

  const runs: Record<string, { study: Study; seconds: number; simulations: number; sdRatio: number[]; mean: number[] }> = {};
  const variants: Record<string, Study> = {
    'hand-made features': study,
    [`${ARCHITECTURE} network`]: { ...study, summaries: learned.spec, distance: { kind: 'euclidean' } },
  };
  for (const [name, variant] of Object.entries(variants)) {
    started = performance.now();
    const posterior = await runStudy(variant, model, observed, { executor, seed });
    const sd = posterior.sd();
    const priorSd = study.prior.names.map((_, k) => (study.prior.upper[k] - study.prior.lower[k]) / Math.sqrt(12));
    runs[name] = {
      study: variant,
      seconds: (performance.now() - started) / 1000,
      simulations: posterior.simulations,
      sdRatio: Array.from(sd, (s, k) => s / priorSd[k]),
      mean: Array.from(posterior.mean()),
    };
    console.error(`${name}: ${posterior.simulations} simulations in ${runs[name].seconds.toFixed(0)} s`);
  }

  const names = study.prior.names;
  console.log(
    `Toggle switch, ${N} training series (simulated in ${simulationSeconds.toFixed(0)} s), ${ARCHITECTURE.toUpperCase()} trained in ${trainingSeconds.toFixed(0)} s (best epoch ${learned.history.bestEpoch} of ${learned.history.trainLoss.length}), backend ${learned.backend}\n`,
  );
  console.log(
    formatTable(
      [
        'parameter',
        'validation RMSE',
        'prior alone',
        ...Object.keys(runs).map((r) => `sd ratio, ${r}`),
        'truth',
        ...Object.keys(runs).map((r) => `mean, ${r}`),
      ],
      names.map((p, k) => [
        p,
        f3(validation.rmse[k]),
        f3(validation.priorRmse[k]),
        ...Object.values(runs).map((r) => f3(r.sdRatio[k])),
        String(study.truth?.[p] ?? ''),
        ...Object.values(runs).map((r) => f3(r.mean[k])),
      ]),
    ),
  );
  console.log(
    `\noverall validation RMSE ${f3(validation.overallRmse)} vs prior alone ${f3(validation.overallPriorRmse)} (ratio ${f3(validation.overallRmse / validation.overallPriorRmse)})${validation.warning ? `\nwarning: ${validation.warning}` : ''}`,
  );
  console.log(
    `simulations: ${Object.entries(runs)
      .map(([r, v]) => `${r} ${v.simulations}`)
      .join(', ')}; load average ${loadavg()[0].toFixed(1)}`,
  );
  const out = new URL('./results/', import.meta.url);
  mkdirSync(out, { recursive: true });
  writeFileSync(
    new URL('learnedToggle.json', out),
    JSON.stringify(
      {
        benchmark: 'learnedToggle',
        date: new Date().toISOString(),
        cpu: cpus()[0]?.model,
        backend: learned.backend,
        trainingSize: N,
        architecture: ARCHITECTURE,
        simulationSeconds,
        trainingSeconds,
        bestEpoch: learned.history.bestEpoch,
        epochs: learned.history.trainLoss.length,
        validation,
        abc: Object.fromEntries(
          Object.entries(runs).map(([r, v]) => [
            r,
            {
              simulations: v.simulations,
              seconds: v.seconds,
              sdRatio: Object.fromEntries(names.map((p, k) => [p, v.sdRatio[k]])),
              mean: Object.fromEntries(names.map((p, k) => [p, v.mean[k]])),
            },
          ]),
        ),
        loadAverage: loadavg(),
      },
      null,
      2,
    ) + '\n',
  );
  console.log('written to test/bench/results/learnedToggle.json');
} finally {
  await executor.close();
}
