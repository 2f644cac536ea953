import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { ProjectFileError } from '../errors/index.js';
import { foreignDatabase, newerVersion, type ProjectFileProbe } from './projectFile.js';
import type { OpenOptions } from './ProjectStore.js';
import { MIGRATIONS, SCHEMA_VERSION, SCIOPE_APPLICATION_ID } from './schema.js';

/**
 * The SQLite side of opening a project: the connection for a file that
 * projectFile.ts has checked, the atomic build of a new one, migrations, and
 * SQLite's errors as ProjectFileErrors. ProjectStore.open puts them in order.
 */
export type Db = Database.Database;

const binding = (options: OpenOptions) => options.nativeBinding ?? (process.env.SCIOPE_SQLITE_BINDING || undefined);
const now = () => new Date().toISOString();
export const busyTimeout = (options: OpenOptions) => `busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`;

/**
 * A read-only project on a read-only file or folder, without a writer's -wal,
 * is read into memory (SQLite would otherwise create -wal and -shm beside it,
 * or fail where it cannot). Larger ones must be copied somewhere writable.
 */
const MAX_IN_MEMORY_BYTES = 512 * 1024 * 1024;

/** Apply missing migrations, each in its own transaction. */
export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      if (migration.version === 1) {
        db.pragma(`application_id = ${SCIOPE_APPLICATION_ID}`);
        db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
      }
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, now());
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}

/** Translate an SQLite failure into a ProjectFileError naming the file; anything else passes through. */
export function projectError(file: string, error: unknown, doing: string): unknown {
  if (error instanceof ProjectFileError) return error;
  const text = error instanceof Error ? error.message : '';
  if (/directory does not exist/.test(text)) {
    return new ProjectFileError(
      file,
      'no-folder',
      `the folder ${dirname(resolve(file))} does not exist; create it first or choose another place for the project`,
    );
  }
  if (/NODE_MODULE_VERSION|better_sqlite3\.node|Could not locate the bindings file|Cannot find module .*\.node/.test(text)) {
    return new ProjectFileError(
      file,
      'native-module',
      `cannot load better-sqlite3's native module for ${process.versions.electron ? `Electron ${process.versions.electron}` : `Node ${process.version}`} (${text.split('\n')[0]}); rebuild it for this runtime (see the README, "Native modules")`,
    );
  }
  const code = (error as { code?: unknown }).code;
  if (!(error instanceof Database.SqliteError) || typeof code !== 'string') return error;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new ProjectFileError(
      file,
      'in-use',
      `the project is in use by another process (it kept the file locked while ${doing}); close the other Sciope window or command and try again`,
      { sqlite: code },
    );
  }
  if (code === 'SQLITE_FULL')
    return new ProjectFileError(file, 'disk-full', `the disk is full: ${doing} was rolled back and nothing was written; free some space and try again`, {
      sqlite: code,
    });
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
    return new ProjectFileError(file, 'corrupted', `the project file is corrupted (${error.message}); restore it from a backup`, { sqlite: code });
  if (code.startsWith('SQLITE_READONLY'))
    return new ProjectFileError(file, 'read-only', `cannot write the project (${error.message}); check the file's permissions`, { sqlite: code });
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN'))
    return new ProjectFileError(file, 'io', `cannot read or write the project file while ${doing} (${error.message}, ${code}); nothing was changed`, {
      sqlite: code,
    });
  return error;
}

/**
 * The connection for a checked project. Writing needs the file and its
 * folder writable (SQLite makes -wal and -shm there): otherwise a precise
 * 'read-only' error, before SQLite is involved. Reading uses a read-write
 * connection with `query_only` where it can, because only a read-write
 * connection removes the -wal and -shm it made when it closes (a read-only
 * one leaves them); on a read-only file or folder it reads alongside a
 * writer's -wal, or else from an in-memory copy, so nothing is created.
 */
export function connectProject(path: string, probe: Extract<ProjectFileProbe, { kind: 'project' }>, options: OpenOptions): Db {
  const nativeBinding = binding(options);
  const folder = dirname(resolve(path));
  if (!options.readonly) {
    if (!probe.folderWritable)
      throw new ProjectFileError(
        path,
        'read-only',
        `the folder ${folder} is read-only, and SQLite keeps its write-ahead log (-wal, -shm) beside the project; move the project to a writable folder`,
      );
    if (!probe.writable)
      throw new ProjectFileError(
        path,
        'read-only',
        'the project file is read-only; check its permissions, or open it read-only (`sciope project info` and `runs` only read)',
      );
  }
  let db: Db | undefined;
  try {
    if (probe.writable && probe.folderWritable) {
      db = new Database(path, { fileMustExist: true, nativeBinding });
    } else if (probe.hasWal && probe.hasShm) {
      db = new Database(path, { readonly: true, fileMustExist: true, nativeBinding });
    } else {
      if (probe.size > MAX_IN_MEMORY_BYTES)
        throw new ProjectFileError(
          path,
          'read-only',
          `the project is on a read-only file or folder (${folder}) and too large to read in memory (${(probe.size / 2 ** 20).toFixed(0)} MiB); copy it to a writable folder to open it`,
        );
      const image = readFileSync(path);
      // SQLite's in-memory databases have no WAL: mark the copy as a rollback-journal database (header bytes 18-19).
      image[18] = 1;
      image[19] = 1;
      db = new Database(image, { nativeBinding });
    }
    if (options.readonly) db.pragma('query_only = ON');
    return db;
  } catch (error) {
    db?.close();
    throw projectError(path, error, 'opening it');
  }
}

/**
 * What the connection (the -wal included) says, checked before anything is
 * written: Sciope's application id, a schema version this engine knows, and
 * (unless `verify` is false) `PRAGMA quick_check`.
 */
export function checkProject(db: Db, path: string, options: OpenOptions): void {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  if (applicationId !== SCIOPE_APPLICATION_ID) throw foreignDatabase(path, applicationId);
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) throw newerVersion(path, version);
  if (options.verify ?? true) {
    const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
    if (rows.length !== 1 || rows[0].quick_check !== 'ok') {
      throw new ProjectFileError(
        path,
        'corrupted',
        `the project file is corrupted (${rows
          .slice(0, 3)
          .map((r) => r.quick_check)
          .join('; ')}); restore it from a backup`,
      );
    }
  }
}

/**
 * Application id 0 in the header, with a -wal and -shm beside it: a project
 * of an older Sciope whose writer died before a checkpoint, or another
 * program's live database. A read-only connection (the -wal and -shm exist,
 * so it creates nothing) reads the id through the -wal; a read-write one
 * could checkpoint another program's -wal into its database when it closes.
 */
export function confirmApplicationId(path: string, options: OpenOptions): void {
  let db: Db | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, nativeBinding: binding(options) });
    db.pragma(busyTimeout(options));
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    if (applicationId !== SCIOPE_APPLICATION_ID) throw foreignDatabase(path, applicationId);
  } catch (error) {
    throw projectError(path, error, 'reading it');
  } finally {
    db?.close();
  }
}

/**
 * A complete, closed project in `file` (a temporary, see createProjectFile).
 * Built with a rollback journal, every migration written to the file itself,
 * then switched to WAL: the header records WAL mode and the application id,
 * and no -wal is left to lose when the file is linked to its name.
 */
export function buildProject(file: string, target: string, options: OpenOptions): void {
  let db: Db | undefined;
  try {
    db = new Database(file, { fileMustExist: true, nativeBinding: binding(options) });
    db.pragma('foreign_keys = ON');
    migrate(db);
    if (db.pragma('journal_mode = WAL', { simple: true }) !== 'wal')
      throw new ProjectFileError(target, 'io', 'SQLite could not switch the new project to WAL mode');
    db.close();
  } catch (error) {
    if (db?.open) db.close();
    throw projectError(target, error, 'creating the project');
  }
}
