/**
 * A private sshd for the SSH pool tests: `/usr/sbin/sshd -D -f <tmp config>`
 * on 127.0.0.1 at a free port, with a temporary host key, a temporary
 * authorized key for the current user (root in CI), StrictModes off and its
 * PidFile in the temporary folder. The system's sshd and ~/.ssh are never
 * touched (the only shared thing: /run/sshd, sshd's privilege-separation
 * folder, created when missing).
 *
 * Needs Debian's openssh-server; without /usr/sbin/sshd the suites skip with
 * SSHD_MISSING as the reason.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { NodeSettingsInput } from '../../../../engine/compute/ssh/index.js';

const run = promisify(execFile);
const SSHD = '/usr/sbin/sshd';

export const sshdAvailable = existsSync(SSHD);
export const SSHD_MISSING = `${SSHD} is missing: install Debian's openssh-server (apt-get install -y openssh-server) to run the SSH pool tests`;
if (!sshdAvailable) console.warn(`skipping SSH pool tests: ${SSHD_MISSING}`);

export interface SshServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** The temporary folder: keys, config, known_hosts. */
  readonly dir: string;
  readonly privateKey: string;
  /** A known_hosts file that trusts this server's host key. */
  readonly knownHosts: string;
  /** This server's host public key line (`ssh-ed25519 AAAA...`). */
  readonly hostPublicKey: string;
  /** Node settings for this server (one more node per call: each is its own connection). */
  node(overrides?: Partial<NodeSettingsInput>): NodeSettingsInput;
  stop(): Promise<void>;
}

export interface SshServerOptions {
  /**
   * PATH of the sessions (sshd's SetEnv). Default: the folder of this Node
   * first, so the remote `node` is this one wherever CI installed it.
   */
  readonly path?: string;
  /** More environment variables for the sessions (sshd's SetEnv), e.g. SLURM_CONF. */
  readonly env?: Readonly<Record<string, string>>;
}

async function keygen(file: string): Promise<string> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'sciope-test', '-f', file]);
  return readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
}

/** A fresh ed25519 public key line, e.g. to write a known_hosts with the wrong key. */
export async function otherPublicKey(dir: string): Promise<string> {
  return keygen(join(mkdtempSync(join(dir, 'other-')), 'key'));
}

/** A TCP port free on 127.0.0.1 right now (the test servers bind their own). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves when the server sends its SSH banner. */
function banner(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(500, () => socket.destroy());
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString('latin1').startsWith('SSH-2.0'));
    });
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}

export async function startSshd(options: SshServerOptions = {}): Promise<SshServer> {
  if (!sshdAvailable) throw new Error(SSHD_MISSING);
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(tmpdir(), 'sciope-sshd-'));
  const [hostPublicKey, userPublicKey] = await Promise.all([keygen(join(dir, 'host_key')), keygen(join(dir, 'user_key'))]);
  writeFileSync(join(dir, 'authorized_keys'), `${userPublicKey}\n`, { mode: 0o600 });
  const user = userInfo().username;
  const path = options.path ?? `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`;

  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const config = join(dir, 'sshd_config');
    writeFileSync(
      config,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${join(dir, 'host_key')}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'StrictModes no',
        'UsePAM no',
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        `AllowUsers ${user}`,
        'Subsystem sftp internal-sftp',
        'MaxStartups 100',
        'MaxSessions 100',
        `SetEnv PATH=${path}${Object.entries(options.env ?? {})
          .map(([name, value]) => ` ${name}=${value}`)
          .join('')}`,
        'LogLevel ERROR',
        '',
      ].join('\n'),
    );
    const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    let exited = false;
    child.once('exit', () => (exited = true));
    const deadline = Date.now() + 5000;
    while (!exited && Date.now() < deadline && !(await banner(port))) await new Promise((r) => setTimeout(r, 50));
    if (exited) {
      if (/Bind to port|Address already in use/.test(log)) continue; // another process took the port meanwhile
      throw new Error(`sshd did not start: ${log.trim()}`);
    }
    if (Date.now() >= deadline) {
      child.kill('SIGKILL');
      throw new Error(`sshd did not answer on port ${port} within 5 s: ${log.trim()}`);
    }
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostPublicKey}\n`);
    return {
      host: '127.0.0.1',
      port,
      user,
      dir,
      privateKey: join(dir, 'user_key'),
      knownHosts,
      hostPublicKey,
      node: (overrides = {}) => ({ host: '127.0.0.1', port, user, privateKey: join(dir, 'user_key'), remoteDir: join(dir, 'remote'), ...overrides }),
      stop: async () => {
        if (!exited) {
          const gone = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await gone;
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  throw new Error('sshd: no free port after 5 attempts');
}

/** Pids of the processes whose command line contains `pattern` (pgrep -f), excluding pgrep itself. */
export async function pgrep(pattern: string): Promise<number[]> {
  try {
    const { stdout } = await run('pgrep', ['-f', pattern]);
    return stdout
      .split('\n')
      .filter(Boolean)
      .map(Number)
      .filter((pid) => pid !== process.pid);
  } catch (error) {
    if ((error as { code?: number }).code === 1) return [];
    throw error;
  }
}

/** Wait until no process matches `pattern` (they may take a moment to exit); returns what is left. */
export async function waitForNoProcess(pattern: string, timeoutMs = 3000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let left = await pgrep(pattern);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    left = await pgrep(pattern);
  }
  return left;
}
