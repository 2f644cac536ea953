import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import type { SFTPWrapper, Stats } from 'ssh2';
import { RemoteNodeError } from '../../errors/index.js';
import { workerBundlePath } from '../pool/workerBundle.js';
import type { NodeConnection } from './connection.js';

/** The remote worker as uploaded: one self-contained ES module named by the hash of its content. */
export interface WorkerBundle {
  readonly code: Buffer;
  readonly hash: string;
  /** `worker-<hash>.mjs` */
  readonly name: string;
}

let bundle: Promise<WorkerBundle> | null = null;

/** Bundle engine/compute/pool/remoteWorker.ts (esbuild, cached) and hash it. */
export function remoteWorkerBundle(): Promise<WorkerBundle> {
  bundle ??= workerBundlePath('remoteWorker')
    .then((file) => readFile(file))
    .then((code) => {
      const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
      return { code, hash, name: `worker-${hash}.mjs` };
    });
  bundle.catch(() => (bundle = null));
  return bundle;
}

export interface Deployment {
  /** Absolute path of the worker on the node. */
  readonly remoteFile: string;
  /** False when the node already had this exact worker (cache hit). */
  readonly uploaded: boolean;
}

const call = <T>(run: (done: (error: Error | null | undefined, value?: T) => void) => void): Promise<T> =>
  new Promise<T>((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value as T))));

const stat = (sftp: SFTPWrapper, path: string): Promise<Stats | null> => call<Stats>((done) => sftp.stat(path, done)).catch(() => null);

/** `~/x` and relative paths are under the login's home (the SFTP server's starting folder). */
async function absoluteDir(sftp: SFTPWrapper, dir: string): Promise<string> {
  if (dir.startsWith('/')) return posix.normalize(dir);
  const home = await call<string>((done) => sftp.realpath('.', done));
  const rest = dir === '~' ? '' : dir.startsWith('~/') ? dir.slice(2) : dir;
  return posix.join(home, rest);
}

async function mkdirs(sftp: SFTPWrapper, dir: string): Promise<void> {
  const parts = dir.split('/').filter(Boolean);
  let path = '';
  for (const part of parts) {
    path += `/${part}`;
    const found = await stat(sftp, path);
    if (found?.isDirectory()) continue;
    if (found) throw new Error(`${path} exists and is not a directory`);
    await call<void>((done) => sftp.mkdir(path, { mode: 0o700 }, done)).catch(async (error: Error) => {
      if (!(await stat(sftp, path))?.isDirectory()) throw error; // a concurrent deployer may have made it
    });
  }
}

/**
 * Make sure the node has this worker under `<remoteDir>/worker-<hash>.mjs`:
 * upload it over SFTP only when missing (written to a temporary name, then
 * renamed, so a concurrent run never starts half a file).
 */
export async function deployWorker(connection: NodeConnection, worker: WorkerBundle): Promise<Deployment> {
  const sftp = await connection.sftp();
  try {
    const dir = await absoluteDir(sftp, connection.node.remoteDir);
    const remoteFile = posix.join(dir, worker.name);
    const existing = await stat(sftp, remoteFile);
    if (existing && existing.size === worker.code.byteLength) return { remoteFile, uploaded: false };
    await mkdirs(sftp, dir);
    const partial = `${remoteFile}.${randomBytes(4).toString('hex')}.partial`;
    await call<void>((done) => sftp.writeFile(partial, worker.code, { mode: 0o600 }, done));
    try {
      await call<void>((done) => sftp.ext_openssh_rename(partial, remoteFile, done));
    } catch {
      await call<void>((done) => sftp.rename(partial, remoteFile, done)).catch(() => undefined);
      await call<void>((done) => sftp.unlink(partial, done)).catch(() => undefined);
    }
    const written = await stat(sftp, remoteFile);
    if (written?.size !== worker.code.byteLength)
      throw new Error(`${remoteFile} has ${written?.size ?? 'no'} bytes after the upload, expected ${worker.code.byteLength}`);
    return { remoteFile, uploaded: true };
  } catch (error) {
    if (error instanceof RemoteNodeError) throw error;
    throw new RemoteNodeError(
      connection.label,
      'deploy',
      `${connection.label}: cannot upload the worker to ${connection.node.remoteDir}: ${(error as Error).message}`,
    );
  } finally {
    sftp.end();
  }
}
