import { createWriteStream } from 'node:fs';
import { posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { RemoteNodeError } from '../../../errors/index.js';
import { shellQuote, type NodeConnection } from '../../ssh/connection.js';

/** The login's home folder, to make `~/...` settings absolute (job scripts need absolute paths). */
export async function remoteHome(connection: NodeConnection): Promise<string> {
  const result = await connection.exec('printf %s "$HOME"');
  const home = result.stdout.trim();
  if (result.code !== 0 || !home.startsWith('/'))
    throw new RemoteNodeError(connection.label, 'connect', `${connection.label}: cannot find the home folder (${result.stderr.trim() || 'no answer'})`);
  return home;
}

/** `~/x` or a relative path, under `home`. */
export function absoluteRemote(path: string, home: string): string {
  if (path.startsWith('/')) return posix.normalize(path);
  return posix.join(home, path === '~' ? '' : path.startsWith('~/') ? path.slice(2) : path);
}

/** Run a command, fail with its stderr unless it exits 0; returns stdout. */
export async function execOk(connection: NodeConnection, command: string, what: string, timeoutMs = 60_000): Promise<string> {
  const result = await connection.exec(command, timeoutMs);
  if (result.code !== 0)
    throw new RemoteNodeError(
      connection.label,
      'remote-command',
      `${connection.label}: ${what} failed (exit ${result.code ?? 'signal'}): ${(result.stderr || result.stdout).trim().slice(-800) || '(no output)'}`,
      { command },
    );
  return result.stdout;
}

/**
 * Unpack a gzipped tar into `dir` on the cluster, streamed over an exec
 * channel's stdin (one round trip, no SFTP). With `atomic`, it is unpacked
 * beside `dir` and renamed into place, so `dir` either does not exist or is
 * complete (a concurrent or interrupted upload never leaves half a CLI).
 */
export async function unpackRemote(connection: NodeConnection, archive: Buffer, dir: string, atomic: boolean): Promise<void> {
  const q = shellQuote;
  const target = atomic ? `${q(`${dir}.partial-`)}$$` : q(dir);
  const finish = atomic ? ` && { mv -T ${target} ${q(dir)} 2>/dev/null || { test -d ${q(dir)} && rm -rf ${target}; }; }` : '';
  const command = `umask 077 && mkdir -p ${target} && tar xzf - -C ${target}${finish}`;
  const channel = await connection.spawn(command);
  const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    let stderr = '';
    let code: number | null = null;
    channel.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    // The channel closes only once its output was read, even when there is none.
    channel.on('data', () => undefined);
    channel.on('exit', (status: number | null) => (code = typeof status === 'number' ? status : null));
    channel.on('close', () => resolve({ code, stderr }));
    channel.end(archive);
  });
  if (result.code !== 0)
    throw new RemoteNodeError(connection.label, 'deploy', `${connection.label}: cannot unpack into ${dir}: ${result.stderr.trim() || `exit ${result.code}`}`, {
      dir,
    });
}

/** Download one remote file over SFTP to a local path. */
export async function downloadFile(connection: NodeConnection, remote: string, local: string): Promise<void> {
  const sftp = await connection.sftp();
  try {
    await pipeline(sftp.createReadStream(remote), createWriteStream(local, { mode: 0o600 }));
  } catch (error) {
    throw new RemoteNodeError(connection.label, 'download', `${connection.label}: cannot download ${remote}: ${(error as Error).message}`, { remote });
  } finally {
    sftp.end();
  }
}
