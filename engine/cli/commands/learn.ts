import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { addTrustOption, type TrustFlags } from '../simulatorApproval.js';
import { dirname, resolve } from 'node:path';
import { expandHome } from '../../paths/index.js';
import { InvalidArgumentError, type Command } from 'commander';
import { parseObservedCsv, parseStudy, type Study } from '../../infer/index.js';
import { InferenceError } from '../../infer/errors.js';
import type { ArchitectureOptions } from '../../learn/nn/architectures.js';
import { NeuralNetworkError } from '../../learn/nn/errors.js';
import { getExample } from '../../model/index.js';
import { MAX_SEED } from '../../sample/index.js';
import { blackBoxModel } from '../../simulate/blackbox/spec.js';
import { ProjectStore } from '../../store/ProjectStore.js';
import { addExecutorOptions, createExecutor, type ExecutorFlags } from '../executorOptions.js';
import { InputFileError, readJsonFile } from '../jsonFile.js';
import { loadModelArgument } from '../modelSource.js';
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

const integer = (name: string, min: number, max = Number.MAX_SAFE_INTEGER) => (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} expects an integer between ${min} and ${max}, got "${value}"`);
  return n;
};
const number = (name: string, ok: (v: number) => boolean, expected: string) => (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !ok(n)) throw new InvalidArgumentError(`${name} expects ${expected}, got "${value}"`);
  return n;
};
const integerList = (name: string) => (value: string) => {
  const parts = value.split(',').map((v) => v.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1)) throw new InvalidArgumentError(`${name} expects positive integers separated by commas (e.g. 16,32,32), got "${value}"`);
  return parts.map(Number);
};

export function registerLearn(program: Command): void {
  const command = program
    .command('learn')
    .description("learn summary statistics: train a neural network to estimate a study's parameters from its series (Åkesson et al. 2021)")
    .argument('<study>', 'study JSON file (as for `sciope infer`): its model, priors, species and observed time grid are used')
    .option('-a, --architecture <kind>', 'cnn (convolutional), dnn (dense on the flattened series) or pen (partially exchangeable)', (v: string) => {
      if (v !== 'cnn' && v !== 'dnn' && v !== 'pen') throw new InvalidArgumentError(`expected cnn, dnn or pen, got "${v}"`);
      return v;
    }, 'cnn')
    .option('-n, --train <N>', 'training series, one per prior draw (a fraction is held out for validation)', integer('--train', 10), 2000)
    .option('-e, --epochs <E>', 'maximum passes over the training set', integer('--epochs', 1), 50)
    .option('-b, --batch-size <B>', 'series per gradient step', integer('--batch-size', 1), 64)
    .option('--learning-rate <LR>', "Adam's step size", number('--learning-rate', (v) => v > 0, 'a positive number'), 1e-3)
    .option('--patience <P>', 'stop after P epochs without a better validation loss (the best weights are kept); also halves the learning rate after P/2', integer('--patience', 1), 10)
    .option('--validation-split <F>', 'fraction held out for validation', number('--validation-split', (v) => v > 0 && v < 1, 'a fraction in (0, 1)'), 0.2)
    .option('--filters <list>', 'CNN filters per block, e.g. 16,32,32 (default 32,48,64,96)', integerList('--filters'))
    .option('-o, --out <file>', 'write the network (a neural-network statistics spec, weights included) to this JSON file (default: <study name>.net.json next to the study)')
    .option('--project <file>', 'also store the network in this .sciope project (created if missing)')
    .option('--name <name>', 'name of the network in the project (default: <study name> <architecture>)')
    .option('-s, --seed <S>', "random seed for the training set and the training (default: the study's, else random and printed)", integer('--seed', 0, MAX_SEED))
    .option('-q, --quiet', 'no progress lines')
    .addHelpText('after', `
Use the network in a study:  "summaries": {"kind": "neural-network", "file": "net.json"}
or, stored in a project:     "summaries": {"kind": "neural-network", "network": <id>}
The network outputs one statistic per parameter (nn:<parameter>), its estimate scaled
to [0, 1] by the prior's bounds. Training uses TensorFlow.js: the native backend
(@tensorflow/tfjs-node) when installed, else WebAssembly, else plain JS.`);
  addTrustOption(command);
  addExecutorOptions(command, 'all').action((study: string, options: LearnOptions) => learnCommand(study, options));
}

async function studyModel(study: Study, base: string) {
  const spec = study.model;
  if (typeof spec === 'object' && 'simulator' in spec) return blackBoxModel(study.simulator ?? spec.simulator);
  if (typeof spec === 'object' && 'example' in spec) return loadModelArgument(spec.example);
  const path = resolve(base, expandHome(typeof spec === 'string' ? spec : spec.file));
  if (typeof spec === 'string' && !existsSync(path) && getExample(spec)) return loadModelArgument(spec);
  return loadModelArgument(path);
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputFileError(file, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message);
  }
}

function architectureOf(options: LearnOptions): ArchitectureOptions {
  if (options.filters && options.architecture !== 'cnn') throw new NeuralNetworkError('--filters', `applies to --architecture cnn only, got --architecture ${options.architecture}`);
  if (options.architecture === 'cnn') return options.filters ? { architecture: 'cnn', filters: options.filters } : { architecture: 'cnn' };
  return { architecture: options.architecture };
}

async function learnCommand(studyPath: string, options: LearnOptions): Promise<void> {
  const study = parseStudy(readJsonFile(studyPath), studyPath);
  const base = dirname(studyPath);
  const architecture = architectureOf(options);
  const out = options.out ?? resolve(base, `${study.name}.net.json`);
  const model = await studyModel(study, base);
  // The network reads the observed series, so it is trained on their time grid and species.
  const observedPath = resolve(base, expandHome(study.observed));
  const observed = parseObservedCsv(readText(observedPath), { source: observedPath, species: study.species });
  const seed = options.seed ?? study.seed ?? randomSeed();
  const say = (line: string) => {
    if (!options.quiet) process.stderr.write(`${line}\n`);
  };
  // TensorFlow.js loads only when this command runs, so other commands start fast.
  const { initLearnBackend, learnSummaryStatistics, simulateTrainingSet, storeNetwork } = await import('../../learn/nn/index.js');
  const backend = await initLearnBackend();
  say(`${study.name}: ${architecture.architecture.toUpperCase()} on ${observed.speciesIds.join(', ')} × ${observed.time.length} time points, ${options.train} training series, seed ${seed}; TensorFlow.js backend: ${backend}`);
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  const executor = await createExecutor(options, 'all');
  const bar = new ProgressBar(process.stderr, `${study.name}: simulating`);
  try {
    const started = performance.now();
    const set = await simulateTrainingSet({
      model, simulator: study.simulator, method: study.method, time: Array.from(observed.time), prior: study.prior,
      species: observed.speciesIds, n: options.train, seed, executor, signal: controller.signal,
      onProgress: options.quiet ? undefined : (done, total) => bar.update(done, total),
    });
    bar.done();
    await executor.close();
    say(`simulated ${set.size} series in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const learned = await learnSummaryStatistics(set, {
      architecture, epochs: options.epochs, batchSize: options.batchSize, learningRate: options.learningRate,
      patience: options.patience, plateauPatience: Math.max(1, Math.floor(options.patience / 2)), validationSplit: options.validationSplit,
      seed, signal: controller.signal,
      onEpoch: (p) => say(`epoch ${p.epoch}/${p.epochs}: loss ${formatNumber(p.trainLoss)}, val loss ${formatNumber(p.valLoss)}, lr ${formatNumber(p.learningRate)}, ${p.elapsed.toFixed(1)} s${p.best ? ' *' : ''}`),
    });
    const { history } = learned;
    const rmse = Math.sqrt(history.valLoss[history.bestEpoch - 1]);
    writeFileSync(out, JSON.stringify(learned.spec) + '\n');
    const lines = [
      `best epoch ${history.bestEpoch} of ${history.trainLoss.length}${history.stoppedEarly ? ' (stopped early)' : ''}: validation RMSE ${formatNumber(rmse)} in [0, 1]-scaled parameter units (a guess from the prior alone: ${formatNumber(1 / Math.sqrt(12))} for uniform priors)`,
      `training ${history.seconds.toFixed(1)} s on ${backend}; network written to ${out}`,
    ];
    if (options.project) {
      const store = ProjectStore.open(options.project, { create: true });
      try {
        const id = storeNetwork(store, options.name ?? `${study.name} ${architecture.architecture}`, learned);
        lines.push(`stored in ${options.project} as network ${id}: use "summaries": {"kind": "neural-network", "network": ${id}}`);
      } finally {
        store.close();
      }
    }
    if (!options.quiet) process.stdout.write(lines.join('\n') + '\n');
  } catch (error) {
    if (controller.signal.aborted) throw new InferenceError(`${study.name}: cancelled (interrupted)`);
    throw error;
  } finally {
    bar.done();
    process.removeListener('SIGINT', interrupt);
    await executor.close();
  }
}
