import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, copyFileSync, existsSync, fsyncSync, linkSync, lstatSync, openSync, readSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ProjectFileError } from '../errors/index.js';
import { SCHEMA_VERSION, SCIOPE_APPLICATION_ID } from './schema.js';

/**
 * What is at a project path, found before SQLite is given the file: SQLite
 * writes to whatever it opens (journal mode, -wal and -shm files, recovery),
 * so a file that is not a Sciope project must be refused from its first 100
 * bytes, read with a plain read-only file descriptor.
 *
 * Header fields (https://www.sqlite.org/fileformat2.html#the_database_header):
 * bytes 0-15 the magic string, 60-63 `user_version`, 68-71 `application_id`,
 * both big-endian. A Sciope project gets its application id in the header
 * before it is given its name (see createProjectFile), so the header alone
 * tells ours from others.
 */
export type ProjectFileProbe =
  | { readonly kind: 'missing' }
  | {
      readonly kind: 'project';
      readonly size: number;
      /** Another process may be writing (its -wal and -shm are there). */
      readonly hasWal: boolean;
      readonly hasShm: boolean;
      /** The file, and its folder (SQLite creates -wal and -shm there), can be written by this process. */
      readonly writable: boolean;
      readonly folderWritable: boolean;
      /**
       * Application id 0 in the header, with a -wal and -shm beside the file: a
       * project made by an older Sciope whose writer was killed before its first
       * checkpoint. Only SQLite, reading the -wal, can tell (read-only, nothing created).
       */
      readonly unconfirmed: boolean;
    };

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const HEADER_BYTES = 100;

const sidecars = (path: string) => [`${path}-wal`, `${path}-shm`, `${path}-journal`];

const canWrite = (path: string) => {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

function fileSystemError(path: string, error: unknown, doing: string, writing = true): ProjectFileError {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new ProjectFileError(path, 'disk-full', `the disk is full while ${doing}; nothing was created; free some space and try again`, { errno: e.code });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      if (!writing)
        return new ProjectFileError(path, 'no-access', `permission denied while ${doing} (${e.code}); check the permissions of the file and its folders`, {
          errno: e.code,
        });
      return new ProjectFileError(path, 'read-only', `cannot write in ${dirname(resolve(path))} while ${doing} (${e.code}); check the folder's permissions`, {
        errno: e.code,
      });
    default:
      return new ProjectFileError(path, 'io', `cannot read or write the project file while ${doing} (${e.message})`, { errno: e.code });
  }
}

/** Look at `path` without SQLite and without writing: missing, a Sciope project (by its header), or a ProjectFileError saying what it is instead. */
export function probeProjectFile(path: string): ProjectFileProbe {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    throw fileSystemError(path, error, 'looking at it', false);
  }
  if (stats.isDirectory()) throw new ProjectFileError(path, 'not-a-project', 'is a directory, expected a .sciope project file');
  // A pipe or a device would block or never end; only regular files are projects.
  if (!stats.isFile()) throw new ProjectFileError(path, 'not-a-project', 'is not a regular file (a device, pipe or socket), expected a .sciope project file');
  if (stats.size === 0)
    throw new ProjectFileError(path, 'not-a-project', 'the file is empty (0 bytes): not a Sciope project; delete it, or choose another name');
  const header = Buffer.alloc(HEADER_BYTES);
  let read = 0;
  try {
    const fd = openSync(path, 'r');
    try {
      read = readSync(fd, header, 0, HEADER_BYTES, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw fileSystemError(path, error, 'reading its header', false);
  }
  if (read < HEADER_BYTES || !header.subarray(0, 16).equals(SQLITE_MAGIC))
    throw new ProjectFileError(path, 'not-a-project', 'not a Sciope project (not an SQLite database)');
  const applicationId = header.readInt32BE(68);
  const headerVersion = header.readInt32BE(60);
  const hasWal = existsSync(`${path}-wal`);
  const hasShm = existsSync(`${path}-shm`);
  const unconfirmed = applicationId === 0 && hasWal && hasShm;
  if (applicationId !== SCIOPE_APPLICATION_ID && !unconfirmed) throw foreignDatabase(path, applicationId);
  if (headerVersion > SCHEMA_VERSION) throw newerVersion(path, headerVersion);
  return { kind: 'project', size: stats.size, hasWal, hasShm, writable: canWrite(path), folderWritable: canWrite(dirname(resolve(path))), unconfirmed };
}

export function foreignDatabase(path: string, applicationId: number): ProjectFileError {
  return new ProjectFileError(
    path,
    'not-a-project',
    `not a Sciope project (an SQLite database with application id ${applicationId}, expected ${SCIOPE_APPLICATION_ID}); it was left unchanged`,
    { applicationId },
  );
}

/** Anything at `path`, a dangling symbolic link included (lstat: never followed). */
export function pathTaken(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

export function newerVersion(path: string, version: number): ProjectFileError {
  return new ProjectFileError(
    path,
    'newer-version',
    `the project was written by a newer Sciope (schema version ${version}; this version reads up to ${SCHEMA_VERSION}); update Sciope to open it`,
    { version, supported: SCHEMA_VERSION },
  );
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every file system lets a folder be synced; the link is in place either way.
  }
}

/**
 * Make a new project at `path` all at once: `build` writes a complete
 * project into a temporary file in the same folder (so a full disk or a
 * crash never leaves a 0-byte or half-made file under the project's name),
 * which is then hard-linked to `path`. link() fails when `path` exists, so a
 * file that appeared meanwhile is never replaced ('exists'). The temporary is
 * removed on every path out, success or failure (a process killed while
 * building leaves only a hidden `.name.pid.random.creating` file).
 * Where hard links are not supported (FAT, some network shares) the file is
 * copied with COPYFILE_EXCL instead, which is just as exclusive.
 */
export function createProjectFile(path: string, build: (temporary: string) => void): void {
  const folder = dirname(resolve(path));
  if (!existsSync(folder))
    throw new ProjectFileError(path, 'no-folder', `the folder ${folder} does not exist; create it first or choose another place for the project`);
  const temporary = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.creating`);
  try {
    // Claim the temporary name (never follow or reuse someone else's file).
    closeSync(openSync(temporary, 'wx', 0o644));
  } catch (error) {
    throw fileSystemError(path, error, 'creating the project');
  }
  try {
    build(temporary);
    try {
      linkSync(temporary, path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST')
        throw new ProjectFileError(path, 'exists', 'the file already exists (it appeared while the project was being created); it was left unchanged', {
          errno: code,
        });
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS' && code !== 'EXDEV')
        throw fileSystemError(path, error, 'creating the project');
      copyExclusive(temporary, path);
    }
    syncFolder(folder);
  } catch (error) {
    // File-system failures get a reason here; SQLite's were given theirs by `build`.
    throw (error as NodeJS.ErrnoException).syscall !== undefined ? fileSystemError(path, error, 'creating the project') : error;
  } finally {
    for (const file of [temporary, ...sidecars(temporary)]) removeQuietly(file);
  }
}

function copyExclusive(from: string, to: string): void {
  try {
    copyFileSync(from, to, constants.COPYFILE_EXCL);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new ProjectFileError(to, 'exists', 'the file already exists (it appeared while the project was being created); it was left unchanged', {
        errno: code,
      });
    // The copy created `to` (EXCL): a partial copy is ours to remove.
    removeQuietly(to);
    throw fileSystemError(to, error, 'creating the project');
  }
}
