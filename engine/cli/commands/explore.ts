import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { addTrustOption, ensureSimulatorApproved, type TrustFlags } from '../simulatorApproval.js';
import { dirname, join, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { ExplorationError, parseSessionSpec, type SessionConfig } from '../../explore/index.js';
import type { ExplorationProposal, ExplorationView } from '../../api/contract.js';
import type { ReactionNetworkInput } from '../../model/schema.js';
import { withCliEngine, type CliEngine } from '../engineSession.js';
import { getExample } from '../../model/index.js';
import { addExecutorOptions, type ExecutorFlags } from '../executorOptions.js';
import { readJsonFile } from '../jsonFile.js';
import { loadReferencedModel } from '../modelSource.js';
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
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min)
    throw new InvalidArgumentError(`${name} expects an integer >= ${min}, got "${value}"`);
  return n;
};

export function registerExplore(program: Command): void {
  const command = program
    .command('explore')
    .description('explore a parameter space: simulate batches, embed features in 2-D, propagate labels, propose the next batch')
    .argument('<session>', 'session JSON file (format below)')
    .option('-b, --batches <N>', "design batches to simulate (default 1; 0 only re-labels and proposes from a project's points)", integerOption('--batches', 0))
    .option('--project <file>', 'keep the session in this .sciope project (created if missing); later runs add batches')
    .option('-o, --out <dir>', 'output folder (default: <session name>-explore next to the session file)')
    .option('-q, --quiet', 'no progress and no summary')
    .addHelpText('after', SESSION_FORMAT);
  addTrustOption(command);
  addExecutorOptions(command, 'all').action((session: string, options: ExploreOptions) => exploreCommand(session, options));
}

const csvCell = (v: number | string) => (typeof v === 'number' ? (Number.isNaN(v) ? '' : String(v)) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csv = (header: string[], rows: Array<Array<number | string>>) => [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';

async function exploreCommand(sessionPath: string, options: ExploreOptions): Promise<void> {
  const json = readJsonFile(sessionPath) as Record<string, unknown>;
  const config = parseSessionSpec(json, sessionPath);
  const model = await loadReferencedModel(config.model, config.simulator, dirname(sessionPath));
  await ensureSimulatorApproved(config.simulator, sessionPath, options);
  // Without --project the session lives in a temporary project: the same engine calls, nothing left behind.
  const temporary = options.project ? undefined : mkdtempSync(join(tmpdir(), 'sciope-explore-'));
  try {
    await withCliEngine(options, 'all', (engine) =>
      exploreOn(engine, options.project ?? join(temporary!, 'explore.sciope'), { sessionPath, json, config, model }, options),
    );
  } finally {
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  }
}

interface SessionInput {
  sessionPath: string;
  json: Record<string, unknown>;
  config: SessionConfig;
  model: ReactionNetworkInput;
}

/** The session's model as a model of the project (what explore.create starts a session on). */
async function storeSessionModel(engine: CliEngine, input: SessionInput): Promise<number> {
  const spec = input.config.model;
  if (input.config.simulator) return (await engine.call('models.addSimulator', { name: input.config.name, simulator: input.config.simulator })).id;
  const example =
    typeof spec === 'object' && 'example' in spec
      ? spec.example
      : typeof spec === 'string' && getExample(spec) && !existsSync(resolve(dirname(input.sessionPath), spec))
        ? spec
        : undefined;
  if (example) return (await engine.call('models.addExample', { example })).id;
  return (await engine.call('models.save', { name: input.model.name ?? input.config.name, model: input.model })).id;
}

async function exploreOn(engine: CliEngine, projectPath: string, input: SessionInput, options: ExploreOptions): Promise<void> {
  const { config } = input;
  const name = config.name;
  engine.allowSimulator(config.simulator, await engine.openProject(projectPath, true));
  let view: ExplorationView;
  if ((await engine.call('explore.list')).includes(name)) {
    await engine.call('explore.open', { name });
    view = await engine.call('explore.label', { name, labels: config.labels });
  } else {
    const settings = Object.fromEntries(Object.entries(input.json).filter(([key]) => key !== 'model'));
    view = await engine.call('explore.create', { modelId: await storeSessionModel(engine, input), session: { ...settings, name } });
  }
  const show = !options.quiet && Boolean(process.stderr.isTTY);
  const batches = options.batches ?? 1;
  for (let b = 0; b < batches; b++) {
    const bar = new ProgressBar(process.stderr, `${name}: batch ${view.batches.length}`);
    try {
      view = await engine.exploring(
        name,
        () => engine.call('explore.runBatch', { name }),
        (done, total) => show && bar.update(done, total),
        `${name}: cancelled (interrupted)`,
      );
    } finally {
      if (show) bar.done();
    }
  }
  const pointCount = view.parameters.length;
  if (pointCount === 0) throw new ExplorationError('batches', 'no points to explore: run at least one batch (--batches 1)');
  const out = resolve(options.out ?? join(dirname(input.sessionPath), `${name}-explore`));
  mkdirSync(out, { recursive: true });
  const names = view.parameterNames;
  const batchOf = view.batches.flatMap((b) => Array.from({ length: b.count }, () => b.index));
  writeFileSync(
    join(out, 'parameters.csv'),
    csv(
      ['point', 'batch', ...names],
      view.parameters.map((r, i) => [i, batchOf[i], ...r]),
    ),
  );
  writeFileSync(
    join(out, 'features.csv'),
    csv(
      ['point', 'batch', ...view.featureNames],
      view.features.map((r, i) => [i, batchOf[i], ...r.map((v) => v ?? NaN)]),
    ),
  );
  const embedding = await engine.exploring(
    name,
    () => engine.call('explore.embed', { name }),
    () => undefined,
    `${name}: cancelled (interrupted)`,
  );
  const labels = Array.from({ length: pointCount }, (_, i) => view.labels[String(i)] ?? -1);
  const hasLabels = labels.some((l) => l >= 0);
  const propagated = hasLabels ? await engine.call('explore.propagate', { name }) : undefined;
  const className = (c: number) => (c >= 0 ? (view.classNames[c] ?? `class ${c}`) : '');
  writeFileSync(
    join(out, 'embedding.csv'),
    csv(
      ['point', 'batch', 'x', 'y', 'label', 'predicted', 'entropy', 'margin'],
      embedding.x.map((x, i) => [
        i,
        batchOf[i],
        x,
        embedding.y[i],
        className(labels[i]),
        propagated ? className(propagated.hard[i]) : '',
        propagated ? propagated.entropy[i] : NaN,
        propagated ? propagated.margin[i] : NaN,
      ]),
    ),
  );
  let proposal: ExplorationProposal | undefined;
  if (propagated) {
    proposal = await engine.call('explore.propose', { name });
    writeFileSync(
      join(out, 'proposals.csv'),
      csv(
        [...names, 'score', ...propagated.classes.map((c) => `p(${c})`)],
        proposal.parameters.map((r, i) => [...r, proposal!.scores[i], ...proposal!.predicted[i]]),
      ),
    );
  }
  if (options.quiet) return;
  const lines = [
    `${name}: ${pointCount} points in ${view.batches.length} batch${view.batches.length === 1 ? '' : 'es'}, ${view.featureNames.length} features, embedding ${embedding.method}${embedding.explainedVariance ? ` (explained variance ${embedding.explainedVariance.map((v) => (100 * v).toFixed(1) + '%').join(', ')})` : ''}`,
    ...embedding.notes.map((n) => `note: ${n}`),
  ];
  if (propagated && proposal) {
    const counts = propagated.classes.map((c, k) => `${c}: ${propagated.hard.filter((h) => h === k).length}`);
    lines.push(`labels: ${labels.filter((l) => l >= 0).length} given, propagated (gamma ${propagated.gamma.toPrecision(3)}): ${counts.join(', ')}`);
    lines.push(`proposed ${proposal.parameters.length} points (${proposal.strategy}) in proposals.csv`);
  }
  if (options.project) lines.push(`session "${name}" stored in ${options.project}`);
  lines.push(`written to ${out}`);
  process.stdout.write(lines.join('\n') + '\n');
}
