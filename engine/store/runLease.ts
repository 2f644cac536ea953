import { hostname } from 'node:os';
import { EngineError, ProjectFileError } from '../errors/index.js';
import type { ProjectStore, RunStatus } from './ProjectStore.js';

/** Whether process `pid` of this host still exists (EPERM: it exists, owned by another user). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The run is being written by another live process (or by this one): it
 * cannot be resumed now. Nothing was changed. `host` and `pid` name the holder.
 */
export class RunBusyError extends EngineError {
  constructor(
    file: string,
    readonly runId: number,
    readonly host: string | null,
    readonly pid: number | null,
  ) {
    const here = host === hostname();
    const who = pid === process.pid && here ? 'this process' : `another process (pid ${pid}${here ? '' : ` on host ${host}`})`;
    const then = here
      ? 'wait for it to finish or cancel it, then resume'
      : `wait for it, or if that process is gone, open the project on ${host} once to release the run`;
    super('RUN_BUSY', `${file}: run ${runId} is being run by ${who}; ${then}`, { file, runId, host, pid });
  }
}

/** A run held by this process, to continue it; `release()` hands it back (idempotent). */
export interface RunLease {
  readonly runId: number;
  /**
   * Give the run up. When nothing recorded an end (completed, failed,
   * cancelled), the run gets back the status it had before the lease, so a
   * refused or crashed resume leaves it as it was. A no-op when another
   * process holds the run (it was taken over) or the project is closed.
   */
  release(): void;
}

interface LeaseRow {
  readonly status: RunStatus;
  readonly host: string | null;
  readonly pid: number | null;
  readonly finished_at: string | null;
  readonly error: string | null;
}

/** Whether the writer a `running` row names may still be writing: another host's cannot be checked, so it may. */
function holderMayLive(row: LeaseRow): boolean {
  if (row.pid === null) return false;
  if (row.host !== hostname()) return true;
  return processAlive(row.pid);
}

/**
 * Take a run for this process in one write transaction (BEGIN IMMEDIATE, so
 * two processes asking at once are served one after the other): the `runs`
 * row's status, host and pid are the lease. A run held by a live process is
 * refused with RunBusyError; one whose holder on this host has died is taken
 * over, so a killed process never blocks a run for ever. A completed run or
 * an unknown id is a ProjectFileError ('run-completed', 'no-run').
 */
export function acquireRunLease(store: ProjectStore, runId: number): RunLease {
  const host = hostname();
  const before = store.transaction(`taking run ${runId}`, () => {
    const row = store.db.prepare('SELECT status, host, pid, finished_at, error FROM runs WHERE id = ?').get(runId) as LeaseRow | undefined;
    if (!row) throw new ProjectFileError(store.path, 'no-run', `no run ${runId} in the project (see \`sciope project runs ${store.path}\`)`);
    if (row.status === 'completed') throw new ProjectFileError(store.path, 'run-completed', `run ${runId} is already completed; nothing to resume`);
    if (row.status === 'running' && holderMayLive(row)) throw new RunBusyError(store.path, runId, row.host, row.pid);
    store.db.prepare("UPDATE runs SET status = 'running', host = ?, pid = ?, finished_at = NULL, error = NULL WHERE id = ?").run(host, process.pid, runId);
    return row;
  });
  // A run taken from a dead holder goes back as interrupted, not as running.
  const restore =
    before.status === 'running'
      ? { status: 'interrupted', finishedAt: null, error: `the process writing the run (pid ${before.pid}) ended without finishing it` }
      : { status: before.status, finishedAt: before.finished_at, error: before.error };
  let released = false;
  return {
    runId,
    release() {
      if (released || !store.db.open) return;
      released = true;
      try {
        store.transaction(`releasing run ${runId}`, () => {
          store.db
            .prepare("UPDATE runs SET status = ?, finished_at = ?, error = ?, pid = NULL WHERE id = ? AND status = 'running' AND host = ? AND pid = ?")
            .run(restore.status, restore.finishedAt, restore.error, runId, host, process.pid);
        });
      } catch {
        // The row still names this process: the next open marks the run interrupted once it has exited.
      }
    },
  };
}
