import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { EngineError } from '../../../errors/index.js';
import { parseSlurmSettings, type SlurmSettings } from '../slurmSettings.js';

/**
 * The remote runs started from this computer, in `remote-runs.json` of the
 * user's config folder (beside approvals.json), readable by the user only.
 * Kept there rather than in a project because a remote run belongs to the
 * person and the SSH access of this computer, not to a file that may be
 * shared: `sciope infer --detach` needs no local project, the record holds
 * how to reach the cluster (host, user, key path; never a passphrase), and
 * `sciope remote status <id>` works from any folder. The remote project
 * itself is the truth about the run; this file only says where it is.
 */
const jobSchema = z.strictObject({ id: z.string().regex(/^\d+$/), submittedAt: z.string(), kind: z.enum(['infer', 'resume']) });

/**
 * One fetch of the run: merged into a local project (the run added there as
 * `runId`), or the remote project written as a file of its own. A merge is
 * recorded so that a second one into the same project is refused rather than
 * adding the same run twice (see fetch.ts).
 */
const fetchSchema = z.strictObject({
  /** The project file merged into or written, as an absolute path. */
  project: z.string(),
  /** The run's id in that project. */
  runId: z.number().int().positive(),
  merged: z.boolean(),
  /** The job whose result was fetched: once the run is continued by a new job, fetching it again is a new result. */
  jobId: z.string().regex(/^\d+$/),
  /** The run's start as stored there: a later run that took the same id after a delete is not mistaken for it. */
  startedAt: z.string(),
  fetchedAt: z.string(),
});

const remoteRunSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  study: z.string(),
  createdAt: z.string(),
  /** The cluster's settings as given (see slurmSettings.ts), without a passphrase; `remoteDir` made absolute. */
  cluster: z.record(z.string(), z.unknown()),
  runDir: z.string(),
  cliDir: z.string(),
  jobs: z.array(jobSchema).min(1),
  /** Set by `sciope remote cancel`. */
  cancelledAt: z.string().optional(),
  /** A local project to merge the run into when fetched. */
  localProject: z.string().optional(),
  /** The study of localProject the run was submitted from (the app's "Run on cluster"): the merged run joins it. */
  localStudyId: z.number().int().positive().optional(),
  /** Where the run was fetched to, newest last (one entry per project or file). */
  fetches: z.array(fetchSchema).optional(),
});

const fileSchema = z.strictObject({ format: z.literal(1), runs: z.array(remoteRunSchema) });

export type RemoteRun = z.infer<typeof remoteRunSchema>;
export type RemoteJob = z.infer<typeof jobSchema>;
export type RemoteFetch = z.infer<typeof fetchSchema>;

export class RemoteRunError extends EngineError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

/** A short id people can type: the study's name, then 6 random hex digits. */
export function newRemoteRunId(study: string): string {
  const stem =
    study
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 24) || 'run';
  return `${stem}-${randomBytes(3).toString('hex')}`;
}

export class RemoteRunRegistry {
  readonly file: string;

  constructor(configDir: string) {
    this.file = join(configDir, 'remote-runs.json');
  }

  list(): RemoteRun[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const parsed = fileSchema.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new RemoteRunError('REMOTE_RUNS_FILE', `${this.file} is damaged (${parsed.error.issues[0]?.message}); fix or remove it`, { file: this.file });
    return parsed.data.runs;
  }

  /** The run with this id, or the only run whose id starts with it. */
  get(id: string): RemoteRun {
    const runs = this.list();
    const exact = runs.find((r) => r.id === id);
    if (exact) return exact;
    const matches = runs.filter((r) => r.id.startsWith(id));
    if (matches.length === 1) return matches[0];
    const known = runs.length > 0 ? `; known: ${runs.map((r) => r.id).join(', ')}` : '';
    throw new RemoteRunError(
      'REMOTE_RUN_UNKNOWN',
      matches.length > 1
        ? `"${id}" names several remote runs (${matches.map((r) => r.id).join(', ')})`
        : `no remote run "${id}" (see \`sciope remote list\`)${known}`,
      { id },
    );
  }

  /** Add or replace (by id) a run. */
  save(run: RemoteRun): void {
    const runs = this.list().filter((r) => r.id !== run.id);
    runs.push(remoteRunSchema.parse(run));
    this.write(runs);
  }

  private write(runs: RemoteRun[]): void {
    mkdirSync(join(this.file, '..'), { recursive: true, mode: 0o700 });
    const partial = `${this.file}.${process.pid}.partial`;
    writeFileSync(partial, JSON.stringify({ format: 1, runs }, null, 2) + '\n', { mode: 0o600 });
    chmodSync(partial, 0o600);
    renameSync(partial, this.file);
  }

  /** A run's cluster settings, validated again (the file is the user's to edit). */
  static cluster(run: RemoteRun): SlurmSettings {
    return parseSlurmSettings(run.cluster, `remote run ${run.id}`);
  }

  /** Forget a run (its files on the cluster stay). */
  remove(id: string): RemoteRun {
    const run = this.get(id);
    this.write(this.list().filter((r) => r.id !== run.id));
    return run;
  }

  update(id: string, change: (run: RemoteRun) => RemoteRun): RemoteRun {
    const updated = change(this.get(id));
    this.save(updated);
    return updated;
  }
}
