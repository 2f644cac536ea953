import type { RemoteRunView } from '../../../../engine/api/contract';

/** A saved cluster as the app names it: its name, else user@host. */
export function clusterName(slurm: Record<string, unknown>): string {
  return typeof slurm.name === 'string' && slurm.name ? slurm.name : `${String(slurm.user ?? '?')}@${String(slurm.host ?? '?')}`;
}

const PHASE_WORDS: Record<NonNullable<RemoteRunView['phase']>, string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  cancelled: 'Cancelled',
  failed: 'Failed',
  stopped: 'Stopped by SLURM',
};

/** The badge of a remote run: its phase (the run statuses' colours where they share a name), and the phase in words for its tooltip. */
export function phaseBadge(view: RemoteRunView): { status: string; words: string } {
  if (view.phase === null)
    return view.problem ? { status: 'unreachable', words: 'The cluster could not be asked' } : { status: 'unknown', words: 'Not asked yet' };
  return { status: view.phase, words: PHASE_WORDS[view.phase] };
}

/** Exit codes of a process ended by SIGTERM or SIGINT (128 + signal): what a Cancel does to the job's process. */
const CANCEL_EXITS = new Set([130, 143]);

/**
 * SLURM's side in a few words: "RUNNING", "PENDING (Priority)", "TIMEOUT, exit 143". A run cancelled from
 * here shows no exit code: the 143 of the terminated process is the cancel itself, not a failure to read into.
 */
export function slurmWords(view: RemoteRunView): string {
  if (!view.state) return '–';
  const reason = view.reason ? ` (${view.reason})` : '';
  const cancelExit = view.phase === 'cancelled' && view.exitCode !== null && CANCEL_EXITS.has(view.exitCode);
  const exit = view.exitCode !== null && view.exitCode !== 0 && !cancelExit ? `, exit ${view.exitCode}` : '';
  return `${view.state}${reason}${exit}`;
}

/** What the person can do next, in words, for the line under a run that ended without completing. */
export function nextWords(view: RemoteRunView): string | null {
  switch (view.phase) {
    case 'completed':
      return view.fetched ? `Completed and fetched: run #${view.fetched.runId} of this project.` : 'Completed: Fetch adds it to this project.';
    case 'cancelled':
      return view.fetched
        ? `Cancelled; the generations it stored are run #${view.fetched.runId} of this project. Resume continues it in a new job.`
        : 'Cancelled: the generations it stored stay; Resume continues it in a new job, Fetch brings them here.';
    case 'failed':
      return "The job failed (its log's end is below): once fixed, Resume continues it from its last generation.";
    case 'stopped':
      return 'SLURM ended the job before the run did (time limit, preemption or scancel): Resume continues it from its last generation.';
    default:
      return null;
  }
}
