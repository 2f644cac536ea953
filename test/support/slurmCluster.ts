/**
 * A real one-node SLURM cluster on this machine, for the SLURM executor's
 * tests: Debian's slurm-wlm (slurmctld, slurmd, the client commands) and
 * munge, each daemon in the foreground as a child of the test process, with
 * every file (munge key and socket, slurm.conf, state, spool, logs, pid
 * files) in a temporary folder and every port chosen free, so several
 * clusters (two test files at once) never meet, and the system's /etc/slurm
 * and munged are never touched. The "login node" is a private sshd (the SSH
 * pool tests' own, see test/unit/compute/ssh/sshServer.ts) whose sessions
 * get SLURM_CONF, so `sinfo`, `sbatch` and `srun` over SSH talk to this
 * cluster. Its temporary folder doubles as the cluster's shared filesystem.
 *
 * Needs root (SlurmUser=root; CI runs as root) and `apt-get install -y
 * slurm-wlm munge`; slurmAvailable() says why not, and the tests skip.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname as osHostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, startSshd, type SshServer } from '../unit/compute/ssh/sshServer.js';

const run = promisify(execFile);

export interface SlurmTestCluster {
  readonly host: '127.0.0.1';
  /** The login node's sshd. */
  readonly sshPort: number;
  readonly user: string;
  readonly privateKeyPath: string;
  /** Trusts the login node's host key. */
  readonly knownHostsPath: string;
  /** The node's name in slurm.conf (this machine's host name). */
  readonly hostname: string;
  readonly partition: string;
  /** A folder the login node and the compute node both see (the "shared filesystem"). */
  readonly workDir: string;
  /** Environment for running the SLURM commands locally (SLURM_CONF, PATH). */
  readonly env: NodeJS.ProcessEnv;
  /** The private sshd, e.g. to read its folder. */
  readonly sshd: SshServer;
  /** The temporary folder holding everything (conf, state, logs). */
  readonly dir: string;
  /** How long the start took (munged to node idle and sshd up). */
  readonly startMs: number;
  stop(): Promise<void>;
}

export interface SlurmClusterOptions {
  /** CPUs of the one node (default 2). */
  readonly cpus?: number;
  /** Do not start slurmd: the partition has no node up, jobs stay pending. */
  readonly withoutNode?: boolean;
  /** PATH of the login node's SSH sessions (default: this Node's folder, then the system's). */
  readonly path?: string;
  /** The partition's AllowAccounts (default: every account), to test the account pre-flight without slurmdbd. */
  readonly allowAccounts?: readonly string[];
  /** The partition's MaxTime in SLURM's time format (default INFINITE). */
  readonly maxTime?: string;
}

const BINARIES = [
  '/usr/sbin/munged',
  '/usr/sbin/slurmctld',
  '/usr/sbin/slurmd',
  '/usr/sbin/slurmstepd',
  '/usr/bin/sinfo',
  '/usr/bin/sbatch',
  '/usr/bin/srun',
  '/usr/bin/squeue',
  '/usr/bin/scancel',
  '/usr/sbin/sshd',
];
export const SLURM_INSTALL_HINT = 'apt-get install -y slurm-wlm munge openssh-server';

/** Whether this machine can run the test cluster; when not, why (for the skip message). */
export function slurmAvailable(): { ok: true } | { ok: false; why: string } {
  const missing = BINARIES.filter((b) => !existsSync(b));
  if (missing.length > 0) return { ok: false, why: `${missing.join(', ')} missing: install them with \`${SLURM_INSTALL_HINT}\`` };
  if (process.getuid?.() !== 0)
    return { ok: false, why: 'the one-node SLURM test cluster runs its daemons as root (SlurmUser=root); run the tests as root, as CI does' };
  return { ok: true };
}

/** Distinct free ports (a port handed out twice by the OS would make two daemons collide). */
async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Daemon {
  readonly name: string;
  readonly child: ChildProcess;
  exited: boolean;
  log: string;
}

function startDaemon(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Daemon {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  const daemon: Daemon = { name, child, exited: false, log: '' };
  const keep = (chunk: Buffer) => (daemon.log = (daemon.log + chunk.toString('utf8')).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.once('exit', () => (daemon.exited = true));
  return daemon;
}

async function stopDaemon(daemon: Daemon, graceMs = 5000): Promise<void> {
  if (daemon.exited) return;
  const gone = new Promise((resolve) => daemon.child.once('exit', resolve));
  daemon.child.kill('SIGTERM');
  const timer = setTimeout(() => daemon.child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}

async function waitFor(what: string, ready: () => Promise<boolean>, daemons: Daemon[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = daemons.find((d) => d.exited);
    if (dead) throw new Error(`${dead.name} exited while waiting for ${what}: ${dead.log.trim() || '(no output)'}`);
    if (await ready()) return;
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; logs:\n${daemons.map((d) => `${d.name}: ${d.log.trim().slice(-1500)}`).join('\n')}`,
      );
    await sleep(100);
  }
}

/** Pids of processes whose environment holds `marker` (slurmstepd inherits slurmd's environment). */
function processesWithEnv(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`).includes(marker)) pids.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids.filter((pid) => pid !== process.pid);
}

/**
 * Start munged, slurmctld, slurmd (unless withoutNode) and the login node's
 * sshd; resolves when `sinfo` shows the node idle (or, withoutNode, when
 * slurmctld answers).
 */
export async function startSlurmCluster(options: SlurmClusterOptions = {}): Promise<SlurmTestCluster> {
  const available = slurmAvailable();
  if (!available.ok) throw new Error(available.why);
  const cpus = options.cpus ?? 2;
  const dir = mkdtempSync(join(tmpdir(), 'sciope-slurm-'));
  const hostname = osHostname().split('.')[0]!;
  const partition = 'debug';
  const paths = {
    key: join(dir, 'munge', 'munge.key'),
    socket: join(dir, 'munge', 'munge.socket'),
    conf: join(dir, 'slurm.conf'),
    state: join(dir, 'state'),
    spool: join(dir, 'spool'),
    work: join(dir, 'shared'),
    logs: join(dir, 'log'),
  };
  for (const d of [join(dir, 'munge'), paths.state, paths.spool, paths.work, paths.logs]) mkdirSync(d, { recursive: true, mode: 0o700 });
  writeFileSync(paths.key, randomBytes(1024), { mode: 0o400 });
  // Marks this cluster's daemons and their slurmstepd children, so stop() finds stragglers by it.
  const marker = `SCIOPE_TEST_SLURM=${dir}`;
  const env: NodeJS.ProcessEnv = { ...process.env, SLURM_CONF: paths.conf, SCIOPE_TEST_SLURM: dir };
  const [ctldPort, slurmdPort, srunLow] = await freePorts(3);
  writeFileSync(
    paths.conf,
    [
      `ClusterName=sciope${randomBytes(3).toString('hex')}`,
      `SlurmctldHost=${hostname}(127.0.0.1)`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${slurmdPort}`,
      // srun listens for its steps' I/O on these; a private range keeps two clusters apart.
      `SrunPortRange=${srunLow! < 60000 ? srunLow : 40000}-${(srunLow! < 60000 ? srunLow! : 40000) + 200}`,
      'SlurmUser=root',
      'SlurmdUser=root',
      `AuthType=auth/munge`,
      `AuthInfo=socket=${paths.socket}`,
      'CredType=cred/munge',
      `StateSaveLocation=${paths.state}`,
      `SlurmdSpoolDir=${paths.spool}/slurmd-%n`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(paths.logs, 'slurmctld.log')}`,
      `SlurmdLogFile=${join(paths.logs, 'slurmd.log')}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'JobCompType=jobcomp/none',
      'MpiDefault=none',
      'SchedulerType=sched/backfill',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_CPU',
      'ReturnToService=2',
      // A killed job's processes are gone within seconds, so leftover checks need not wait long.
      'KillWait=2',
      'MinJobAge=2',
      'InactiveLimit=0',
      'SlurmctldTimeout=30',
      'SlurmdTimeout=30',
      `NodeName=${hostname} NodeAddr=127.0.0.1 CPUs=${cpus} State=UNKNOWN`,
      `PartitionName=${partition} Nodes=${hostname} Default=YES MaxTime=${options.maxTime ?? 'INFINITE'} State=UP${options.allowAccounts ? ` AllowAccounts=${options.allowAccounts.join(',')}` : ''}`,
      '',
    ].join('\n'),
  );
  // slurmd of Slurm 22.05 always loads a cgroup plugin, even with proctrack/linuxproc and task/none, which never use it.
  writeFileSync(join(dir, 'cgroup.conf'), 'CgroupPlugin=autodetect\n');
  mkdirSync(join(paths.spool, `slurmd-${hostname}`), { recursive: true, mode: 0o700 });

  const daemons: Daemon[] = [];
  let sshd: SshServer | null = null;
  const stop = async () => {
    // Cancel every job first, so slurmd ends the steps' processes itself.
    await run('scancel', ['--full', '--quiet', '--user', userInfo().username], { env }).catch(() => undefined);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !daemons.some((d) => d.name === 'slurmctld' && d.exited)) {
      const queue = await run('squeue', ['-h', '-o', '%i'], { env, timeout: 3000 }).catch(() => null);
      if (!queue || queue.stdout.trim() === '') break;
      await sleep(100);
    }
    for (const daemon of [...daemons].reverse()) await stopDaemon(daemon);
    for (const pid of processesWithEnv(marker)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await sshd?.stop();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const started = performance.now();
    daemons.push(
      startDaemon(
        'munged',
        '/usr/sbin/munged',
        [
          '--foreground',
          '--force',
          `--key-file=${paths.key}`,
          `--socket=${paths.socket}`,
          `--pid-file=${join(dir, 'munge', 'munged.pid')}`,
          `--log-file=${join(paths.logs, 'munged.log')}`,
          `--seed-file=${join(dir, 'munge', 'munged.seed')}`,
        ],
        env,
      ),
    );
    await waitFor('the munge socket', async () => existsSync(paths.socket), daemons, 10_000);
    daemons.push(startDaemon('slurmctld', '/usr/sbin/slurmctld', ['-D', '-i', '-f', paths.conf], env));
    const sinfo = async (format: string) =>
      (await run('sinfo', ['-h', '-N', '-o', format], { env, timeout: 5000 }).catch(() => ({ stdout: '' }))).stdout.trim();
    await waitFor('slurmctld', async () => (await sinfo('%N')) !== '', daemons, 20_000);
    if (!options.withoutNode) {
      daemons.push(startDaemon('slurmd', '/usr/sbin/slurmd', ['-D', '-f', paths.conf, '-N', hostname], env));
      await waitFor(`the node ${hostname} idle in sinfo`, async () => /^idle$/.test(await sinfo('%T')), daemons, 30_000);
    }
    sshd = await startSshd({ ...(options.path ? { path: options.path } : {}), env: { SLURM_CONF: paths.conf } });
    const startMs = performance.now() - started;
    return {
      host: '127.0.0.1' as const,
      sshPort: sshd.port,
      user: sshd.user,
      privateKeyPath: sshd.privateKey,
      knownHostsPath: sshd.knownHosts,
      hostname,
      partition,
      workDir: paths.work,
      env,
      sshd,
      dir,
      startMs,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
