/**
 * `npx tsx test/bench/npe.bench.ts [--tasks gaussian_linear,two_moons,sir] [--observations 1-2]
 *   [--budgets 10000] [--algorithms npe,tsnpe,snpe] [--tsnpe-rounds 2] [--snpe-rounds 10] [--c2st-folds 5] [--c2st-evaluate-folds 5] [--out file]`
 *
 * NPE, TSNPE and SNPE-C (engine/infer/npe) on sbibm tasks, scored by C2ST against
 * sbibm's reference posteriors with the accuracy benchmark's machinery
 * (test/bench/accuracy: the tasks as black-box module simulators run by the
 * in-process executor, the study path, C2ST to sbibm's protocol), next to
 * sbibm's published NPE / SNPE numbers. NPE_BENCH_SAMPLES_DIR=folder keeps
 * each run's 10,000 posterior samples as CSV. The algorithms are exported so
 * bench:accuracy can list them too.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InProcessExecutor } from '../../engine/compute/InProcessExecutor.js';
import { npe, type NpeOptions } from '../../engine/infer/npe/index.js';
import { parseStudy, withBlackBoxSimulator } from '../../engine/infer/study.js';
import { blackBoxModel } from '../../engine/simulate/blackbox/spec.js';
import { markApprovedInProcess } from '../../engine/trust/approvedInProcess.js';
import { describeSimulator } from '../../engine/trust/describeSimulator.js';
import { observedData, taskStudyJson, type AccuracyAlgorithm, type AlgorithmRunContext } from './accuracy/algorithms.js';
import { formatTable, runAccuracyBenchmark, summarise } from './accuracy/run.js';
import { accuracyTask } from './accuracy/tasks/index.js';

/** NPE (rounds = 1) or SNPE-C (rounds > 1, the budget split evenly) with the engine's defaults: a 5-block MAF of 50 units. */
export function npeAlgorithm(options: {
  id: string;
  label: string;
  rounds: number;
  compareWith: 'NPE' | 'SNPE';
  training?: NpeOptions['training'];
  flow?: NpeOptions['flow'];
  sequential?: NpeOptions['sequential'];
}): AccuracyAlgorithm {
  return {
    id: options.id,
    label: options.label,
    compareWith: options.compareWith,
    run: async (context: AlgorithmRunContext) => {
      const source = join(dirname(context.task.modulePath), `${context.task.name}-observation-${context.observation}.json`);
      const study = parseStudy(taskStudyJson(context, { kind: 'abcRejection', budget: context.budget }), source);
      markApprovedInProcess(describeSimulator(study.simulator!).fingerprint);
      const executor = withBlackBoxSimulator(new InProcessExecutor(), study.simulator!);
      let lastEpoch = 0;
      try {
        const posterior = await npe({
          prior: study.prior,
          simulation: { model: blackBoxModel(study.simulator!), time: [0] },
          summaries: study.summaries,
          observed: observedData(context.task, context.observed),
          executor,
          seed: context.seed,
          simulations: context.budget,
          rounds: options.rounds,
          sequential: options.sequential,
          training: options.training,
          flow: options.flow,
          signal: context.signal,
          onEpoch: (round, epoch) => {
            lastEpoch = epoch.epoch;
            if (epoch.epoch % 25 === 0)
              console.log(
                `  round ${round} epoch ${epoch.epoch}: train ${epoch.trainLoss.toFixed(3)} validation ${epoch.validationLoss.toFixed(3)} (${epoch.seconds.toFixed(0)} s)`,
              );
          },
        });
        const columns = context.task.parameters.map((p) => posterior.parameterNames.indexOf(p.id));
        const { samples, acceptance } = await posterior.sample(10_000, { seed: context.seed });
        const d = columns.length;
        const particles = new Float64Array(samples.length);
        for (let r = 0; r < 10_000; r++) for (let k = 0; k < d; k++) particles[r * d + k] = samples[r * d + columns[k]];
        const details = {
          acceptance,
          lastEpoch,
          rounds: posterior.rounds.map((r) => ({
            bestEpoch: r.bestEpoch,
            epochs: r.trainLoss.length,
            seconds: r.seconds,
            invalid: r.invalid,
            proposalAcceptance: r.proposalAcceptance,
            ...(r.truncatedPriorMass !== undefined ? { truncatedPriorMass: r.truncatedPriorMass } : {}),
            bestValidationLoss: r.bestEpoch > 0 ? r.validationLoss[r.bestEpoch - 1] : null,
          })),
        };
        const samplesDir = process.env.NPE_BENCH_SAMPLES_DIR;
        if (samplesDir) {
          // Kept so C2ST can be recomputed (or the samples plotted) without training again.
          mkdirSync(samplesDir, { recursive: true });
          const rows = Array.from({ length: 10_000 }, (_, r) => Array.from(particles.subarray(r * d, (r + 1) * d)).join(','));
          writeFileSync(
            join(samplesDir, `${context.task.name}-${options.id}-obs${context.observation}-${context.budget}.csv`),
            `${context.task.parameters.map((p) => p.id).join(',')}\n${rows.join('\n')}\n`,
          );
        }
        posterior.dispose();
        return { particles, simulations: posterior.simulations, details };
      } finally {
        await executor.close();
      }
    },
  };
}

/**
 * Batches of 512 at Adam 1e-3: on the WASM backend a training step costs about the same from 128 to 512 rows (tfjs
 * dispatch dominates), so larger batches train an epoch several times faster (sbibm itself trained with batches of
 * up to 10,000 at 5e-4). Two step-size reductions on plateaus refine what the noisy large-step phase leaves.
 */
const BENCH_TRAINING = { batchSize: 512, learningRate: 1e-3, plateauReductions: 2 } as const;

/**
 * NPE; truncated sequential NPE (TSNPE) with `tsnpeRounds` rounds, the engine's default for rounds > 1 (on two_moons
 * at 10,000, observations 1-4, 2 rounds of 5,000 beat NPE on three and by 0.013 on average, 5 rounds of 2,000 on two
 * and by 0.008: with batches of 512 a round of 2,000 is four steps an epoch, and early stopping ends it short); and SNPE-C
 * with `snpeRounds` atomic rounds (sbibm ran 10; each atomic round costs about ten maximum-likelihood ones). Both
 * sequential methods are compared with sbibm's SNPE-C figure, the only sequential NPE it published.
 */
export function npeAlgorithms(snpeRounds = 10, tsnpeRounds = 2): AccuracyAlgorithm[] {
  return [
    npeAlgorithm({ id: 'npe', label: 'NPE (MAF)', rounds: 1, compareWith: 'NPE', training: BENCH_TRAINING }),
    npeAlgorithm({
      id: 'tsnpe',
      label: `TSNPE (MAF, ${tsnpeRounds} rounds)`,
      rounds: tsnpeRounds,
      sequential: 'truncated',
      compareWith: 'SNPE',
      training: BENCH_TRAINING,
    }),
    npeAlgorithm({
      id: 'snpe',
      label: `SNPE-C (MAF, ${snpeRounds} atomic rounds)`,
      rounds: snpeRounds,
      sequential: 'atomic',
      compareWith: 'SNPE',
      training: BENCH_TRAINING,
    }),
  ];
}

function list(text: string): number[] {
  return text.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const value = (flag: string, fallback: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
  };
  const algorithmIds = value('--algorithms', 'npe,tsnpe').split(',');
  const available = npeAlgorithms(Number(value('--snpe-rounds', '10')), Number(value('--tsnpe-rounds', '2')));
  const algorithms = algorithmIds.map((id) => {
    const found = available.find((a) => a.id === id);
    if (!found) throw new Error(`--algorithms: unknown algorithm ${JSON.stringify(id)}; expected npe, tsnpe or snpe`);
    return found;
  });
  const folds = Number(value('--c2st-folds', '5'));
  const settings = {
    tasks: value('--tasks', 'gaussian_linear,two_moons,sir')
      .split(',')
      .map((t) => accuracyTask(t.trim())),
    algorithms,
    observations: list(value('--observations', '1-2')),
    budgets: list(value('--budgets', '10000')),
    posteriorSamples: 10_000,
    c2stFolds: folds,
    c2stEvaluateFolds: Number(value('--c2st-evaluate-folds', String(folds))),
    c2stMaxEpochs: Number(value('--c2st-epochs', '200')),
    seed: 2021,
  };
  const out = resolve(value('--out', fileURLToPath(new URL('./results/npe.json', import.meta.url))));
  const started = performance.now();
  const records = await runAccuracyBenchmark(settings, (r) =>
    console.log(
      `${r.task} obs ${r.observation} ${r.algorithm} @${r.budget}: C2ST ${r.c2st.toFixed(3)} (run ${r.runSeconds.toFixed(0)} s, C2ST ${r.c2stSeconds.toFixed(0)} s) ${JSON.stringify(r.details)}`,
    ),
  );
  const summary = summarise(records, algorithms);
  console.log(`\n${formatTable(summary, algorithms)}\n\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), summary, records }, null, 2)}\n`);
  console.log(`wrote ${out}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  });
}
