import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { addTrustOption, ensureSimulatorApproved, type TrustFlags } from '../simulatorApproval.js';
import { addExecutorOptions, type ExecutorFlags } from '../executorOptions.js';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { expandHome } from '../../paths/index.js';
import { InvalidArgumentError, type Command } from 'commander';
import { MAX_SEED } from '../../sample/index.js';
import { parseObservedCsv, parseStudy, type Posterior, type Study } from '../../infer/index.js';
import { InputFileError, readJsonFile, readTextFile } from '../jsonFile.js';
import { loadReferencedModel } from '../modelSource.js';
import { formatNumber, formatTable } from '../output/finalStateSummary.js';
import { writeFileWhole } from '../output/pendingFile.js';
import { ProgressBar } from '../progressBar.js';
import { storeStudyFile } from '../../store/studyFile.js';
import type { RunProgressEvent } from '../../api/contract.js';
import { withCliEngine } from '../engineSession.js';
import { ProjectStore } from '../../store/ProjectStore.js';
import { isNeuralNetworkReference, studyWithRegressionAdjustment } from '../../infer/study.js';
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
  regressionAdjustment?: boolean;
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
                "minAcceptanceRate": 0.01, "maxSimulations", "minFinalPopulation",
                "epsilon": {"kind": "quantile", "alpha": 0.5}, "kernel": kernel}
               {"kind": "abcRejection", "epsilon", "populationSize", "maxTrials"} or
               {"kind": "abcRejection", "budget": 10000, "quantile": 0.01 | "k"}
               {"kind": "replenishmentSmcAbc", "populationSize", "alpha": 0.5, "rTrial": 10, "c": 0.01, "pMin": 0.05}
               {"kind": "npe", "simulations": 2000, "rounds": 1, "posteriorSamples": 1000, "flow", "training"}:
               neural posterior estimation (a normalising flow trained on the simulations; rounds > 1:
               SNPE-C); no distance, no regression adjustment; not resumable
               maxSimulations: the run spends exactly this many trials; its last generation runs all
               that remain and keeps every acceptance (so it can exceed populationSize), or the
               minFinalPopulation nearest (default populationSize / 2) if fewer are accepted; with
               it, populationSize defaults to maxSimulations / 16 (100 to 1000), maxGenerations to 100
               regressionAdjustment (every ABC kind): true (default) adjusts the final particles by
               local-linear regression on the statistics (Beaumont et al. 2002); false shows them as
               sampled; {"kind": "localLinear", "transform": false} regresses on the raw scale
  kernel       (inside an smcAbc algorithm) {"kind": "multivariateNormal", "scale": 2 | "silverman" |
               "scott"} (the population covariance times the factor, or Silverman's / Scott's rule),
               {"kind": "localCovariance"} (Filippi et al. 2013), {"kind": "nearestNeighbour",
               "fraction": 0.25, "scale": 2} (covariance of each particle's nearest neighbours; for
               curved or multimodal posteriors)
  seed         integer (random and printed if absent)
  output       posterior file, .csv (final particles, weights, distances) or .json (every generation)
  truth        {"name": value}: shown next to the estimates (names without a prior are ignored)

Example: resources/studies/toggle-switch/study.json`;

const integerOption =
  (name: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} expects an integer between ${min} and ${max}, got "${value}"`);
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
    .option(
      '--regression-adjustment',
      'adjust the final particles by local-linear regression on the statistics (Beaumont et al. 2002; the study default) / --no-regression-adjustment: show them as sampled',
    )
    .option('--no-regression-adjustment')
    .option(
      '--project <file>',
      'store the model, observed data, study and every generation in this .sciope project (created if missing); continue a killed run with `sciope resume`',
    )
    .option(
      '--detach',
      'with --executor slurm: submit the study as one SLURM batch job that runs on the cluster without this computer (see `sciope remote --help`)',
    )
    .addHelpText('after', STUDY_FORMAT);
  addTrustOption(command);
  addExecutorOptions(command, 'all').action((study: string, options: InferOptions) => inferCommand(study, options));
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
  const json = studyWithRegressionAdjustment(readJsonFile(studyPath) as Record<string, unknown>, options.regressionAdjustment);
  const parsed = parseStudy(json, studyPath);
  const study = withNetwork(parsed, base, options.project);
  const out = options.out ?? (study.output ? resolve(base, expandHome(study.output)) : undefined);
  if (out && !['.csv', '.json'].includes(extname(out).toLowerCase())) throw new InputFileError(out, 'unsupported output format; expected a .csv or .json file');
  const model = await loadReferencedModel(study.model, study.simulator, base);
  const observedPath = resolve(base, expandHome(study.observed));
  parseObservedCsv(readTextFile(observedPath), { source: observedPath, species: study.species });
  await ensureSimulatorApproved(study.simulator, studyPath, options);
  if (options.detach) {
    const { inferDetached } = await import('./remote.js');
    const seed = options.seed ?? study.seed ?? randomSeed();
    return inferDetached(
      { studyPath, study, model, seed, populationSize: options.populationSize, maxGenerations: options.populations },
      options as InferOptions & { slurm?: string },
    );
  }
  // A network named by file travels inlined in the stored study, so the project runs (and resumes) without the file.
  const config = isNeuralNetworkReference(parsed.summaries) && 'file' in parsed.summaries ? { ...json, summaries: study.summaries } : json;
  // Without --project the run goes through a temporary project: the same run bookkeeping, nothing left behind.
  const temporary = options.project ? undefined : mkdtempSync(join(tmpdir(), 'sciope-infer-'));
  const projectPath = options.project ?? join(temporary!, `${basename(studyPath, extname(studyPath))}.sciope`);
  try {
    const { studyId } = withProject(projectPath, (store) => storeStudyFile(store, { study, studyPath, model, config }));
    const { runId, seed, seconds } = await withCliEngine(options, 'all', async (engine) => {
      engine.allowSimulator(study.simulator, await engine.openProject(projectPath, false));
      const started = await engine.call('runs.start', {
        studyId,
        seed: options.seed,
        populationSize: options.populationSize,
        maxGenerations: options.populations,
      });
      if (options.project && !options.quiet) process.stderr.write(`run ${started.runId} stored in ${options.project}\n`);
      const began = performance.now();
      const progress = generationProgress(study.name, study.algorithm.kind === 'npe', !options.quiet && Boolean(process.stderr.isTTY));
      try {
        await engine.followRun(started.runId, progress.update, `${study.name}: cancelled (interrupted)`);
      } finally {
        progress.done();
      }
      const seconds = (performance.now() - began) / 1000;
      return { runId: started.runId, seed: (await engine.call('runs.get', { runId: started.runId })).seed, seconds };
    });
    const posterior = withProject(projectPath, (store) => store.loadPosterior(runId), true);
    if (out)
      writeFileWhole(
        out,
        extname(out).toLowerCase() === '.csv'
          ? posterior.toCsv()
          : JSON.stringify({ study: study.name, summary: posterior.summary(), posterior: posterior.toJSON() }),
      );
    if (options.quiet) return;
    process.stdout.write(report(study, posterior, seed, seconds, out) + '\n');
  } finally {
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  }
}

/** Open the project file, work on it, close it. */
function withProject<T>(path: string, work: (store: ProjectStore) => T, readonly = false): T {
  const store = ProjectStore.open(path, readonly ? { readonly } : { create: true });
  try {
    return work(store);
  } finally {
    store.close();
  }
}

/** The progress a run reports on a terminal: a bar while a generation samples, a line when it is done. */
/** NPE: its "generations" are rounds (simulate, train, draw), with no epsilon or acceptance to report. */
function generationProgress(name: string, npe: boolean, show: boolean): { update: (event: RunProgressEvent) => void; done: () => void } {
  const step = npe ? 'round' : 'generation';
  let bar = new ProgressBar(process.stderr, `${name}: ${step} 0`);
  return {
    update: (event) => {
      if (!show) return;
      if (event.phase === 'sampling') {
        bar.update(Math.min(event.accepted, event.populationSize), event.populationSize);
        return;
      }
      bar.done();
      process.stderr.write(
        npe
          ? `round ${event.generation + 1}: estimator trained, ${event.simulations.toLocaleString('en-US')} simulations\n`
          : `generation ${event.generation + 1}: epsilon ${formatNumber(event.epsilon)}, acceptance ${(100 * event.acceptanceRate).toFixed(1)}%, ${event.simulations.toLocaleString('en-US')} simulations\n`,
      );
      bar = new ProgressBar(process.stderr, `${name}: ${step} ${event.generation + 1}`);
    },
    done: () => bar.done(),
  };
}

function report(study: Study, posterior: Posterior, seed: number, seconds: number, out: string | undefined): string {
  const last = posterior.last;
  const truth = study.truth;
  const header = ['parameter', 'mean', 'median', '2.5%', '97.5%', ...(truth ? ['truth'] : [])];
  const rows = posterior
    .summary(0.95)
    .map((r) => [
      r.parameter,
      formatNumber(r.mean),
      formatNumber(r.median),
      formatNumber(r.lower),
      formatNumber(r.upper),
      ...(truth ? [truth[r.parameter] !== undefined ? formatNumber(truth[r.parameter]) : ''] : []),
    ]);
  const algorithm = String(posterior.config.algorithm);
  const npe = study.algorithm.kind === 'npe';
  const step = npe ? 'round' : 'generation';
  const steps = posterior.generations.length;
  const lines = [
    `${study.name}: ${algorithm}, seed ${seed}, ${steps} ${step}${steps === 1 ? '' : 's'}, ${posterior.simulations.toLocaleString('en-US')} simulations, stopped: ${posterior.stopReason}`,
    npe
      ? `final round ${last.index + 1}: ${last.count} draws from the trained estimator q(theta | x_o)`
      : `final generation ${last.index + 1}: ${last.count} particles, epsilon ${formatNumber(last.epsilon)}, ESS ${formatNumber(Math.round(last.ess))}, acceptance ${(100 * last.acceptanceRate).toFixed(1)}%`,
    '',
    formatTable(header, rows),
    '',
  ];
  if (truth) {
    const mean = posterior.mean();
    const errors = posterior.parameterNames
      .map((name, k) => (truth[name] === undefined ? NaN : Math.abs(mean[k] - truth[name])))
      .filter((e) => !Number.isNaN(e));
    if (errors.length > 0) lines.push(`mean absolute error of the posterior mean: ${formatNumber(errors.reduce((a, b) => a + b, 0) / errors.length)}`);
  }
  lines.push(`wall time: ${seconds.toFixed(1)} s (${formatNumber(posterior.simulations / seconds)} trials/s)`);
  if (out) lines.push(`posterior written to ${out}`);
  return lines.join('\n');
}
