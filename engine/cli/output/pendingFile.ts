import { randomBytes } from 'node:crypto';
import { closeSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputFileError } from '../jsonFile.js';

function reason(file: string, error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return `the folder ${dirname(resolve(file))} does not exist`;
  if (e.code === 'ENOSPC' || e.code === 'EDQUOT') return 'the disk is full';
  if (e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS') return `cannot write in ${dirname(resolve(file))} (${e.code})`;
  return e.code ?? (error as Error).message;
}

/**
 * An output file written under a hidden temporary name in its folder and
 * renamed onto its name only once complete: a run that fails, is cancelled
 * or fills the disk leaves no half-written file (and an older file of that
 * name stays as it was); a process killed outright leaves only the hidden
 * `.name.pid.random.partial` file.
 */
export class PendingFile {
  private fd: number | null;
  private finished = false;

  private constructor(
    readonly target: string,
    readonly temporary: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  static open(target: string): PendingFile {
    let isDirectory = false;
    try {
      isDirectory = statSync(target).isDirectory();
    } catch {
      // a new file
    }
    if (isDirectory) throw new InputFileError(target, 'cannot write: it is a folder');
    const temporary = join(dirname(resolve(target)), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.partial`);
    try {
      return new PendingFile(target, temporary, openSync(temporary, 'wx', 0o644));
    } catch (error) {
      throw new InputFileError(target, `cannot write: ${reason(target, error)}`);
    }
  }

  write(text: string): void {
    if (this.fd === null) throw new Error(`${this.target}: written after it was finished`);
    try {
      const bytes = Buffer.from(text, 'utf8');
      for (let at = 0; at < bytes.length; ) at += writeSync(this.fd, bytes, at, bytes.length - at);
    } catch (error) {
      this.discard();
      throw new InputFileError(this.target, `cannot write: ${reason(this.target, error)}; the file was not written`);
    }
  }

  /** Give the file its name (replacing an older one). */
  commit(): void {
    if (this.fd === null) throw new Error(`${this.target}: finished twice`);
    try {
      closeSync(this.fd);
      this.fd = null;
      renameSync(this.temporary, this.target);
      this.finished = true;
    } catch (error) {
      this.discard();
      throw new InputFileError(this.target, `cannot write: ${reason(this.target, error)}; the file was not written`);
    }
  }

  /** Remove what was written (idempotent; a no-op after commit). */
  discard(): void {
    if (this.finished) return;
    this.finished = true;
    try {
      if (this.fd !== null) closeSync(this.fd);
    } catch {
      // the file goes either way
    }
    this.fd = null;
    try {
      unlinkSync(this.temporary);
    } catch {
      // already gone
    }
  }
}

/** Write `text` to `file` whole or not at all (see PendingFile). */
export function writeFileWhole(file: string, text: string): void {
  const pending = PendingFile.open(file);
  pending.write(text);
  pending.commit();
}
