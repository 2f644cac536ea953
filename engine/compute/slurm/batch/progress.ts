import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ProjectStore, type RunStatus } from '../../../store/index.js';

/**
 * What a remote run has done so far, as the job writes it to
 * `progress.json` beside the project. The job writes it, not the laptop's
 * reader: SQLite's WAL mode needs every reader on the writer's host (its
 * shared-memory index does not work across the hosts of a network
 * filesystem), so the process that writes the project also writes this small
 * file, replaced atomically (write, then rename), which any host can read.
 */
export interface RunProgress {
  readonly runId: number;
  readonly study: string;
  readonly status: RunStatus;
  readonly generations: ReadonlyArray<{
    readonly index: number;
    readonly epsilon: number;
    readonly acceptanceRate: number;
    readonly ess: number;
    readonly simulations: number;
    readonly count: number;
  }>;
  readonly stopReason: string | null;
  readonly simulations: number | null;
  readonly error: string | null;
  /** When this snapshot was taken (ISO time). */
  readonly at: string;
}

/** The progress of `runId` (default: the project's last run) read from a project, or null when it has no run yet. */
export function readRunProgress(projectPath: string, runId?: number): RunProgress | null {
  if (!existsSync(projectPath)) return null;
  const store = ProjectStore.open(projectPath, { readonly: true });
  try {
    const runs = store.listRuns();
    const run = runId === undefined ? runs.at(-1) : runs.find((r) => r.id === runId);
    if (!run) return null;
    const study = store.getStudy(run.studyId);
    return {
      runId: run.id,
      study: study?.name ?? String(run.studyId),
      status: run.status,
      generations: store
        .listGenerations(run.id)
        .map((g) => ({ index: g.index, epsilon: g.epsilon, acceptanceRate: g.acceptanceRate, ess: g.ess, simulations: g.simulations, count: g.count })),
      stopReason: run.stopReason,
      simulations: run.simulations,
      error: run.error,
      at: new Date().toISOString(),
    };
  } finally {
    store.close();
  }
}

/** Replace `file` with `progress` atomically (a reader sees the old or the new file, never half of one). */
export function writeProgressFile(file: string, progress: RunProgress): void {
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, JSON.stringify(progress) + '\n');
  renameSync(partial, file);
}

export function parseProgress(text: string): RunProgress | null {
  try {
    const value = JSON.parse(text) as RunProgress;
    return typeof value === 'object' && value !== null && Array.isArray(value.generations) ? value : null;
  } catch {
    return null;
  }
}

export function readProgressFile(file: string): RunProgress | null {
  return existsSync(file) ? parseProgress(readFileSync(file, 'utf8')) : null;
}
