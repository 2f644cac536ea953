import type { RunStatus } from '../../../../engine/api/contract';

/**
 * Run states in plain words: statuses, the engine's stop reasons
 * (engine/infer StopReason) and the errors a cancelled run leaves behind.
 * Every view that names a run's state takes its words from here.
 */

const STATUS_WORDS: Record<RunStatus, string> = {
  running: 'Running',
  completed: 'Completed',
  interrupted: 'Interrupted',
  failed: 'Failed',
  cancelled: 'Cancelled',
};
/** Not a stored status: a run the app cannot follow while the engine is unreachable. */
const DISCONNECTED = 'No connection';

/** A status as a badge shows it; anything unknown is shown as given. */
export function statusWords(status: string): string {
  if (status === 'disconnected') return DISCONNECTED;
  return (STATUS_WORDS as Record<string, string>)[status] ?? status;
}

const STOP_REASONS: Record<string, string> = {
  populationComplete: 'stopped with the population complete',
  budgetExhausted: 'stopped when the simulation budget ran out',
  maxTrials: 'stopped at the maximum number of trials',
  epsilonTarget: 'stopped on reaching the target tolerance',
  maxGenerations: 'stopped at the maximum number of generations',
  minAcceptanceRate: 'stopped when the acceptance rate fell below its minimum',
  maxSimulations: 'stopped at the maximum number of simulations',
  epsilonSchedule: 'stopped at the end of the tolerance schedule',
};

/** Why a run stopped, in words: "stopped at the maximum number of generations". */
export function stopReasonWords(reason: string | null | undefined): string | null {
  if (!reason) return null;
  return STOP_REASONS[reason] ?? `stopped: ${reason}`;
}

/** Error codes and messages that only say the run was stopped on request (an AbortSignal). */
const CANCEL_CODES = new Set(['CANCELLED', 'ABORTED', 'ABORT_ERR']);
const CANCEL_MESSAGE = /^(this operation was aborted|the operation was aborted|aborted|cancelled|canceled)\.?$/i;

/** True when an error only says that the run was cancelled. */
export function isCancellation(error: { code?: string | null; name?: string | null; message?: string | null } | null | undefined): boolean {
  if (!error) return false;
  return (error.code != null && CANCEL_CODES.has(error.code)) || error.name === 'AbortError' || CANCEL_MESSAGE.test((error.message ?? '').trim());
}

/** The error line under a run: none for a cancelled run (its badge says Cancelled), the message otherwise. */
export function runErrorWords(status: string | null | undefined, error: string | null | undefined): string | null {
  if (!error) return null;
  if (status === 'cancelled' || isCancellation({ message: error })) return null;
  return error;
}

/**
 * The progress bar's label: counts while sampling, "starting…" only for a
 * running run that has not reported yet, the state in words otherwise. A
 * generation that accepts more than the population size can only be the
 * last one of a simulation budget, which runs every remaining trial and
 * keeps every acceptance (engine/infer/smcAbc.ts): it is named as such
 * rather than shown as "240 / 200".
 */
export function progressWords(status: string | null | undefined, accepted: number | null, populationSize: number | null, connected = true): string {
  if (!connected && status === 'running') return 'no connection to the engine';
  if (accepted !== null && populationSize !== null && populationSize > 0 && accepted > populationSize) {
    return `final generation, using all remaining simulations: ${accepted.toLocaleString('en-US')} accepted`;
  }
  if (accepted !== null && populationSize !== null) return `${accepted.toLocaleString('en-US')} / ${populationSize.toLocaleString('en-US')} accepted`;
  if (status === 'running' || status === null || status === undefined) return 'starting…';
  return statusWords(status);
}

/**
 * Elapsed time shown for a run: the engine's figure (time spent running in
 * this engine, so a resumed run does not count the hours it sat
 * interrupted), ticked on between events only while the run is running and
 * the engine is reachable; a lost connection freezes it rather than
 * counting the outage.
 */
export function shownElapsed(engineSeconds: number | null, secondsSinceEvent: number, running: boolean, connected: boolean): number | null {
  if (engineSeconds === null) return null;
  return running && connected ? engineSeconds + Math.max(0, secondsSinceEvent) : engineSeconds;
}
