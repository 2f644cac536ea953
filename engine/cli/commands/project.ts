import { runSimulatorSpec } from '../../api/TrustManager.js';
import { addTrustOption, ensureSimulatorApproved, type TrustFlags } from '../simulatorApproval.js';
import { extname } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { ProjectFileError } from '../../errors/index.js';
import type { RunProgressEvent } from '../../api/contract.js';
import { withCliEngine } from '../engineSession.js';
import { exportStudy, importStudy, ProjectStore, runCsvLines, runToJson } from '../../store/index.js';
import { addExecutorOptions, type ExecutorFlags } from '../executorOptions.js';
import { InputFileError, readJsonFile } from '../jsonFile.js';
import { formatNumber, formatTable } from '../output/finalStateSummary.js';
import { PendingFile, writeFileWhole } from '../output/pendingFile.js';
import { ProgressBar } from '../progressBar.js';

const id = (name: string) => (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${name} expects a positive integer, got "${value}"`);
  return n;
};
const index = (name: string) => (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`${name} expects an integer >= 0, got "${value}"`);
  return n;
};

const PROJECT_HELP = `
A project is one .sciope file (SQLite): models, observed data, studies, every
run with every generation of particles, exploration batches, trained networks
and settings. Runs are written generation by generation: a run that is killed
loses at most the generation in flight and continues with \`sciope resume\`.
Several processes may read a project at once; one writes at a time.`;

export function registerProject(program: Command): void {
  const project = program.command('project').description('create and inspect .sciope project files').addHelpText('after', PROJECT_HELP);
  project
    .command('new')
    .description('create an empty project')
    .argument('<file>', 'project file to create (.sciope)')
    .action((file: string) => {
      // Built under a temporary name and linked into place: never a half-made file, never over another one.
      ProjectStore.open(file, { create: true, exclusive: true }).close();
      process.stdout.write(`created project ${file}\n`);
    });
  project
    .command('info')
    .description('what a project holds')
    .argument('<file>', 'project file')
    .action((file: string) => withStore(file, (store) => process.stdout.write(infoText(store) + '\n')));
  project
    .command('runs')
    .description('list the runs of a project')
    .argument('<file>', 'project file')
    .action((file: string) => withStore(file, (store) => process.stdout.write(runsText(store) + '\n')));
  project
    .command('export')
    .description('export a run (CSV or JSON) or a study (self-contained JSON)')
    .argument('<file>', 'project file')
    .argument('[run-id]', 'run to export', id('run-id'))
    .requiredOption('-o, --out <file>', 'output: .csv (particles of every generation, or --generation) or .json (the whole run)')
    .option('-g, --generation <G>', 'CSV: only this generation', index('--generation'))
    .option('--study <id>', 'export this study with its model and observed data instead of a run', id('--study'))
    .action(async (file: string, runId: number | undefined, options: { out: string; generation?: number; study?: number }) => {
      const store = ProjectStore.open(file, { readonly: true });
      try {
        await exportCommand(store, runId, options);
      } finally {
        store.close();
      }
    });
  project
    .command('import')
    .description('import a study exported with `sciope project export --study`')
    .argument('<file>', 'project file (created if missing)')
    .argument('<study.json>', 'exported study')
    .action((file: string, studyFile: string) => {
      const json = readJsonFile(studyFile);
      const store = ProjectStore.open(file, { create: true });
      try {
        const studyId = importStudy(store, json, studyFile);
        process.stdout.write(`imported study ${studyId} into ${file}\n`);
      } finally {
        store.close();
      }
    });

  const resume = program
    .command('resume')
    .description('continue an interrupted run of a project from its last stored generation (same result as an uninterrupted run)')
    .argument('<run-id>', 'run to continue (see `sciope project runs`)', id('run-id'))
    .requiredOption('--project <file>', 'project file (.sciope)')
    .option('-o, --out <file>', 'also write the posterior to a .csv or .json file')
    .option('-q, --quiet', 'no progress and no summary');
  addTrustOption(resume);
  addExecutorOptions(resume, 'all').action((runId: number, options: ResumeOptions) => resumeCommand(runId, options));
}

/** Read-only: nothing is written, and no -wal or -shm is left beside the file (see ProjectStore.open). */
function withStore(file: string, fn: (store: ProjectStore) => void): void {
  const store = ProjectStore.open(file, { readonly: true });
  try {
    fn(store);
  } finally {
    store.close();
  }
}

function infoText(store: ProjectStore): string {
  const info = store.info();
  const c = info.counts;
  const statuses = Object.entries(info.runsByStatus)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const lines = [
    `${info.path}: Sciope project, schema version ${info.schemaVersion}, ${(info.bytes / 1024).toFixed(0)} KiB`,
    `models ${c.models}, observed datasets ${c.observed_datasets}, parameter sets ${c.parameter_sets}, studies ${c.studies}`,
    `runs ${c.runs}${statuses ? ` (${statuses})` : ''}, generations ${c.generations}, particles ${c.particles.toLocaleString('en-US')}`,
    `exploration batches ${c.exploration_batches}, networks ${c.networks}, settings ${c.settings}`,
  ];
  const studies = store.listStudies();
  if (studies.length > 0) {
    lines.push(
      '',
      formatTable(
        ['study', 'name', 'created'],
        studies.map((s) => [String(s.id), s.name, s.createdAt]),
      ),
    );
  }
  return lines.join('\n');
}

function runsText(store: ProjectStore): string {
  const runs = store.listRuns();
  if (runs.length === 0) return `${store.path}: no runs`;
  const studies = new Map(store.listStudies().map((s) => [s.id, s.name]));
  const rows = runs.map((r) => {
    const generations = store.listGenerations(r.id);
    const last = generations[generations.length - 1];
    return [
      String(r.id),
      studies.get(r.studyId) ?? String(r.studyId),
      r.algorithm,
      String(r.seed),
      r.status,
      String(generations.length),
      last ? formatNumber(last.epsilon) : '',
      r.stopReason ?? '',
      r.startedAt.replace('T', ' ').slice(0, 19),
    ];
  });
  return formatTable(['run', 'study', 'algorithm', 'seed', 'status', 'generations', 'epsilon', 'stopped', 'started'], rows);
}

async function exportCommand(store: ProjectStore, runId: number | undefined, options: { out: string; generation?: number; study?: number }): Promise<void> {
  const ext = extname(options.out).toLowerCase();
  if (options.study !== undefined) {
    if (ext !== '.json') throw new InputFileError(options.out, 'a study exports to a .json file');
    writeFileWhole(options.out, JSON.stringify(exportStudy(store, options.study), null, 2) + '\n');
    process.stdout.write(`study ${options.study} written to ${options.out}\n`);
    return;
  }
  if (runId === undefined) throw new ProjectFileError(store.path, 'no-run', 'give the run to export (see `sciope project runs`), or --study <id>');
  if (ext === '.json') {
    writeFileWhole(options.out, JSON.stringify(runToJson(store, runId)));
  } else if (ext === '.csv') {
    // Streamed: a run's particle table can be larger than memory allows as one string.
    const out = PendingFile.open(options.out);
    try {
      let lines: string[] = [];
      for (const line of runCsvLines(store, runId, options.generation)) {
        lines.push(line);
        if (lines.length < 4096) continue;
        out.write(lines.join('\n') + '\n');
        lines = [];
      }
      if (lines.length > 0) out.write(lines.join('\n') + '\n');
      out.commit();
    } finally {
      out.discard();
    }
  } else {
    throw new InputFileError(options.out, `unsupported output format "${ext}"; expected .csv or .json`);
  }
  process.stdout.write(`run ${runId} written to ${options.out}\n`);
}

interface ResumeOptions extends ExecutorFlags, TrustFlags {
  project: string;
  out?: string;
  quiet?: boolean;
}

async function resumeCommand(runId: number, options: ResumeOptions): Promise<void> {
  if (options.out && !['.csv', '.json'].includes(extname(options.out).toLowerCase()))
    throw new InputFileError(options.out, 'unsupported output format; expected a .csv or .json file');
  // Asked before the engine opens the project: the person approves for the project file they named.
  const store = ProjectStore.open(options.project, { readonly: true });
  let simulator;
  let resumedAfter: number;
  try {
    if (!store.getRun(runId))
      throw new ProjectFileError(store.path, 'no-run', `no run ${runId} in the project (see \`sciope project runs ${options.project}\`)`);
    simulator = runSimulatorSpec(store, runId);
    resumedAfter = store.listGenerations(runId).length;
  } finally {
    store.close();
  }
  await ensureSimulatorApproved(simulator, options.project, options);
  const show = !options.quiet && Boolean(process.stderr.isTTY);
  let bar: ProgressBar | undefined;
  const onProgress = (event: RunProgressEvent) => {
    if (!show) return;
    if (event.phase === 'sampling') {
      bar ??= new ProgressBar(process.stderr, `run ${runId}: generation ${event.generation + 1}`);
      bar.update(Math.min(event.accepted, event.populationSize), event.populationSize);
      return;
    }
    bar?.done();
    bar = undefined;
    process.stderr.write(
      `generation ${event.generation + 1}: epsilon ${formatNumber(event.epsilon)}, acceptance ${(100 * event.acceptanceRate).toFixed(1)}%\n`,
    );
  };
  const posterior = await withCliEngine(options, 'all', async (engine) => {
    engine.allowSimulator(simulator, await engine.openProject(options.project, false));
    // The run's lease is taken here: a run another process is running is refused (RUN_BUSY) before any worker starts.
    await engine.call('runs.resume', { runId });
    try {
      await engine.followRun(runId, onProgress, `run ${runId}: cancelled (interrupted); resume it again later`);
    } finally {
      bar?.done();
    }
    const stored = ProjectStore.open(options.project, { readonly: true });
    try {
      return stored.loadPosterior(runId);
    } finally {
      stored.close();
    }
  });
  if (options.out)
    writeFileWhole(
      options.out,
      extname(options.out).toLowerCase() === '.csv' ? posterior.toCsv() : JSON.stringify({ summary: posterior.summary(), posterior: posterior.toJSON() }),
    );
  if (!options.quiet) {
    const last = posterior.last;
    process.stdout.write(
      `run ${runId}: resumed after ${resumedAfter} stored generation${resumedAfter === 1 ? '' : 's'}; completed with ${posterior.generations.length} generations, stopped: ${posterior.stopReason}\n` +
        `final generation ${last.index + 1}: ${last.count} particles, epsilon ${formatNumber(last.epsilon)}\n`,
    );
  }
}
