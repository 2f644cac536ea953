import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import type { Study } from '../../../infer/study.js';
import type { ReactionNetworkInput } from '../../../model/schema.js';
import { ProjectStore } from '../../../store/index.js';
import { RemoteNodeError } from '../../../errors/index.js';
import { connectNode, shellQuote, type ConnectOptions } from '../../ssh/connection.js';
import { SlurmClient } from '../SlurmClient.js';
import { loginNode, type SlurmSettings } from '../slurmSettings.js';
import { cliPackage } from './cliPackage.js';
import { batchJobState, submitScript } from './jobState.js';
import { renderJobScript } from './jobScript.js';
import type { RunManifest } from './manifest.js';
import { newRemoteRunId, RemoteRunRegistry, type RemoteRun } from './remoteRuns.js';
import { packStudy, type StudyPackage } from './studyPackage.js';
import { refuseFatalPending } from '../requestCheck.js';
import { gzippedTar, type TarEntry } from './tarball.js';
import { absoluteRemote, remoteHome, unpackRemote } from './transfer.js';

/**
 * The study to run on the cluster: a study file (`sciope infer --detach`),
 * packed here with the files it names, or a study already packed (one
 * stored in a project: packStoredStudy, the app's "Run on cluster").
 */
export type DetachedStudy = {
  readonly study: Study;
  readonly seed: number;
  readonly populationSize?: number;
  readonly maxGenerations?: number;
} & (
  | {
      readonly studyPath: string;
      /** The study's model as loaded and validated here. */
      readonly model: ReactionNetworkInput;
    }
  | { readonly packed: StudyPackage }
);

export interface SubmitOptions extends Omit<ConnectOptions, 'knownHosts'> {
  /** The cluster (login node, partition, limits, Node on the compute nodes): see slurmSettings.ts. */
  readonly cluster: SlurmSettings;
  /** The user's config folder (remote-runs.json). */
  readonly configDir: string;
  /** A local project to merge the run into when it is fetched. */
  readonly localProject?: string;
  /** The study of `localProject` the run was submitted from (the merged run joins it). */
  readonly localStudyId?: number;
  readonly onStep?: (message: string) => void;
}

/** The files of a remote run's folder: the study's inputs, an empty project, the manifest and the job script. */
function runFiles(id: string, detached: DetachedStudy, cpusPerTask: number, script: string): TarEntry[] {
  const packed = 'packed' in detached ? detached.packed : packStudy(detached.studyPath, detached.study, detached.model);
  const manifest: RunManifest = {
    format: 1,
    id,
    study: 'input/study.json',
    project: 'project.sciope',
    seed: detached.seed,
    ...(detached.populationSize !== undefined ? { populationSize: detached.populationSize } : {}),
    ...(detached.maxGenerations !== undefined ? { maxGenerations: detached.maxGenerations } : {}),
    cpusPerTask,
    ...(packed.simulator ? { simulator: { ...packed.simulator, files: packed.simulator.files.map((f) => ({ ...f, path: `input/${f.path}` })) } } : {}),
  };
  // The project is created here, empty, and travels with the study: the login node needs no Node.js.
  const scratch = mkdtempSync(join(tmpdir(), 'sciope-remote-'));
  let project: Buffer;
  try {
    const file = join(scratch, 'project.sciope');
    ProjectStore.open(file, { create: true, exclusive: true }).close();
    project = readFileSync(file);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return [
    ...packed.files.map((f) => ({ ...f, path: `input/${f.path}` })),
    { path: 'project.sciope', data: project, mode: 0o600 },
    { path: 'manifest.json', data: Buffer.from(JSON.stringify(manifest, null, 2) + '\n'), mode: 0o600 },
    { path: 'job.sh', data: Buffer.from(script), mode: 0o700 },
  ];
}

/**
 * Make sure the cluster holds this CLI package (unpacked once per content
 * hash); returns its folder. When the login node has Node.js, the native
 * SQLite module is loaded there once, so a cluster of another platform or
 * Node.js version is refused here, with the fix, rather than by the job.
 */
async function deployCli(client: SlurmClient, remoteDir: string, onStep: (m: string) => void): Promise<string> {
  const { connection, cluster } = client;
  const cli = await cliPackage();
  const dir = posix.join(remoteDir, cli.name);
  const present = await connection.exec(`test -f ${shellQuote(`${dir}/sciope.mjs`)}`);
  if (present.code !== 0) {
    onStep(`uploading the sciope command (${(cli.archive.byteLength / 2 ** 20).toFixed(1)} MiB, built for ${cli.platform}, Node ABI ${cli.nodeAbi}) to ${dir}`);
    await unpackRemote(connection, cli.archive, dir, true);
  }
  const probe = await client.run(`cd ${shellQuote(dir)} && ${shellQuote(cluster.nodePath)} -e "new (require('better-sqlite3'))(':memory:').close()"`);
  if (probe.code !== 0 && probe.code !== 127 && /better.sqlite3|NODE_MODULE_VERSION|ELF|dlopen/i.test(probe.stderr)) {
    throw new RemoteNodeError(
      client.label,
      'native-module',
      `${client.label}: the SQLite module built here (${cli.platform}, Node ABI ${cli.nodeAbi}) does not load on the cluster: ${
        probe.stderr
          .trim()
          .split('\n')
          .find((l) => /Error/.test(l)) ?? probe.stderr.trim().slice(0, 300)
      }\n` +
        `Install a build for the cluster once, on its login node: cd ${dir} && npm install --no-save better-sqlite3@${cli.sqliteVersion} (or run \`sciope infer --detach\` from a computer of the cluster's platform and Node.js version).`,
      { dir },
    );
  }
  return dir;
}

/**
 * `sciope infer --detach`: upload the study (with the files it reads and
 * an empty project) into `<remoteDir>/runs/<id>/` on the cluster's shared
 * filesystem, deploy the sciope command if this version is new there, and
 * submit one sbatch job whose coordinator runs the study with srun workers.
 * Records the run in remote-runs.json and returns it; the laptop may then
 * disconnect. The caller has checked the study and its simulator's approval.
 */
export async function submitDetached(detached: DetachedStudy, options: SubmitOptions): Promise<RemoteRun> {
  const onStep = options.onStep ?? (() => undefined);
  const { cluster } = options;
  const id = newRemoteRunId(detached.study.name);
  const connection = await connectNode(loginNode(cluster), { ...options, ...(cluster.knownHosts ? { knownHosts: cluster.knownHosts } : {}) });
  try {
    const client = new SlurmClient(connection, cluster);
    // sbatch present, partition up, time and CPUs within its limits: refused here rather than by a job that never runs.
    await client.inspect();
    const home = await remoteHome(connection);
    const remoteDir = absoluteRemote(cluster.remoteDir, home);
    const cliDir = await deployCli(client, remoteDir, onStep);
    const runDir = posix.join(remoteDir, 'runs', id);
    const script = renderJobScript({ id, runDir, cliDir, settings: cluster });
    onStep(`uploading the study to ${runDir}`);
    await unpackRemote(connection, gzippedTar(runFiles(id, detached, cluster.cpusPerTask, script)), runDir, true);
    const jobId = await submitScript(client, posix.join(runDir, 'job.sh'));
    // A job SLURM will never start (an account it does not know, a per-job limit) is cancelled and said so, never recorded.
    const first = await batchJobState(client, jobId, runDir).catch(() => null);
    if (first?.state === 'PENDING' && first.reason) {
      try {
        refuseFatalPending(client, jobId, first.reason);
      } catch (error) {
        await client.cancel(jobId).catch(() => undefined);
        throw error;
      }
    }
    // Recorded to reconnect later: absolute local paths, the remote folder made absolute, never a passphrase.
    const { passphrase: _secret, ...recorded } = { ...cluster, remoteDir };
    const run: RemoteRun = {
      id,
      study: detached.study.name,
      createdAt: new Date().toISOString(),
      cluster: recorded,
      runDir,
      cliDir,
      jobs: [{ id: jobId, submittedAt: new Date().toISOString(), kind: 'infer' }],
      ...(options.localProject ? { localProject: options.localProject } : {}),
      ...(options.localProject && options.localStudyId !== undefined ? { localStudyId: options.localStudyId } : {}),
    };
    new RemoteRunRegistry(options.configDir).save(run);
    // The job was accepted; its first state (PENDING with a reason, or RUNNING) is worth showing.
    if (first) onStep(`job ${jobId}: ${first.state}${first.reason ? ` (${first.reason})` : ''}`);
    return run;
  } finally {
    connection.close();
  }
}
