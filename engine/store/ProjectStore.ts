import { readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import { ProjectFileError } from '../errors/index.js';
import { checkPathText } from '../paths/index.js';
import type { Generation } from '../infer/types.js';
import { Posterior } from '../infer/Posterior.js';
import type { StopReason } from '../infer/types.js';
import type { PartSpec } from '../stats/types.js';
import { fromBlob, real, toBlob } from './blob.js';
import { buildProject, busyTimeout, checkProject, confirmApplicationId, connectProject, migrate, projectError, type Db } from './connection.js';
import { createProjectFile, pathTaken, probeProjectFile } from './projectFile.js';
import { acquireRunLease, processAlive, type RunLease } from './runLease.js';

export { projectError } from './connection.js';

type Statement = Database.Statement;

export type RunStatus = 'running' | 'completed' | 'interrupted' | 'failed' | 'cancelled';
export const RUN_STATUSES: readonly RunStatus[] = ['running', 'completed', 'interrupted', 'failed', 'cancelled'];

export interface OpenOptions {
  /** Create the project when the file does not exist (atomically: see createProjectFile). Default false. */
  readonly create?: boolean;
  /** With create: fail with reason 'exists' when the file exists, even when it is a project (`sciope project new`). */
  readonly exclusive?: boolean;
  /**
   * Open for reading only: nothing is written (runs left running by a dead
   * process are shown as interrupted, not marked), and no -wal or -shm file
   * is left behind. Works on a read-only file or folder.
   */
  readonly readonly?: boolean;
  /** How long a write waits for another process's write transaction before "in use" (default 5000 ms). */
  readonly busyTimeoutMs?: number;
  /** Run `PRAGMA quick_check` on open to report a corrupted file up front (default true). */
  readonly verify?: boolean;
  /**
   * better-sqlite3's compiled addon to load instead of the one in node_modules
   * (default: $SCIOPE_SQLITE_BINDING). Electron's main process passes a build
   * for Electron's ABI here, so node_modules keeps the Node build that tests
   * and the CLI use.
   */
  readonly nativeBinding?: string;
}

export interface ModelRecord {
  readonly id: number;
  readonly name: string;
  readonly format: 'json' | 'sbml' | 'example' | 'simulator';
  /** Original text (JSON or SBML), or the example's name. */
  readonly source: string;
  /** The validated model. */
  readonly parsed: unknown;
  readonly createdAt: string;
}

export interface ObservedRecord {
  readonly id: number;
  readonly name: string;
  readonly format: 'csv';
  readonly source: string;
  readonly species: readonly string[] | null;
  readonly createdAt: string;
}

export interface ParameterSetRecord {
  readonly id: number;
  readonly name: string;
  readonly kind: 'prior' | 'point';
  readonly spec: Record<string, unknown>;
  readonly createdAt: string;
}

export interface StudyRecord {
  readonly id: number;
  readonly name: string;
  /** Where the study came from (its file), used in messages and as the default name. */
  readonly source: string;
  /** The study JSON exactly as given. */
  readonly config: Record<string, unknown>;
  readonly modelId: number | null;
  readonly observedId: number | null;
  readonly createdAt: string;
}

export interface RunRecord {
  readonly id: number;
  readonly studyId: number;
  readonly algorithm: string;
  readonly seed: number;
  readonly status: RunStatus;
  /** Overrides of the study's settings the run was started with (populationSize, maxGenerations). */
  readonly options: Record<string, unknown>;
  readonly parameterNames: readonly string[];
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly engineVersion: string;
  readonly host: string | null;
  readonly pid: number | null;
  readonly stopReason: StopReason | null;
  readonly simulations: number | null;
  readonly resultConfig: Record<string, unknown> | null;
  readonly error: string | null;
}

export interface GenerationInfo {
  readonly runId: number;
  readonly index: number;
  readonly epsilon: number;
  readonly acceptanceRate: number;
  readonly simulations: number;
  readonly ess: number;
  readonly count: number;
  readonly dimension: number;
  readonly featureCount: number;
  readonly createdAt: string;
}

export interface ParticleRow {
  readonly generation: number;
  readonly index: number;
  readonly parameters: Float64Array;
  readonly weight: number;
  readonly distance: number;
  readonly statistics: Float64Array;
}

export interface ExplorationBatchInput {
  readonly studyId?: number | null;
  readonly name: string;
  readonly count: number;
  readonly dimension: number;
  readonly featureCount: number;
  readonly points: Float64Array;
  readonly features?: Float64Array | null;
  readonly trajectories?: Float64Array | null;
  readonly labels?: Float64Array | null;
  readonly predicted?: Float64Array | null;
  readonly meta?: Record<string, unknown>;
}

export interface ExplorationBatchRecord extends Required<Omit<ExplorationBatchInput, 'studyId'>> {
  readonly id: number;
  readonly studyId: number | null;
  readonly createdAt: string;
}

export interface NetworkRecord {
  readonly id: number;
  readonly name: string;
  readonly topology: unknown;
  readonly weights: Uint8Array;
  readonly meta: Record<string, unknown>;
  readonly createdAt: string;
}

export interface ProjectInfo {
  readonly path: string;
  readonly schemaVersion: number;
  readonly bytes: number;
  readonly counts: Readonly<Record<string, number>>;
  readonly runsByStatus: Readonly<Partial<Record<RunStatus, number>>>;
}

/** Keys never stored in settings: secrets stay in key files or the SSH agent. */
const SECRET_KEY = /^(password|passphrase|secret|token|privateKeyData|key)$/i;

function engineVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return process.env.npm_package_version ?? 'unknown';
  }
}

export const ENGINE_VERSION = engineVersion();

const now = () => new Date().toISOString();
const json = (value: unknown) => JSON.stringify(value);
const parse = <T>(text: string | null): T => (text === null ? null : JSON.parse(text)) as T;

/**
 * A Sciope project: one SQLite file (`.sciope`) in WAL mode with foreign
 * keys on. Opening refuses a path with a control character, then checks from
 * the file's header, before SQLite sees the file, that it is an SQLite
 * database whose `application_id` is Sciope's and whose schema version this
 * engine knows (projectFile.ts); otherwise a ProjectFileError says why and
 * the file is left as it was, byte for byte, with no -wal or -shm beside it.
 * Missing migrations are then applied, each in a transaction. A new project
 * is built under a temporary name and linked into place (createProjectFile).
 *
 * Several processes: WAL lets any number of readers work while one process
 * writes (the CLI can show a run the app is writing). Writes are short (one
 * transaction per generation or batch); a writer that finds the file locked
 * waits `busyTimeoutMs` and then fails with reason "in-use". A run records
 * the host and pid of its writer: when a project is opened, runs left
 * `running` by a process of this host that no longer exists are marked
 * `interrupted` (runs of another host are left alone: their writer may live).
 */
export class ProjectStore {
  readonly path: string;
  readonly readonly: boolean;
  private readonly statements = new Map<string, Statement>();

  private constructor(
    readonly db: Db,
    path: string,
    readonly: boolean,
  ) {
    this.path = path;
    this.readonly = readonly;
  }

  static open(path: string, options: OpenOptions = {}): ProjectStore {
    // Refused before any file call: below Node, a NUL would cut the path short, so the
    // file checked and the file SQLite opens would differ. `path` is what SQLite opens.
    checkPathText(path, 'project file');
    if (options.create && options.exclusive && pathTaken(path)) throw new ProjectFileError(path, 'exists', 'the file already exists; choose another name');
    let probe = probeProjectFile(path);
    if (probe.kind === 'missing') {
      if (!options.create || options.readonly) throw new ProjectFileError(path, 'not-found', 'no such project file (create one with `sciope project new`)');
      try {
        createProjectFile(path, (temporary) => buildProject(temporary, path, options));
      } catch (error) {
        // Another process created it meanwhile: open theirs, unless a new file was asked for.
        if (options.exclusive || !(error instanceof ProjectFileError) || error.reason !== 'exists') throw error;
      }
      probe = probeProjectFile(path);
      if (probe.kind === 'missing') throw new ProjectFileError(path, 'not-found', 'the project was removed as soon as it was created');
    }
    if (probe.unconfirmed) confirmApplicationId(path, options);
    const readonly = options.readonly ?? false;
    const db = connectProject(path, probe, options);
    try {
      db.pragma(busyTimeout(options));
      // Nothing is written before this passes (the header said so; the -wal may say otherwise).
      checkProject(db, path, options);
      db.pragma('foreign_keys = ON');
      if (!readonly) {
        if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        migrate(db);
      }
      const store = new ProjectStore(db, path, readonly);
      if (!readonly) store.markDeadRunsInterrupted();
      return store;
    } catch (error) {
      db.close();
      throw projectError(path, error, 'opening it');
    }
  }

  private markDeadRunsInterrupted(): void {
    const here = hostname();
    const running = this.db.prepare("SELECT id, host, pid FROM runs WHERE status = 'running'").all() as Array<{
      id: number;
      host: string | null;
      pid: number | null;
    }>;
    for (const run of running) {
      if (run.host !== here || (run.pid !== null && processAlive(run.pid))) continue;
      this.db
        .prepare("UPDATE runs SET status = 'interrupted', error = ? WHERE id = ? AND status = 'running'")
        .run(`the process writing the run (pid ${run.pid}) ended without finishing it`, run.id);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  private stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /** Run `fn` in one transaction; SQLite failures (busy, disk full, corrupt) become ProjectFileErrors after the rollback. */
  transaction<T>(doing: string, fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (error) {
      throw projectError(this.path, error, doing);
    }
  }

  private guard<T>(doing: string, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw projectError(this.path, error, doing);
    }
  }

  // ---- models, observed data, parameter sets, studies ----

  addModel(model: { name: string; format: ModelRecord['format']; source: string; parsed: unknown }): number {
    return this.transaction('storing a model', () =>
      Number(
        this.stmt('INSERT INTO models (name, format, source, parsed, created_at) VALUES (?, ?, ?, ?, ?)').run(
          model.name,
          model.format,
          model.source,
          json(model.parsed),
          now(),
        ).lastInsertRowid,
      ),
    );
  }

  getModel(id: number): ModelRecord | undefined {
    const row = this.guard('reading a model', () => this.stmt('SELECT * FROM models WHERE id = ?').get(id)) as Record<string, unknown> | undefined;
    return (
      row && {
        id: row.id as number,
        name: row.name as string,
        format: row.format as ModelRecord['format'],
        source: row.source as string,
        parsed: parse(row.parsed as string),
        createdAt: row.created_at as string,
      }
    );
  }

  /** Studies that use a model (a used model is kept: its runs must stay reproducible). */
  studiesOfModel(id: number): Array<{ id: number; name: string }> {
    return this.guard('reading studies', () => this.stmt('SELECT id, name FROM studies WHERE model_id = ? ORDER BY id').all(id)) as Array<{
      id: number;
      name: string;
    }>;
  }

  /** Replace a model no study uses yet (edits in the model editor). */
  updateModel(id: number, model: { name: string; format: ModelRecord['format']; source: string; parsed: unknown }): void {
    this.transaction('updating a model', () =>
      this.stmt('UPDATE models SET name = ?, format = ?, source = ?, parsed = ? WHERE id = ?').run(
        model.name,
        model.format,
        model.source,
        json(model.parsed),
        id,
      ),
    );
  }

  /** Delete a model no study uses (the schema refuses otherwise). */
  deleteModel(id: number): void {
    this.transaction('deleting a model', () => this.stmt('DELETE FROM models WHERE id = ?').run(id));
  }

  listModels(): Array<Omit<ModelRecord, 'source' | 'parsed'>> {
    return this.guard('listing models', () => this.stmt('SELECT id, name, format, created_at AS createdAt FROM models ORDER BY id').all()) as Array<
      Omit<ModelRecord, 'source' | 'parsed'>
    >;
  }

  addObserved(data: { name: string; source: string; species?: readonly string[] | null }): number {
    return this.transaction('storing observed data', () =>
      Number(
        this.stmt("INSERT INTO observed_datasets (name, format, source, species, created_at) VALUES (?, 'csv', ?, ?, ?)").run(
          data.name,
          data.source,
          data.species ? json(data.species) : null,
          now(),
        ).lastInsertRowid,
      ),
    );
  }

  getObserved(id: number): ObservedRecord | undefined {
    const row = this.guard('reading observed data', () => this.stmt('SELECT * FROM observed_datasets WHERE id = ?').get(id)) as
      | Record<string, unknown>
      | undefined;
    return (
      row && {
        id: row.id as number,
        name: row.name as string,
        format: 'csv',
        source: row.source as string,
        species: parse(row.species as string | null),
        createdAt: row.created_at as string,
      }
    );
  }

  listObserved(): Array<Omit<ObservedRecord, 'source'>> {
    const rows = this.guard('listing observed data', () =>
      this.stmt('SELECT id, name, format, species, created_at AS createdAt FROM observed_datasets ORDER BY id').all(),
    ) as Array<Record<string, unknown>>;
    return rows.map((r) => ({ ...(r as Omit<ObservedRecord, 'source' | 'species'>), species: parse(r.species as string | null) }));
  }

  addParameterSet(set: { name: string; kind: ParameterSetRecord['kind']; spec: Record<string, unknown> }): number {
    return this.transaction('storing a parameter set', () =>
      Number(
        this.stmt('INSERT INTO parameter_sets (name, kind, spec, created_at) VALUES (?, ?, ?, ?)').run(set.name, set.kind, json(set.spec), now())
          .lastInsertRowid,
      ),
    );
  }

  listParameterSets(): ParameterSetRecord[] {
    const rows = this.guard('listing parameter sets', () => this.stmt('SELECT * FROM parameter_sets ORDER BY id').all()) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      id: r.id as number,
      name: r.name as string,
      kind: r.kind as ParameterSetRecord['kind'],
      spec: parse(r.spec as string),
      createdAt: r.created_at as string,
    }));
  }

  addStudy(study: { name: string; source: string; config: Record<string, unknown>; modelId?: number | null; observedId?: number | null }): number {
    return this.transaction('storing a study', () =>
      Number(
        this.stmt('INSERT INTO studies (name, source, config, model_id, observed_id, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
          study.name,
          study.source,
          json(study.config),
          study.modelId ?? null,
          study.observedId ?? null,
          now(),
        ).lastInsertRowid,
      ),
    );
  }

  private studyRow(row: Record<string, unknown>): StudyRecord {
    return {
      id: row.id as number,
      name: row.name as string,
      source: row.source as string,
      config: parse(row.config as string),
      modelId: row.model_id as number | null,
      observedId: row.observed_id as number | null,
      createdAt: row.created_at as string,
    };
  }

  getStudy(id: number): StudyRecord | undefined {
    const row = this.guard('reading a study', () => this.stmt('SELECT * FROM studies WHERE id = ?').get(id)) as Record<string, unknown> | undefined;
    return row && this.studyRow(row);
  }

  listStudies(): StudyRecord[] {
    return (this.guard('listing studies', () => this.stmt('SELECT * FROM studies ORDER BY id').all()) as Array<Record<string, unknown>>).map((r) =>
      this.studyRow(r),
    );
  }

  /** Id of an identical model, observed dataset or study already stored (so repeated runs of a study share them), else undefined. */
  findModel(model: { format: string; source: string; parsed: unknown }): number | undefined {
    return (
      this.guard('finding a model', () =>
        this.stmt('SELECT id FROM models WHERE format = ? AND source = ? AND parsed = ? ORDER BY id LIMIT 1').get(
          model.format,
          model.source,
          json(model.parsed),
        ),
      ) as { id: number } | undefined
    )?.id;
  }

  findObserved(data: { source: string; species?: readonly string[] | null }): number | undefined {
    return (
      this.guard('finding observed data', () =>
        this.stmt('SELECT id FROM observed_datasets WHERE source = ? AND species IS ? ORDER BY id LIMIT 1').get(
          data.source,
          data.species ? json(data.species) : null,
        ),
      ) as { id: number } | undefined
    )?.id;
  }

  findStudy(study: { source: string; config: Record<string, unknown>; modelId: number; observedId: number }): number | undefined {
    return (
      this.guard('finding a study', () =>
        this.stmt('SELECT id FROM studies WHERE source = ? AND config = ? AND model_id = ? AND observed_id = ? ORDER BY id LIMIT 1').get(
          study.source,
          json(study.config),
          study.modelId,
          study.observedId,
        ),
      ) as { id: number } | undefined
    )?.id;
  }

  // ---- runs ----

  createRun(run: { studyId: number; algorithm: string; seed: number; options?: Record<string, unknown>; parameterNames: readonly string[] }): number {
    return this.transaction('starting a run', () =>
      Number(
        this.stmt(
          "INSERT INTO runs (study_id, algorithm, seed, status, options, parameter_names, started_at, engine_version, host, pid) VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)",
        ).run(run.studyId, run.algorithm, run.seed, json(run.options ?? {}), json(run.parameterNames), now(), ENGINE_VERSION, hostname(), process.pid)
          .lastInsertRowid,
      ),
    );
  }

  /**
   * A run's status as readers should see it: a read-only store does not mark
   * runs of dead processes interrupted (it writes nothing), so it shows them so.
   */
  private shownStatus(status: RunStatus, host: string | null, pid: number | null): RunStatus {
    return this.readonly && status === 'running' && host === hostname() && pid !== null && !processAlive(pid) ? 'interrupted' : status;
  }

  private runRow(r: Record<string, unknown>): RunRecord {
    return {
      id: r.id as number,
      studyId: r.study_id as number,
      algorithm: r.algorithm as string,
      seed: r.seed as number,
      status: this.shownStatus(r.status as RunStatus, r.host as string | null, r.pid as number | null),
      options: parse(r.options as string),
      parameterNames: parse(r.parameter_names as string),
      startedAt: r.started_at as string,
      finishedAt: r.finished_at as string | null,
      engineVersion: r.engine_version as string,
      host: r.host as string | null,
      pid: r.pid as number | null,
      stopReason: r.stop_reason as StopReason | null,
      simulations: r.simulations as number | null,
      resultConfig: parse(r.result_config as string | null),
      error: r.error as string | null,
    };
  }

  getRun(id: number): RunRecord | undefined {
    const row = this.guard('reading a run', () => this.stmt('SELECT * FROM runs WHERE id = ?').get(id)) as Record<string, unknown> | undefined;
    return row && this.runRow(row);
  }

  listRuns(filter: { studyId?: number; status?: RunStatus } = {}): RunRecord[] {
    const rows = this.guard('listing runs', () =>
      this.stmt('SELECT * FROM runs WHERE (@study IS NULL OR study_id = @study) AND (@status IS NULL OR status = @status) ORDER BY id').all({
        study: filter.studyId ?? null,
        status: filter.status ?? null,
      }),
    ) as Array<Record<string, unknown>>;
    return rows.map((r) => this.runRow(r));
  }

  /**
   * Take a run for this process before continuing it (see runLease.ts): throws
   * RunBusyError while another live process (or this one) runs it, takes it
   * over from a dead one. `release()` when done; resumeRun does both.
   */
  acquireRunLease(runId: number): RunLease {
    return acquireRunLease(this, runId);
  }

  /** This process takes over a run unconditionally: status running, host and pid of this process (acquireRunLease checks first). */
  claimRun(id: number): void {
    this.transaction('resuming a run', () => {
      this.stmt("UPDATE runs SET status = 'running', host = ?, pid = ?, finished_at = NULL, error = NULL WHERE id = ?").run(hostname(), process.pid, id);
    });
  }

  completeRun(id: number, result: { stopReason: StopReason; simulations: number; config: Record<string, unknown> }): void {
    this.transaction('finishing a run', () => {
      this.stmt(
        "UPDATE runs SET status = 'completed', finished_at = ?, stop_reason = ?, simulations = ?, result_config = ?, pid = NULL, error = NULL WHERE id = ?",
      ).run(now(), result.stopReason, result.simulations, json(result.config), id);
    });
  }

  /** Record how a run ended without a result: failed, cancelled or interrupted (an error message for people). */
  endRun(id: number, status: Exclude<RunStatus, 'running' | 'completed'>, error?: string): void {
    this.transaction('finishing a run', () => {
      this.stmt('UPDATE runs SET status = ?, finished_at = ?, error = ?, pid = NULL WHERE id = ?').run(status, now(), error ?? null, id);
    });
  }

  /** Date a run by when it ran where it was made (a run copied from another project: see mergeRun), not by when it was copied. */
  setRunTimes(id: number, times: { startedAt: string; finishedAt: string | null }): void {
    this.transaction('dating a run', () => {
      this.stmt('UPDATE runs SET started_at = ?, finished_at = ? WHERE id = ?').run(times.startedAt, times.finishedAt, id);
    });
  }

  deleteRun(id: number): void {
    this.transaction('deleting a run', () => void this.stmt('DELETE FROM runs WHERE id = ?').run(id));
  }

  // ---- generations and particles ----

  /** Store one generation and its particles in one transaction (all or nothing). */
  addGeneration(runId: number, g: Generation): void {
    const d = g.dimension;
    const f = g.featureCount;
    if (g.particles.length !== g.count * d || g.features.length !== g.count * f || g.weights.length !== g.count || g.distances.length !== g.count) {
      throw new RangeError(`generation ${g.index}: arrays do not match count ${g.count}, dimension ${d}, featureCount ${f}`);
    }
    const insertGeneration = this.stmt(
      'INSERT INTO generations (run_id, idx, epsilon, acceptance_rate, simulations, ess, count, dimension, feature_count, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertParticle = this.stmt('INSERT INTO particles (run_id, generation, idx, parameters, weight, distance, statistics) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.transaction(`storing generation ${g.index}`, () => {
      insertGeneration.run(runId, g.index, g.epsilon, g.acceptanceRate, g.simulations, g.ess, g.count, d, f, json({ distance: g.distance }), now());
      for (let i = 0; i < g.count; i++) {
        insertParticle.run(
          runId,
          g.index,
          i,
          toBlob(g.particles.subarray(i * d, (i + 1) * d)),
          g.weights[i],
          g.distances[i],
          toBlob(g.features.subarray(i * f, (i + 1) * f)),
        );
      }
    });
  }

  private generationInfo(r: Record<string, unknown>): GenerationInfo {
    return {
      runId: r.run_id as number,
      index: r.idx as number,
      epsilon: real(r.epsilon as number | null),
      acceptanceRate: real(r.acceptance_rate as number | null),
      simulations: r.simulations as number,
      ess: real(r.ess as number | null),
      count: r.count as number,
      dimension: r.dimension as number,
      featureCount: r.feature_count as number,
      createdAt: r.created_at as string,
    };
  }

  listGenerations(runId: number): GenerationInfo[] {
    return (
      this.guard('listing generations', () => this.stmt('SELECT * FROM generations WHERE run_id = ? ORDER BY idx').all(runId)) as Array<Record<string, unknown>>
    ).map((r) => this.generationInfo(r));
  }

  /** Index of the run's last stored generation, or -1. */
  lastGenerationIndex(runId: number): number {
    const row = this.guard('reading generations', () => this.stmt('SELECT max(idx) AS last FROM generations WHERE run_id = ?').get(runId)) as {
      last: number | null;
    };
    return row.last ?? -1;
  }

  /** One stored generation, exactly as the algorithm produced it. */
  loadGeneration(runId: number, index: number): Generation {
    const row = this.guard('reading a generation', () => this.stmt('SELECT * FROM generations WHERE run_id = ? AND idx = ?').get(runId, index)) as
      | Record<string, unknown>
      | undefined;
    if (!row) throw new RangeError(`run ${runId} has no generation ${index}`);
    const info = this.generationInfo(row);
    const { count, dimension: d, featureCount: f } = info;
    const particles = new Float64Array(count * d);
    const features = new Float64Array(count * f);
    const weights = new Float64Array(count);
    const distances = new Float64Array(count);
    let i = 0;
    for (const p of this.iterateParticles(runId, index)) {
      if (p.index !== i) throw new ProjectFileError(this.path, 'corrupted', `run ${runId}, generation ${index}: particle ${i} is missing`);
      particles.set(p.parameters, i * d);
      features.set(p.statistics, i * f);
      weights[i] = p.weight;
      distances[i] = p.distance;
      i++;
    }
    if (i !== count) throw new ProjectFileError(this.path, 'corrupted', `run ${runId}, generation ${index}: ${i} particles stored, expected ${count}`);
    const state = parse<{ distance: PartSpec }>(row.state as string);
    return {
      index,
      epsilon: info.epsilon,
      count,
      dimension: d,
      particles,
      weights,
      distances,
      features,
      featureCount: f,
      simulations: info.simulations,
      acceptanceRate: info.acceptanceRate,
      ess: info.ess,
      distance: state.distance,
    };
  }

  loadGenerations(runId: number): Generation[] {
    return this.listGenerations(runId).map((g) => this.loadGeneration(runId, g.index));
  }

  /** Stream particles (one generation, or every generation of the run) without loading the table. */
  *iterateParticles(runId: number, generation?: number): IterableIterator<ParticleRow> {
    const rows = this.guard('reading particles', () =>
      generation === undefined
        ? this.db
            .prepare('SELECT generation, idx, parameters, weight, distance, statistics FROM particles WHERE run_id = ? ORDER BY generation, idx')
            .iterate(runId)
        : this.db
            .prepare('SELECT generation, idx, parameters, weight, distance, statistics FROM particles WHERE run_id = ? AND generation = ? ORDER BY idx')
            .iterate(runId, generation),
    ) as IterableIterator<Record<string, unknown>>;
    for (const r of rows) {
      yield {
        generation: r.generation as number,
        index: r.idx as number,
        parameters: fromBlob(r.parameters as Buffer),
        weight: real(r.weight as number | null),
        distance: real(r.distance as number | null),
        statistics: fromBlob(r.statistics as Buffer),
      };
    }
  }

  /** A completed run's posterior, every generation included. */
  loadPosterior(runId: number): Posterior {
    const run = this.getRun(runId);
    if (!run) throw new RangeError(`no run ${runId} in ${this.path}`);
    if (run.status !== 'completed' || !run.stopReason)
      throw new ProjectFileError(
        this.path,
        'incomplete',
        `run ${runId} is ${run.status}, not completed${run.status === 'interrupted' ? ` (resume it: sciope resume --project ${this.path} ${runId})` : ''}`,
      );
    return new Posterior(run.parameterNames, this.loadGenerations(runId), run.resultConfig ?? {}, run.stopReason, run.simulations ?? 0);
  }

  // ---- exploration batches, networks, settings ----

  addExplorationBatch(batch: ExplorationBatchInput): number {
    const blob = (v: Float64Array | null | undefined) => (v ? toBlob(v) : null);
    return this.transaction('storing an exploration batch', () =>
      Number(
        this.stmt(
          'INSERT INTO exploration_batches (study_id, name, count, dimension, feature_count, points, features, trajectories, labels, predicted, meta, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        ).run(
          batch.studyId ?? null,
          batch.name,
          batch.count,
          batch.dimension,
          batch.featureCount,
          toBlob(batch.points),
          blob(batch.features),
          blob(batch.trajectories),
          blob(batch.labels),
          blob(batch.predicted),
          json(batch.meta ?? {}),
          now(),
        ).lastInsertRowid,
      ),
    );
  }

  getExplorationBatch(id: number): ExplorationBatchRecord | undefined {
    const r = this.guard('reading an exploration batch', () => this.stmt('SELECT * FROM exploration_batches WHERE id = ?').get(id)) as
      | Record<string, unknown>
      | undefined;
    if (!r) return undefined;
    const blob = (v: unknown) => (v === null ? null : fromBlob(v as Buffer));
    return {
      id: r.id as number,
      studyId: r.study_id as number | null,
      name: r.name as string,
      count: r.count as number,
      dimension: r.dimension as number,
      featureCount: r.feature_count as number,
      points: fromBlob(r.points as Buffer),
      features: blob(r.features),
      trajectories: blob(r.trajectories),
      labels: blob(r.labels),
      predicted: blob(r.predicted),
      meta: parse(r.meta as string),
      createdAt: r.created_at as string,
    };
  }

  /** Store the user's labels (and/or the predicted ones) of a batch. */
  updateExplorationLabels(id: number, labels: { labels?: Float64Array | null; predicted?: Float64Array | null }): void {
    this.transaction('storing labels', () => {
      if (labels.labels !== undefined)
        this.stmt('UPDATE exploration_batches SET labels = ? WHERE id = ?').run(labels.labels ? toBlob(labels.labels) : null, id);
      if (labels.predicted !== undefined)
        this.stmt('UPDATE exploration_batches SET predicted = ? WHERE id = ?').run(labels.predicted ? toBlob(labels.predicted) : null, id);
    });
  }

  listExplorationBatches(): Array<{ id: number; studyId: number | null; name: string; count: number; createdAt: string }> {
    return this.guard('listing exploration batches', () =>
      this.stmt('SELECT id, study_id AS studyId, name, count, created_at AS createdAt FROM exploration_batches ORDER BY id').all(),
    ) as Array<{ id: number; studyId: number | null; name: string; count: number; createdAt: string }>;
  }

  addNetwork(network: { name: string; topology: unknown; weights: Uint8Array; meta?: Record<string, unknown> }): number {
    return this.transaction('storing a network', () =>
      Number(
        this.stmt('INSERT INTO networks (name, topology, weights, meta, created_at) VALUES (?, ?, ?, ?, ?)').run(
          network.name,
          json(network.topology),
          Buffer.from(network.weights.buffer, network.weights.byteOffset, network.weights.byteLength),
          json(network.meta ?? {}),
          now(),
        ).lastInsertRowid,
      ),
    );
  }

  getNetwork(id: number): NetworkRecord | undefined {
    const r = this.guard('reading a network', () => this.stmt('SELECT * FROM networks WHERE id = ?').get(id)) as Record<string, unknown> | undefined;
    return (
      r && {
        id: r.id as number,
        name: r.name as string,
        topology: parse(r.topology as string),
        weights: new Uint8Array(r.weights as Buffer),
        meta: parse(r.meta as string),
        createdAt: r.created_at as string,
      }
    );
  }

  listNetworks(): Array<{ id: number; name: string; createdAt: string }> {
    return this.guard('listing networks', () => this.stmt('SELECT id, name, created_at AS createdAt FROM networks ORDER BY id').all()) as Array<{
      id: number;
      name: string;
      createdAt: string;
    }>;
  }

  /** Store a JSON setting (e.g. "ssh.nodes"). Secrets are refused: keys stay in files or the SSH agent. */
  setSetting(key: string, value: unknown): void {
    const secret = findSecret(value, key);
    if (secret)
      throw new ProjectFileError(
        this.path,
        'secret',
        `setting "${key}" holds a secret at ${secret}; projects never store passwords or passphrases (use a key file or the SSH agent)`,
      );
    this.transaction(
      'storing a setting',
      () => void this.stmt('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, json(value)),
    );
  }

  getSetting<T = unknown>(key: string): T | undefined {
    const row = this.guard('reading a setting', () => this.stmt('SELECT value FROM settings WHERE key = ?').get(key)) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  deleteSetting(key: string): void {
    this.transaction('deleting a setting', () => void this.stmt('DELETE FROM settings WHERE key = ?').run(key));
  }

  listSettings(): Record<string, unknown> {
    const rows = this.guard('listing settings', () => this.stmt('SELECT key, value FROM settings ORDER BY key').all()) as Array<{ key: string; value: string }>;
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value)]));
  }

  // ---- overview ----

  info(): ProjectInfo {
    const tables = [
      'models',
      'observed_datasets',
      'parameter_sets',
      'studies',
      'runs',
      'generations',
      'particles',
      'exploration_batches',
      'networks',
      'settings',
    ];
    const counts = Object.fromEntries(
      tables.map((t) => [t, (this.guard('counting rows', () => this.db.prepare(`SELECT count(*) AS n FROM ${t}`).get()) as { n: number }).n]),
    );
    const runs = this.guard('counting runs', () => this.db.prepare('SELECT status, host, pid FROM runs').all()) as Array<{
      status: RunStatus;
      host: string | null;
      pid: number | null;
    }>;
    const counted: Partial<Record<RunStatus, number>> = {};
    for (const r of runs) {
      const status = this.shownStatus(r.status, r.host, r.pid);
      counted[status] = (counted[status] ?? 0) + 1;
    }
    const runsByStatus = Object.fromEntries(Object.entries(counted).sort(([a], [b]) => a.localeCompare(b)));
    return { path: this.path, schemaVersion: this.schemaVersion, bytes: statSync(this.path).size, counts, runsByStatus };
  }
}

function findSecret(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findSecret(value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEY.test(k) && v !== undefined && v !== null && v !== '') return `${path}.${k}`;
      const found = findSecret(v, `${path}.${k}`);
      if (found) return found;
    }
  }
  return undefined;
}
