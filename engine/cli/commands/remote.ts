import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { coordinateRun } from '../../compute/slurm/batch/coordinator.js';
import { fetchRun } from '../../compute/slurm/batch/fetch.js';
import { refuseSecondMerge } from '../../compute/slurm/batch/fetchRecord.js';
import type { RunProgress } from '../../compute/slurm/batch/progress.js';
import { attachRun, cancelRun, readStatus, resubmitRun, type RemoteStatus } from '../../compute/slurm/batch/remoteControl.js';
import { remoteOutcome } from '../../compute/slurm/batch/remoteOutcome.js';
import { RemoteRunError, RemoteRunRegistry, type RemoteRun } from '../../compute/slurm/batch/remoteRuns.js';
import { withRemoteRun } from '../../compute/slurm/batch/runConnections.js';
import { submitDetached, type DetachedStudy } from '../../compute/slurm/batch/submit.js';
import type { SlurmClient } from '../../compute/slurm/SlurmClient.js';
import { parseSlurmSettings } from '../../compute/slurm/slurmSettings.js';
import { slurmSettingsInput, type SlurmFlags } from '../slurmFlags.js';
import type { CliRunner } from '../commandCatalogue.js';
import { readJsonFile } from '../jsonFile.js';
import { formatNumber, formatTable } from '../output/finalStateSummary.js';
import { userConfigDir } from '../simulatorApproval.js';
import { promptPassphrase } from './nodes.js';

const REMOTE_HELP = `
A study submitted with \`sciope infer <study> --executor slurm --slurm cluster.json --detach\`
runs as one SLURM batch job on the cluster: its coordinator runs \`sciope infer\` there with
srun workers and writes the project on the cluster's shared filesystem, so this computer may
sleep or disconnect. Remote runs are listed in remote-runs.json in your config folder
($XDG_CONFIG_HOME/sciope or ~/.config/sciope); an id may be shortened to any unique prefix.`;

const registry = () => new RemoteRunRegistry(userConfigDir());

/** Connect to a run's login node, do `fn`, disconnect. */
const withRun = <T>(id: string, fn: (client: SlurmClient, run: RemoteRun) => Promise<T>): Promise<T> => withRemoteRun(registry(), id, { promptPassphrase }, fn);

const percent = (rate: number) => `${(100 * rate).toFixed(1)}%`;

function generationLine(g: RunProgress['generations'][number]): string {
  return `generation ${g.index + 1}: epsilon ${formatNumber(g.epsilon)}, acceptance ${percent(g.acceptanceRate)}, ESS ${formatNumber(Math.round(g.ess))}, ${g.simulations.toLocaleString('en-US')} simulations`;
}

function jobLine(status: RemoteStatus): string {
  const { job } = status;
  const ended = job.inQueue
    ? ''
    : job.killed
      ? ' (ended by SLURM: time limit, preemption or scancel)'
      : job.exitCode !== undefined && job.exitCode !== 0
        ? ` (exit code ${job.exitCode})`
        : '';
  return `job ${job.jobId}: ${job.state}${job.reason ? ` (${job.reason})` : ''}${ended}`;
}

function runLine(progress: RunProgress | null): string {
  if (!progress) return 'run: not started yet';
  const last = progress.generations.at(-1);
  const head = `run ${progress.runId} (${progress.study}): ${progress.status}, ${progress.generations.length} generation${progress.generations.length === 1 ? '' : 's'}`;
  const tail = progress.stopReason ? `, stopped: ${progress.stopReason}` : progress.error ? `: ${progress.error}` : '';
  return last ? `${head}; last: ${generationLine(last)}${tail}` : `${head}${tail}`;
}

/** What to do next, when something is to be done. */
function nextStep(status: RemoteStatus): string | null {
  const { phase, action } = remoteOutcome(status);
  if (!action) return null;
  const advice = {
    completed: 'fetch it',
    cancelled: 'cancelled; continue it with',
    failed: 'the job failed (its log, above, says why); once fixed, continue with',
    stopped: 'the job ended before the run did; continue it from its last generation with',
  }[phase as 'completed' | 'cancelled' | 'failed' | 'stopped'];
  return `${advice}: sciope remote ${action} ${status.run.id}`;
}

function statusText(status: RemoteStatus): string {
  const { run } = status;
  const lines = [`remote run ${run.id} (${run.study}) in ${run.runDir}`, jobLine(status), runLine(status.progress)];
  if (status.progress) for (const g of status.progress.generations.slice(0, -1).slice(-5)) lines.push(`  ${generationLine(g)}`);
  if (!status.job.inQueue && status.logTail.trim() && status.progress?.status !== 'completed')
    lines.push(`the job's log ends with:\n${status.logTail.trimEnd().replace(/^/gm, '  ')}`);
  for (const f of run.fetches ?? []) lines.push(f.merged ? `fetched as run ${f.runId} of ${f.project}` : `fetched to ${f.project}`);
  const next = nextStep(status);
  if (next) lines.push(next);
  return lines.join('\n');
}

export function registerRemote(program: Command, cli: CliRunner): void {
  const remote = program
    .command('remote')
    .description('follow, fetch and cancel studies running as SLURM batch jobs (`sciope infer --detach`)')
    .addHelpText('after', REMOTE_HELP);
  remote
    .command('list')
    .description('the remote runs started from this computer')
    .action(() => {
      const runs = registry().list();
      if (runs.length === 0)
        return void process.stdout.write('no remote runs (start one with `sciope infer <study> --executor slurm --slurm cluster.json --detach`)\n');
      const rows = runs.map((r) => [
        r.id,
        r.study,
        String(r.cluster.host),
        r.jobs.map((j) => j.id).join(', '),
        [r.cancelledAt ? 'cancelled' : '', r.fetches?.length ? 'fetched' : ''].filter(Boolean).join(', '),
        r.createdAt.replace('T', ' ').slice(0, 19),
      ]);
      process.stdout.write(formatTable(['id', 'study', 'cluster', 'jobs', '', 'submitted'], rows) + '\n');
    });
  remote
    .command('status')
    .description("the run's job in SLURM's queue and its progress (generation, epsilon, acceptance)")
    .argument('<id>', 'remote run id (see `sciope remote list`)')
    .option('--json', 'print the status as JSON')
    .action((id: string, options: { json?: boolean }) =>
      withRun(id, async (client, run) => {
        const status = await readStatus(client, run);
        process.stdout.write((options.json ? JSON.stringify({ id: run.id, job: status.job, progress: status.progress }) : statusText(status)) + '\n');
      }),
    );
  remote
    .command('attach')
    .description('follow the run while connected: a line per generation, until the job ends (Ctrl-C detaches; the job goes on)')
    .argument('<id>', 'remote run id')
    .option(
      '--interval <seconds>',
      'how often to look',
      (value: string) => {
        const n = Number(value);
        if (!(n >= 0.2 && n <= 600)) throw new InvalidArgumentError(`--interval expects seconds between 0.2 and 600, got "${value}"`);
        return n;
      },
      2,
    )
    .action((id: string, options: { interval: number }) =>
      withRun(id, async (client, run) => {
        const controller = new AbortController();
        const detach = () => controller.abort();
        process.once('SIGINT', detach);
        let shown = -1;
        let lastJob = '';
        try {
          const last = await attachRun(client, run, {
            intervalMs: options.interval * 1000,
            signal: controller.signal,
            onStatus: (status) => {
              const job = jobLine(status);
              if (job !== lastJob) process.stderr.write(`${job}\n`);
              lastJob = job;
              for (const g of status.progress?.generations ?? []) {
                if (g.index <= shown) continue;
                process.stdout.write(`${generationLine(g)}\n`);
                shown = g.index;
              }
            },
          });
          if (controller.signal.aborted) return void process.stderr.write(`detached; the job goes on (sciope remote attach ${run.id} to follow it again)\n`);
          process.stdout.write(`${runLine(last.progress)}\n`);
          const next = nextStep(last);
          if (next) process.stdout.write(`${next}\n`);
        } finally {
          process.removeListener('SIGINT', detach);
        }
      }),
    );
  remote
    .command('fetch')
    .description('download the finished run: as a project file (--out), or merged into a local project (--merge)')
    .argument('<id>', 'remote run id')
    .option('-o, --out <file.sciope>', 'write the remote project here (default: <id>.sciope, unless the run was started with --project: then merged into it)')
    .option(
      '--merge <project.sciope>',
      'add the run (with its study, model and data) to this local project, created if missing; refused when an earlier fetch added it there',
    )
    .action((id: string, options: { out?: string; merge?: string }) => {
      if (options.out && options.merge) throw new InvalidArgumentError('give --out or --merge, not both');
      const known = registry().get(id);
      const mergeInto = options.merge ?? (options.out ? undefined : known.localProject);
      const target = mergeInto ? { mergeInto } : { out: options.out ?? resolve(`${known.id}.sciope`) };
      // Recorded in remote-runs.json: merging into a project that already holds the run is refused, before connecting (--out still writes a copy).
      if (mergeInto) refuseSecondMerge(known, mergeInto);
      return withRun(id, async (client, run) => {
        const fetched = await fetchRun(client, run, target, { registry: registry() });
        const progress = fetched.status.progress;
        process.stdout.write(
          `${fetched.merged ? `merged as run ${fetched.runId} into` : `written to`} ${fetched.project}` +
            `${progress ? ` (${progress.status}, ${progress.generations.length} generations)` : ''}\n`,
        );
      });
    });
  remote
    .command('cancel')
    .description("scancel the run's job; the generations stored so far stay (continue with `sciope remote resume`)")
    .argument('<id>', 'remote run id')
    .action((id: string) =>
      withRun(id, async (client, run) => {
        const job = await cancelRun(client, run, registry());
        process.stdout.write(
          job.inQueue ? `job ${job.jobId} cancelled (it was ${job.state})\n` : `job ${job.jobId} had already ended (${job.state}); nothing to cancel\n`,
        );
      }),
    );
  remote
    .command('resume')
    .description('submit a new job that continues the run from its last stored generation (after a time limit, a cancel or a failure)')
    .argument('<id>', 'remote run id')
    .option('--time <limit>', "the new job's wall time (minutes, HH:MM:SS or D-HH:MM:SS; default: the run's)")
    .action((id: string, options: { time?: string }) =>
      withRun(id, async (client, run) => {
        const jobId = await resubmitRun(client, run, registry(), options);
        process.stdout.write(`remote run ${run.id}: job ${jobId} submitted; it continues from the last stored generation\n`);
      }),
    );
  remote
    .command('forget')
    .description('remove an ended run from the list (its files on the cluster stay)')
    .argument('<id>', 'remote run id')
    .action((id: string) =>
      withRun(id, async (client, run) => {
        const status = await readStatus(client, run);
        if (status.job.inQueue)
          throw new RemoteRunError(
            'REMOTE_RUN_BUSY',
            `remote run ${run.id}: job ${status.job.jobId} is still ${status.job.state}; cancel it first (sciope remote cancel ${run.id})`,
            { id: run.id },
          );
        registry().remove(run.id);
        process.stdout.write(`remote run ${run.id} removed from the list; its folder stays on the cluster: ${run.runDir}\n`);
      }),
    );
  remote
    .command('coordinate', { hidden: true })
    .description("(run by the batch job on the cluster) the run's coordinator")
    .argument('<run-dir>', "the remote run's folder")
    .action(async (runDir: string) => {
      const code = await coordinateRun(resolve(runDir), { runCli: cli.runCli });
      // The job script records this code; the outer main() would report 0 for this command itself.
      process.exit(code);
    });
}

/** Flags of `sciope infer` that `--detach` reads: the cluster as `--executor slurm` takes it, and where to merge the result. */
export interface DetachFlags extends SlurmFlags {
  executor?: string;
  project?: string;
  quiet?: boolean;
}

/**
 * `sciope infer <study> --executor slurm --slurm cluster.json --detach`:
 * submit the study as a batch job and return once SLURM accepted it. The
 * caller has parsed the study, loaded its model and had its simulator
 * approved here.
 */
export async function inferDetached(detached: DetachedStudy, flags: DetachFlags): Promise<void> {
  if (flags.executor !== 'slurm' && !flags.slurm && !flags.slurmHost)
    throw new InvalidArgumentError('--detach runs the study as a SLURM batch job: give --executor slurm with --slurm <cluster.json> (or the --slurm-* flags)');
  // The cluster exactly as `--executor slurm` reads it: the file, the flags on top.
  const file = flags.slurm ? (readJsonFile(flags.slurm) as Record<string, unknown>) : {};
  const cluster = parseSlurmSettings(
    slurmSettingsInput(flags, file),
    flags.slurm ?? 'the --slurm-* flags',
    flags.slurm ? dirname(resolve(flags.slurm)) : process.cwd(),
  );
  const say = (line: string) => {
    if (!flags.quiet) process.stderr.write(`${line}\n`);
  };
  const run = await submitDetached(detached, {
    cluster,
    configDir: userConfigDir(),
    promptPassphrase,
    ...(flags.project ? { localProject: resolve(flags.project) } : {}),
    onStep: say,
  });
  const job = run.jobs[0].id;
  process.stdout.write(`remote run ${run.id}: job ${job} submitted to ${String(run.cluster.host)}\n`);
  say(`follow it: sciope remote attach ${run.id}   status: sciope remote status ${run.id}   results: sciope remote fetch ${run.id}`);
}
