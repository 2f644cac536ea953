import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStudy } from '../../../infer/study.js';
import { ProjectStore } from '../../../store/index.js';
import { readManifest, verifyApprovedSimulator } from './manifest.js';
import { readRunProgress, writeProgressFile } from './progress.js';

export interface CoordinateOptions {
  /** Runs the sciope command line in this process (engine/cli/main.ts's main), returning its exit code. */
  readonly runCli: (argv: string[]) => Promise<number>;
  /** How often progress.json is refreshed while the run goes on (default 2000 ms). */
  readonly progressMs?: number;
  readonly log?: (line: string) => void;
}

/**
 * The batch job's coordinator, on the cluster, in the run's folder:
 * 1. reads manifest.json and checks that the uploaded simulator is the
 *    content approved on the laptop (verifyApprovedSimulator; approvals
 *    then go to the run's own config folder, $XDG_CONFIG_HOME set by the job);
 * 2. runs `sciope infer <study> --project project.sciope --executor slurm`
 *    (workers as srun steps of this job), or, when the project already holds
 *    the run (an earlier job was killed by its time limit, cancelled or
 *    failed), `sciope resume <run> --project ...`, which continues from the
 *    last stored generation to the same result as an uninterrupted run;
 * 3. meanwhile refreshes progress.json (see progress.ts) for the laptop.
 * Returns the command's exit code.
 */
export async function coordinateRun(runDir: string, options: CoordinateOptions): Promise<number> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const manifest = readManifest(join(runDir, 'manifest.json'));
  const studyPath = join(runDir, manifest.study);
  const project = join(runDir, manifest.project);
  const progressFile = join(runDir, 'progress.json');
  const study = parseStudy(JSON.parse(readFileSync(studyPath, 'utf8')), studyPath);
  verifyApprovedSimulator(study.simulator, manifest.simulator, join(runDir, 'manifest.json'));

  const existing = existsSync(project) ? takeOverRun(project, process.env.SLURM_JOB_ID) : null;
  if (existing?.completed) {
    log(`sciope remote coordinate: run ${existing.id} is already completed; nothing to do`);
    return 0;
  }
  const common = ['--project', project, '--executor', 'slurm', ...(manifest.simulator ? ['--trust'] : [])];
  const argv = existing
    ? ['resume', String(existing.id), ...common]
    : [
        'infer',
        studyPath,
        ...common,
        '--seed',
        String(manifest.seed),
        ...(manifest.populationSize !== undefined ? ['--population-size', String(manifest.populationSize)] : []),
        ...(manifest.maxGenerations !== undefined ? ['--populations', String(manifest.maxGenerations)] : []),
      ];
  log(`sciope remote coordinate: job ${process.env.SLURM_JOB_ID ?? '?'}: sciope ${argv.join(' ')}`);

  const refresh = () => {
    try {
      const progress = readRunProgress(project);
      if (progress) writeProgressFile(progressFile, progress);
    } catch (error) {
      // A busy or half-created project is read again at the next tick.
      log(`sciope remote coordinate: progress not refreshed: ${(error as Error).message}`);
    }
  };
  const timer = setInterval(refresh, options.progressMs ?? 2000);
  timer.unref();
  try {
    return await options.runCli(['node', 'sciope', ...argv]);
  } finally {
    clearInterval(timer);
    refresh();
  }
}

/**
 * The run an earlier job of this remote run left unfinished, if any, made
 * resumable. Only one job of a remote run is ever queued at a time (`remote
 * resume` refuses while one is), so a run still marked running was written
 * by a job that is over: on a cluster it may have run on another node, where
 * this process cannot check its pid, so it is released here explicitly.
 */
function takeOverRun(project: string, jobId: string | undefined): { id: number; completed: boolean } | null {
  const store = ProjectStore.open(project);
  try {
    const run = store.listRuns().at(-1);
    if (!run) return null;
    if (run.status === 'running') store.endRun(run.id, 'interrupted', `its SLURM job ended before the run did; continued by job ${jobId ?? '?'}`);
    return { id: run.id, completed: run.status === 'completed' };
  } finally {
    store.close();
  }
}
