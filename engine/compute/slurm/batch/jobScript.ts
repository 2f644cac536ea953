import { posix } from 'node:path';
import { shellQuote } from '../../ssh/connection.js';
import type { SlurmSettings } from '../slurmSettings.js';

/** What the batch job asks SLURM for, and how it starts Node there: the cluster's settings (see slurmSettings.ts). */
export type BatchJobSettings = Pick<SlurmSettings, 'partition' | 'account' | 'time' | 'tasks' | 'cpusPerTask' | 'nodes' | 'nodePath' | 'setup'>;

export interface JobScriptInput {
  readonly id: string;
  /** Absolute folder of the remote run on the shared filesystem. */
  readonly runDir: string;
  /** Absolute folder of the deployed CLI package. */
  readonly cliDir: string;
  readonly settings: BatchJobSettings;
}

/** Where a job writes what it printed, and how it ended (`%j`: the job id). */
export const jobLog = (runDir: string, jobId: string) => posix.join(runDir, `job-${jobId}.log`);
export const jobExitFile = (runDir: string, jobId: string) => posix.join(runDir, `job-${jobId}.exit`);

/**
 * The sbatch script of a remote run. Its one process is the coordinator
 * (`sciope remote coordinate <run dir>`), which runs `sciope infer` (or
 * `sciope resume` when the project already holds the run) with srun workers
 * inside this allocation; the script records the coordinator's exit code in
 * `job-<id>.exit`, also when SLURM ends the job (time limit, scancel: SIGTERM,
 * trapped), so the laptop can tell how a job ended without sacct.
 * Approvals of the run's simulator go to the run's own config folder
 * (XDG_CONFIG_HOME), never to the cluster account's.
 */
export function renderJobScript({ id, runDir, cliDir, settings }: JobScriptInput): string {
  const q = shellQuote;
  const directives = [
    `--job-name=sciope-${id}`,
    ...(settings.partition ? [`--partition=${settings.partition}`] : []),
    ...(settings.account ? [`--account=${settings.account}`] : []),
    `--time=${settings.time}`,
    `--ntasks=${settings.tasks}`,
    `--cpus-per-task=${settings.cpusPerTask}`,
    ...(settings.nodes ? [`--nodes=${settings.nodes}`] : []),
    `--output=${posix.join(runDir, 'job-%j.log')}`,
    '--open-mode=append',
  ];
  for (const d of directives) if (/\s/.test(d)) throw new RangeError(`SLURM option with white space: ${d}`);
  return [
    '#!/bin/bash',
    ...directives.map((d) => `#SBATCH ${d}`),
    '# Written by `sciope infer --detach`; see `sciope remote --help`.',
    'set -u',
    `cd ${q(runDir)} || exit 2`,
    `exit_file=${q(runDir)}/job-"$SLURM_JOB_ID".exit`,
    // One line: the exit code and when; 143 = ended by SIGTERM (time limit, scancel).
    `record_exit() { printf '{"job":"%s","exitCode":%d,"endedAt":"%s"}\\n' "$SLURM_JOB_ID" "$1" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$exit_file"; }`,
    `trap 'kill -TERM "$coordinator" 2>/dev/null; wait "$coordinator"; record_exit 143; exit 143' TERM`,
    ...(settings.setup?.trim() ? [settings.setup.trim()] : []),
    `export XDG_CONFIG_HOME=${q(runDir)}/config`,
    `export SCIOPE_WORKER_BUNDLE_DIR=${q(cliDir)}/worker`,
    `export SCIOPE_NODE=${q(settings.nodePath ?? 'node')}`,
    // In the background and waited for, so the TERM trap runs at once.
    `${q(settings.nodePath ?? 'node')} ${q(cliDir)}/sciope.mjs remote coordinate ${q(runDir)} &`,
    'coordinator=$!',
    'wait "$coordinator"',
    'code=$?',
    'record_exit "$code"',
    'exit "$code"',
    '',
  ].join('\n');
}
