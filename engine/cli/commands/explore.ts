import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { addTrustOption, ensureSimulatorApproved, type TrustFlags } from '../simulatorApproval.js';
import { dirname, join, resolve } from 'node:path';
import { expandHome } from '../../paths/index.js';
import { InvalidArgumentError, type Command } from 'commander';
import { attachSessionStore, ExplorationError, ExplorationSession, listExplorationSessions, loadExplorationSession, parseSessionSpec, type SessionConfig } from '../../explore/index.js';
import { getExample } from '../../model/index.js';
import { blackBoxModel } from '../../simulate/blackbox/spec.js';
import { ProjectStore } from '../../store/ProjectStore.js';
import { addExecutorOptions, createExecutor, type ExecutorFlags } from '../executorOptions.js';
import { readJsonFile } from '../jsonFile.js';
import { loadModelArgument } from '../modelSource.js';
import { ProgressBar } from '../progressBar.js';

interface ExploreOptions extends ExecutorFlags, TrustFlags {
  batches?: number;
  project?: string;
  out?: string;
  quiet?: boolean;
}

const SESSION_FORMAT = `
Session file (JSON; paths are relative to the session file):
  name             session name (default: the file name); a project keeps one session per name
  model            example name, model JSON or SBML path, {"example"}, {"file"} or {"simulator": {...}}
  parameters       {"name": [lower, upper]} or {"name": prior} (uniform, logUniform, normal, ...)
  time             {"end", "points"} or a list of times (default: the model's time span)
  statistics       default {"kind": "time-series-features", "set": "minimal"}
  simulation       {"method": "ssa" | "tau" | "ode", "runsPerTrial": 1}
  design           {"kind": "latinHypercube" | "sobol" | "halton" | "random" | "fullFactorial" | "prior", "levels"}
  batchSize        points per batch (default 100)
  keepTrajectories trajectories kept per batch for display (default 0)
  reduction        "umap" (default) | "pca" | "tsne", or {"method", "nNeighbors", "minDist", "iterations", "perplexity"}
  propagation      {"algorithm": "spreading" | "propagation", "alpha": 0.2, "gamma": "tune" | number, "neighbours"}
  activeLearning   {"strategy": "entropy" | "margin" | "class", "class", "candidates", "batchSize"}
  classes          class names, e.g. ["oscillating", "steady"]
  labels           {"point index": class index or name}: propagated, then the next batch is proposed
  seed             integer (default 0)

Writes parameters.csv, features.csv, embedding.csv (x, y, label, predicted, entropy, margin)
and, with labels, proposals.csv. Example: resources/sessions/toggle-switch.json`;

const integerOption = (name: string, min: number) => (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${name} expects an integer >= ${min}, got "${value}"`);
  return n;
};

export function registerExplore(program: Command): void {
  const command = program
    .command('explore')
    .description('explore a parameter space: simulate batches, embed features in 2-D, propagate labels, propose the next batch')
    .argument('<session>', 'session JSON file (format below)')
    .option('-b, --batches <N>', 'design batches to simulate (default 1; 0 only re-labels and proposes from a project\'s points)', integerOption('--batches', 0))
    .option('--project <file>', 'keep the session in this .sciope project (created if missing); later runs add batches')
    .option('-o, --out <dir>', 'output folder (default: <session name>-explore next to the session file)')
    .option('-q, --quiet', 'no progress and no summary')
    .addHelpText('after', SESSION_FORMAT);
  addTrustOption(command);
  addExecutorOptions(command, 'all').action((session: string, options: ExploreOptions) => exploreCommand(session, options));
}

async function loadSessionModel(config: SessionConfig, base: string) {
  const spec = config.model;
  if (typeof spec === 'object' && 'simulator' in spec) return blackBoxModel(config.simulator!);
  if (typeof spec === 'object' && 'example' in spec) return loadModelArgument(spec.example);
  const path = resolve(base, expandHome(typeof spec === 'string' ? spec : spec.file));
  if (typeof spec === 'string' && !existsSync(path) && getExample(spec)) return loadModelArgument(spec);
  return loadModelArgument(path);
}

const csvCell = (v: number | string) => (typeof v === 'number' ? (Number.isNaN(v) ? '' : String(v)) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csv = (header: string[], rows: Array<Array<number | string>>) => [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';

async function exploreCommand(sessionPath: string, options: ExploreOptions): Promise<void> {
  const json = readJsonFile(sessionPath);
  const config = parseSessionSpec(json, sessionPath);
  const model = await loadSessionModel(config, dirname(sessionPath));
  await ensureSimulatorApproved(config.simulator, sessionPath, options);
  let store: ProjectStore | undefined;
  let session: ExplorationSession;
  if (options.project) {
    store = ProjectStore.open(options.project, { create: true });
    if (listExplorationSessions(store).includes(config.name)) {
      session = loadExplorationSession(store, config.name);
      session.setLabels(config.labels);
    } else {
      session = new ExplorationSession(config, model);
      attachSessionStore(store, session);
    }
  } else session = new ExplorationSession(config, model);
  const show = !options.quiet && Boolean(process.stderr.isTTY);
  const batches = options.batches ?? 1;
  const executor = await createExecutor(options, 'all');
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  try {
    for (let b = 0; b < batches; b++) {
      const bar = new ProgressBar(process.stderr, `${config.name}: batch ${session.batches.length}`);
      try {
        await session.runBatch(executor, { signal: controller.signal, onProgress: (done, total) => show && bar.update(done, total) });
      } finally {
        if (show) bar.done();
      }
    }
  } finally {
    process.removeListener('SIGINT', interrupt);
    await executor.close();
  }
  if (session.pointCount === 0) throw new ExplorationError('batches', 'no points to explore: run at least one batch (--batches 1)');
  const out = resolve(options.out ?? join(dirname(sessionPath), `${config.name}-explore`));
  mkdirSync(out, { recursive: true });
  const names = session.space.names;
  const batchOf = session.batches.flatMap((b) => Array.from({ length: b.count }, () => b.index));
  const parameters = session.parameterRows();
  writeFileSync(join(out, 'parameters.csv'), csv(['point', 'batch', ...names], parameters.map((r, i) => [i, batchOf[i], ...r])));
  writeFileSync(join(out, 'features.csv'), csv(['point', 'batch', ...session.featureNames], session.featureRows().map((r, i) => [i, batchOf[i], ...Array.from(r)])));
  const embedding = await session.embed();
  const labels = session.labelArray();
  const hasLabels = labels.some((l) => l >= 0);
  const propagated = hasLabels ? await session.propagate() : undefined;
  const className = (c: number) => (c >= 0 ? (session.classNames[c] ?? `class ${c}`) : '');
  writeFileSync(
    join(out, 'embedding.csv'),
    csv(
      ['point', 'batch', 'x', 'y', 'label', 'predicted', 'entropy', 'margin'],
      embedding.x.map((x, i) => [i, batchOf[i], x, embedding.y[i], className(labels[i]), propagated ? className(propagated.hard[i]) : '', propagated ? propagated.entropy[i] : NaN, propagated ? propagated.margin[i] : NaN]),
    ),
  );
  let proposals = 0;
  if (propagated) {
    const proposal = await session.propose();
    proposals = proposal.parameters.length;
    writeFileSync(
      join(out, 'proposals.csv'),
      csv([...names, 'score', ...propagated.classes.map((c) => `p(${c})`)], proposal.parameters.map((r, i) => [...r, proposal.scores[i], ...proposal.predicted[i]])),
    );
  }
  store?.close();
  if (options.quiet) return;
  const lines = [
    `${config.name}: ${session.pointCount} points in ${session.batches.length} batch${session.batches.length === 1 ? '' : 'es'}, ${session.featureCount} features, embedding ${embedding.method}${embedding.explainedVariance ? ` (explained variance ${embedding.explainedVariance.map((v) => (100 * v).toFixed(1) + '%').join(', ')})` : ''}`,
    ...embedding.notes.map((n) => `note: ${n}`),
  ];
  if (propagated) {
    const counts = propagated.classes.map((c, k) => `${c}: ${propagated.hard.filter((h) => h === k).length}`);
    lines.push(`labels: ${labels.filter((l) => l >= 0).length} given, propagated (gamma ${propagated.gamma.toPrecision(3)}): ${counts.join(', ')}`);
    lines.push(`proposed ${proposals} points (${session.config.activeLearning.strategy}) in proposals.csv`);
  }
  if (options.project) lines.push(`session "${config.name}" stored in ${options.project}`);
  lines.push(`written to ${out}`);
  process.stdout.write(lines.join('\n') + '\n');
}
