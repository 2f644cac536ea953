import { existsSync, readFileSync } from 'node:fs';
import { addTrustOption, ensureSimulatorApproved, type TrustFlags } from '../simulatorApproval.js';
import { addExecutorOptions, createExecutor, type ExecutorFlags } from '../executorOptions.js';
import { dirname, extname, resolve } from 'node:path';
import { expandHome } from '../../paths/index.js';
import { InvalidArgumentError, type Command } from 'commander';
import { getExample } from '../../model/index.js';
import { MAX_SEED } from '../../sample/index.js';
import { InferenceError, parseObservedCsv, parseStudy, runStudy, type InferenceProgress, type Posterior, type Study } from '../../infer/index.js';
import { InputFileError, readJsonFile } from '../jsonFile.js';
import { loadModelArgument } from '../modelSource.js';
import { blackBoxModel } from '../../simulate/blackbox/spec.js';
import { formatNumber, formatTable } from '../output/finalStateSummary.js';
import { writeFileWhole } from '../output/pendingFile.js';
import { ProgressBar } from '../progressBar.js';
import { recordRun, type RunRecorder } from '../../store/recorder.js';
import { ProjectStore } from '../../store/ProjectStore.js';
import { isNeuralNetworkReference } from '../../infer/study.js';
import { resolveStudySummaries } from '../../learn/nn/studySummaries.js';
import { randomSeed } from '../../sample/random/randomSeed.js';

interface InferOptions extends ExecutorFlags, TrustFlags {
  out?: string;
  seed?: number;
  populations?: number;
  populationSize?: number;
  quiet?: boolean;
  project?: string;
  detach?: boolean;
}

const STUDY_FORMAT = `
Study file (JSON; paths are relative to the study file):
  model        example name ("vilar"), model JSON or SBML path, or {"example": name} / {"file": path}
  observed     CSV with a "time" column, one column per species and optionally a
               "trajectory" column (the format \`sciope simulate --out x.csv\` writes);
               every trajectory needs the same increasing times, starting at t >= 0
  species      species columns used, e.g. ["C", "A", "R"] (default: every species column)
  priors       {"name": prior}: {"kind": "uniform", "lower", "upper"} (or [lower, upper]),
               "logUniform" (lower, upper), "normal" (mean, sd), "logNormal" (mu, sigma of log),
               "truncatedNormal" (mean, sd, lower?, upper?)
  summaries    statistics spec, default {"kind": "time-series-features", "set": "efficient"};
               also sets "minimal" | "comprehensive", {"kind": "ensemble-moments"}, {"kind": "identity"}
  distance     default {"kind": "adaptive"} (Prangle 2017); "euclidean" | "manhattan"
               (with "maxNormalisation": true for Sciope's scaling), "weighted-euclidean"
  simulation   {"method": "ssa" | "tau" | "ode", "runsPerTrial": 1}; output times are the observed ones
  algorithm    {"kind": "smcAbc", "populationSize": 1000, "maxGenerations": 10, "epsilonTarget": 0,
                "minAcceptanceRate": 0.01, "maxSimulations", "epsilon": {"kind": "quantile", "alpha": 0.5},
                "kernel": {"kind": "multivariateNormal", "scale": 2} | {"kind": "localCovariance"}}
               {"kind": "abcRejection", "epsilon", "populationSize", "maxTrials"} or
               {"kind": "abcRejection", "budget": 10000, "quantile": 0.01 | "k"}
               {"kind": "replenishmentSmcAbc", "populationSize", "alpha": 0.5, "rTrial": 10, "c": 0.01, "pMin": 0.05}
  seed         integer (random and printed if absent)
  output       posterior file, .csv (final particles, weights, distances) or .json (every generation)
  truth        {"name": value}: shown next to the estimates (names without a prior are ignored)

Example: resources/studies/toggle-switch/study.json`;

const integerOption = (name: string, min: number, max = Number.MAX_SAFE_INTEGER) => (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} expects an integer between ${min} and ${max}, got "${value}"`);
  return n;
};

export function registerInfer(program: Command): void {
  const command = program
    .command('infer')
    .description('fit model parameters to observed time series with ABC (rejection, SMC-ABC, replenishment SMC-ABC)')
    .argument('<study>', 'study JSON file (format below)')
    .option('-o, --out <file>', "write the posterior to a .csv or .json file (default: the study's output)")
    .option('-s, --seed <S>', "random seed (overrides the study's)", integerOption('--seed', 0, MAX_SEED))
    .option('-g, --populations <G>', 'maximum number of generations (SMC algorithms)', integerOption('--populations', 1))
    .option('-n, --population-size <N>', 'particles per generation', integerOption('--population-size', 2))
    .option('-q, --quiet', 'no progress and no table')
    .option('--project <file>', 'store the model, observed data, study and every generation in this .sciope project (created if missing); continue a killed run with `sciope resume`')
    .option('--detach', 'with --executor slurm: submit the study as one SLURM batch job that runs on the cluster without this computer (see `sciope remote --help`)')
    .addHelpText('after', STUDY_FORMAT);
  addTrustOption(command);
  addExecutorOptions(command, 'all').action((study: string, options: InferOptions) => inferCommand(study, options));
}

async function loadStudyModel(study: Study, base: string) {
  const spec = study.model;
  // A black-box simulator: the model is its declared interface (the simulator itself travels in the jobs).
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
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputFileError(file, code === 'ENOENT' ? 'no such file' : (error as Error).message);
  }
}

/** A learned network named by file (relative to the study) or by id in --project, inlined so every executor runs it. */
function withNetwork(study: Study, base: string, project: string | undefined): Study {
  if (!isNeuralNetworkReference(study.summaries)) return study;
  const store = project && existsSync(project) && 'network' in study.summaries ? ProjectStore.open(project) : undefined;
  try {
    return resolveStudySummaries(study, { baseDir: base, readJson: readJsonFile, networks: store });
  } finally {
    store?.close();
  }
}

async function inferCommand(studyPath: string, options: InferOptions): Promise<void> {
  const base = dirname(studyPath);
  const study = withNetwork(parseStudy(readJsonFile(studyPath), studyPath), base, options.project);
  const out = options.out ?? (study.output ? resolve(base, expandHome(study.output)) : undefined);
  if (out && !['.csv', '.json'].includes(extname(out).toLowerCase())) throw new InputFileError(out, 'unsupported output format; expected a .csv or .json file');
  const model = await loadStudyModel(study, base);
  const observedPath = resolve(base, expandHome(study.observed));
  const observed = parseObservedCsv(readText(observedPath), { source: observedPath, species: study.species });
  await ensureSimulatorApproved(study.simulator, studyPath, options);
  const seed = options.seed ?? study.seed ?? randomSeed();
  if (options.detach) {
    const { inferDetached } = await import('./remote.js');
    return inferDetached({ studyPath, study, model, seed, populationSize: options.populationSize, maxGenerations: options.populations }, options as InferOptions & { slurm?: string });
  }
  const show = !options.quiet && Boolean(process.stderr.isTTY);
  let bar = new ProgressBar(process.stderr, `${study.name}: generation 0`);
  const onProgress = (event: InferenceProgress) => {
    if (!show) return;
    if (event.phase === 'sampling') {
      bar.update(Math.min(event.accepted, event.populationSize), event.populationSize);
      return;
    }
    bar.done();
    process.stderr.write(`generation ${event.generation}: epsilon ${formatNumber(event.epsilon)}, acceptance ${(100 * event.acceptanceRate).toFixed(1)}%, ${event.simulations.toLocaleString('en-US')} simulations\n`);
    bar = new ProgressBar(process.stderr, `${study.name}: generation ${event.generation + 1}`);
  };
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  const executor = await createExecutor(options, 'all');
  let recorder: RunRecorder | undefined;
  try {
    if (options.project) recorder = recordRun(options.project, { study, studyPath, model, seed, populationSize: options.populationSize, maxGenerations: options.populations });
  } catch (error) {
    process.removeListener('SIGINT', interrupt);
    await executor.close();
    throw error;
  }
  if (recorder && !options.quiet) process.stderr.write(`run ${recorder.runId} stored in ${options.project}\n`);
  const started = performance.now();
  let posterior: Posterior;
  try {
    posterior = await runStudy(study, model, observed, {
      seed,
      executor,
      onProgress,
      onGeneration: recorder?.onGeneration,
      signal: controller.signal,
      populationSize: options.populationSize,
      maxGenerations: options.populations,
    });
  } catch (error) {
    recorder?.fail(error, controller.signal.aborted);
    if (controller.signal.aborted) throw new InferenceError(`${study.name}: cancelled (interrupted)`);
    throw error;
  } finally {
    process.removeListener('SIGINT', interrupt);
    bar.done();
    await executor.close();
  }
  recorder?.complete(posterior);
  const seconds = (performance.now() - started) / 1000;
  if (out) writeFileWhole(out, extname(out).toLowerCase() === '.csv' ? posterior.toCsv() : JSON.stringify({ study: study.name, summary: posterior.summary(), posterior: posterior.toJSON() }));
  if (options.quiet) return;
  process.stdout.write(report(study, posterior, seed, seconds, out) + '\n');
}

function report(study: Study, posterior: Posterior, seed: number, seconds: number, out: string | undefined): string {
  const last = posterior.last;
  const truth = study.truth;
  const header = ['parameter', 'mean', 'median', '2.5%', '97.5%', ...(truth ? ['truth'] : [])];
  const rows = posterior.summary(0.95).map((r) => [
    r.parameter,
    formatNumber(r.mean),
    formatNumber(r.median),
    formatNumber(r.lower),
    formatNumber(r.upper),
    ...(truth ? [truth[r.parameter] !== undefined ? formatNumber(truth[r.parameter]) : ''] : []),
  ]);
  const algorithm = String(posterior.config.algorithm);
  const lines = [
    `${study.name}: ${algorithm}, seed ${seed}, ${posterior.generations.length} generation${posterior.generations.length === 1 ? '' : 's'}, ${posterior.simulations.toLocaleString('en-US')} simulations, stopped: ${posterior.stopReason}`,
    `final generation ${last.index}: ${last.count} particles, epsilon ${formatNumber(last.epsilon)}, ESS ${formatNumber(Math.round(last.ess))}, acceptance ${(100 * last.acceptanceRate).toFixed(1)}%`,
    '',
    formatTable(header, rows),
    '',
  ];
  if (truth) {
    const mean = posterior.mean();
    const errors = posterior.parameterNames.map((name, k) => (truth[name] === undefined ? NaN : Math.abs(mean[k] - truth[name]))).filter((e) => !Number.isNaN(e));
    if (errors.length > 0) lines.push(`mean absolute error of the posterior mean: ${formatNumber(errors.reduce((a, b) => a + b, 0) / errors.length)}`);
  }
  lines.push(`wall time: ${seconds.toFixed(1)} s (${formatNumber((posterior.simulations / seconds))} trials/s)`);
  if (out) lines.push(`posterior written to ${out}`);
  return lines.join('\n');
}
