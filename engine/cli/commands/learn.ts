import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { addTrustOption, ensureSimulatorApproved, type TrustFlags } from '../simulatorApproval.js';
import { dirname, join, resolve } from 'node:path';
import { expandHome } from '../../paths/index.js';
import { InvalidArgumentError, type Command } from 'commander';
import { parseObservedCsv, parseStudy } from '../../infer/index.js';
import type { ArchitectureOptions } from '../../learn/nn/architectures.js';
import { NeuralNetworkError } from '../../learn/nn/errors.js';
import { MAX_SEED } from '../../sample/index.js';
import { ProjectStore } from '../../store/ProjectStore.js';
import { addExecutorOptions, type ExecutorFlags } from '../executorOptions.js';
import { withCliEngine } from '../engineSession.js';
import { storeStudyFile } from '../../store/studyFile.js';
import { loadNetwork } from '../../learn/nn/networkStore.js';
import { readJsonFile, readTextFile } from '../jsonFile.js';
import { loadReferencedModel } from '../modelSource.js';
import { formatNumber } from '../output/finalStateSummary.js';
import { ProgressBar } from '../progressBar.js';
import { randomSeed } from '../../sample/random/randomSeed.js';

interface LearnOptions extends ExecutorFlags, TrustFlags {
  architecture: 'cnn' | 'dnn' | 'pen';
  train: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  patience: number;
  validationSplit: number;
  filters?: number[];
  out?: string;
  project?: string;
  name?: string;
  seed?: number;
  quiet?: boolean;
}

const integer =
  (name: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} expects an integer between ${min} and ${max}, got "${value}"`);
    return n;
  };
const number = (name: string, ok: (v: number) => boolean, expected: string) => (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !ok(n)) throw new InvalidArgumentError(`${name} expects ${expected}, got "${value}"`);
  return n;
};
const integerList = (name: string) => (value: string) => {
  const parts = value.split(',').map((v) => v.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1))
    throw new InvalidArgumentError(`${name} expects positive integers separated by commas (e.g. 16,32,32), got "${value}"`);
  return parts.map(Number);
};

export function registerLearn(program: Command): void {
  const command = program
    .command('learn')
    .description("learn summary statistics: train a neural network to estimate a study's parameters from its series (Åkesson et al. 2021)")
    .argument('<study>', 'study JSON file (as for `sciope infer`): its model, priors, species and observed time grid are used')
    .option(
      '-a, --architecture <kind>',
      'cnn (convolutional), dnn (dense on the flattened series) or pen (partially exchangeable)',
      (v: string) => {
        if (v !== 'cnn' && v !== 'dnn' && v !== 'pen') throw new InvalidArgumentError(`expected cnn, dnn or pen, got "${v}"`);
        return v;
      },
      'cnn',
    )
    .option('-n, --train <N>', 'training series, one per prior draw (a fraction is held out for validation)', integer('--train', 10), 2000)
    .option('-e, --epochs <E>', 'maximum passes over the training set', integer('--epochs', 1), 50)
    .option('-b, --batch-size <B>', 'series per gradient step', integer('--batch-size', 1), 64)
    .option(
      '--learning-rate <LR>',
      "Adam's step size",
      number('--learning-rate', (v) => v > 0, 'a positive number'),
      1e-3,
    )
    .option(
      '--patience <P>',
      'stop after P epochs without a better validation loss (the best weights are kept); also halves the learning rate after P/2',
      integer('--patience', 1),
      10,
    )
    .option(
      '--validation-split <F>',
      'fraction held out for validation',
      number('--validation-split', (v) => v > 0 && v < 1, 'a fraction in (0, 1)'),
      0.2,
    )
    .option('--filters <list>', 'CNN filters per block, e.g. 16,32,32 (default 32,48,64,96)', integerList('--filters'))
    .option(
      '-o, --out <file>',
      'write the network (a neural-network statistics spec, weights included) to this JSON file (default: <study name>.net.json next to the study)',
    )
    .option('--project <file>', 'also store the network in this .sciope project (created if missing)')
    .option('--name <name>', 'name of the network in the project (default: <study name> <architecture>)')
    .option(
      '-s, --seed <S>',
      "random seed for the training set and the training (default: the study's, else random and printed)",
      integer('--seed', 0, MAX_SEED),
    )
    .option('-q, --quiet', 'no progress lines')
    .addHelpText(
      'after',
      `
Use the network in a study:  "summaries": {"kind": "neural-network", "file": "net.json"}
or, stored in a project:     "summaries": {"kind": "neural-network", "network": <id>}
The network outputs one statistic per parameter (nn:<parameter>), its estimate scaled
to [0, 1] by the prior's bounds. Training uses TensorFlow.js: the native backend
(@tensorflow/tfjs-node) when installed, else WebAssembly, else plain JS.`,
    );
  addTrustOption(command);
  addExecutorOptions(command, 'all').action((study: string, options: LearnOptions) => learnCommand(study, options));
}

function architectureOf(options: LearnOptions): ArchitectureOptions {
  if (options.filters && options.architecture !== 'cnn')
    throw new NeuralNetworkError('--filters', `applies to --architecture cnn only, got --architecture ${options.architecture}`);
  if (options.architecture === 'cnn') return options.filters ? { architecture: 'cnn', filters: options.filters } : { architecture: 'cnn' };
  return { architecture: options.architecture };
}

async function learnCommand(studyPath: string, options: LearnOptions): Promise<void> {
  const study = parseStudy(readJsonFile(studyPath), studyPath);
  const base = dirname(studyPath);
  const architecture = architectureOf(options);
  const out = options.out ?? resolve(base, `${study.name}.net.json`);
  const model = await loadReferencedModel(study.model, study.simulator, base);
  // The network reads the observed series, so it is trained on their time grid and species.
  const observedPath = resolve(base, expandHome(study.observed));
  const observed = parseObservedCsv(readTextFile(observedPath), { source: observedPath, species: study.species });
  await ensureSimulatorApproved(study.simulator, studyPath, options);
  // Chosen here rather than by the engine only because the first progress line names it.
  const seed = options.seed ?? study.seed ?? randomSeed();
  const say = (line: string) => {
    if (!options.quiet) process.stderr.write(`${line}\n`);
  };
  // Without --project the network is trained through a temporary project: the same engine calls, nothing left behind.
  const temporary = options.project ? undefined : mkdtempSync(join(tmpdir(), 'sciope-learn-'));
  const projectPath = options.project ?? join(temporary!, 'learn.sciope');
  try {
    const store = ProjectStore.open(projectPath, { create: true });
    let studyId: number;
    try {
      studyId = storeStudyFile(store, { study, studyPath, model }).studyId;
    } finally {
      store.close();
    }
    const { networkId, backend, spec, network, seconds } = await withCliEngine(options, 'all', async (engine) => {
      engine.allowSimulator(study.simulator, await engine.openProject(projectPath, false));
      // TensorFlow.js loads on a compute thread when the engine first asks, so other commands start fast.
      const { backend } = await engine.call('learn.backend');
      say(
        `${study.name}: ${architecture.architecture.toUpperCase()} on ${observed.speciesIds.join(', ')} × ${observed.time.length} time points, ${options.train} training series, seed ${seed}; TensorFlow.js backend: ${backend}`,
      );
      const bar = new ProgressBar(process.stderr, `${study.name}: simulating`);
      let simulationStarted: number | undefined;
      let simulated = false;
      const { taskId } = await engine.call('learn.train', {
        studyId,
        architecture: options.architecture,
        ...(options.filters ? { filters: options.filters } : {}),
        train: options.train,
        epochs: options.epochs,
        batchSize: options.batchSize,
        learningRate: options.learningRate,
        patience: options.patience,
        validationSplit: options.validationSplit,
        seed,
        ...(options.name ? { name: options.name } : {}),
      });
      let finished;
      try {
        finished = await engine.followTraining(
          taskId,
          {
            onProgress: (completed, total) => {
              simulationStarted ??= performance.now();
              if (!options.quiet) bar.update(completed, total);
              if (completed < total || simulated || completed === 0) return;
              simulated = true;
              bar.done();
              say(`simulated ${total} series in ${((performance.now() - simulationStarted) / 1000).toFixed(1)} s`);
            },
            onEpoch: (p) =>
              say(
                `epoch ${p.epoch}/${p.epochs}: loss ${formatNumber(p.trainLoss)}, val loss ${formatNumber(p.valLoss)}, lr ${formatNumber(p.learningRate)}, ${p.elapsedSeconds.toFixed(1)} s${p.best ? ' *' : ''}`,
              ),
          },
          `${study.name}: cancelled (interrupted)`,
        );
      } finally {
        bar.done();
      }
      const network = (await engine.call('learn.networks')).find((n) => n.id === finished.networkId)!;
      // The network's spec (weights included) and training time as the project stored them.
      const stored = ProjectStore.open(projectPath, { readonly: true });
      try {
        const seconds = Number((stored.getNetwork(network.id)?.meta as { seconds?: number } | undefined)?.seconds ?? 0);
        return { networkId: network.id, backend: finished.backend ?? backend, spec: loadNetwork(stored, network.id), network, seconds };
      } finally {
        stored.close();
      }
    });
    const bestEpoch = network.bestEpoch ?? network.valLoss.length;
    const rmse = Math.sqrt(network.valLoss[bestEpoch - 1]);
    writeFileSync(out, JSON.stringify(spec) + '\n');
    const stoppedEarly = network.trainLoss.length < options.epochs;
    const lines = [
      `best epoch ${bestEpoch} of ${network.trainLoss.length}${stoppedEarly ? ' (stopped early)' : ''}: validation RMSE ${formatNumber(rmse)} in [0, 1]-scaled parameter units (a guess from the prior alone: ${formatNumber(1 / Math.sqrt(12))} for uniform priors)`,
      `training ${seconds.toFixed(1)} s on ${backend}; network written to ${out}`,
    ];
    if (options.project)
      lines.push(`stored in ${options.project} as network ${networkId}: use "summaries": {"kind": "neural-network", "network": ${networkId}}`);
    if (!options.quiet) process.stdout.write(lines.join('\n') + '\n');
    // Said even with --quiet: a network no better than the prior would silently make ABC no better than sampling the prior.
    if (network.warning) process.stderr.write(`warning: ${network.warning}\n`);
  } finally {
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  }
}
