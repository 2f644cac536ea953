import { join } from 'node:path';
import { userInfo } from 'node:os';
import { RemoteNodeError } from '../../../errors/index.js';
import type { Executor } from '../../executor.js';
import { NodeSession } from '../../ssh/NodeSession.js';
import { SshNodePool, type NodeEvent, type SessionLauncher } from '../../ssh/SshNodePool.js';
import { describeStepEvent } from '../stepEvents.js';
import { SlurmClient } from '../SlurmClient.js';
import { parseSlurmSettings } from '../slurmSettings.js';
import { localConnection } from './localConnection.js';

/** The allocation a batch job runs in, from the environment SLURM (and the job script) gives it. */
export interface Allocation {
  readonly jobId: string;
  /** Worker steps: the job's --ntasks. */
  readonly tasks: number;
  /** Threads per worker: the job's --cpus-per-task. */
  readonly cpusPerTask: number;
  /** How Node starts on the compute nodes ($SCIOPE_NODE, set by the job script; default `node`). */
  readonly nodePath: string;
  /** The worker bundle on the shared filesystem ($SCIOPE_WORKER_BUNDLE_DIR/remoteWorker.mjs). */
  readonly workerFile: string;
}

const positive = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : fallback;
};

/** The current job's allocation, or an error saying this is not inside a sciope batch job. */
export function allocationFromEnv(env: NodeJS.ProcessEnv = process.env): Allocation {
  const jobId = env.SLURM_JOB_ID;
  const bundles = env.SCIOPE_WORKER_BUNDLE_DIR;
  if (!jobId || !/^\d+$/.test(jobId) || !bundles) {
    throw new RemoteNodeError(
      'slurm',
      'not-in-allocation',
      '--executor slurm without a cluster file runs only inside a SLURM job started by `sciope infer --detach` (SLURM_JOB_ID and SCIOPE_WORKER_BUNDLE_DIR set); give --slurm <cluster.json> to run from this computer',
    );
  }
  return {
    jobId,
    tasks: positive(env.SLURM_NTASKS, 1),
    cpusPerTask: positive(env.SLURM_CPUS_PER_TASK, 1),
    nodePath: env.SCIOPE_NODE || 'node',
    workerFile: join(bundles, 'remoteWorker.mjs'),
  };
}

export interface InAllocationOptions {
  readonly allocation?: Allocation;
  readonly onNodeEvent?: (event: NodeEvent) => void;
}

/**
 * The executor of a batch job's coordinator: one worker per task of the
 * job's own allocation, each a step `srun --jobid <this job> --overlap -n1
 * -c <cpus> node remoteWorker.mjs` started from this process, speaking the
 * node pool's framed protocol over the step's stdio (no SSH: the
 * coordinator is already on the cluster). Dispatch, re-dispatch of a lost
 * step's batches and bit-identical results are the node pool's
 * (SshNodePool with a step launcher, as SlurmExecutor runs it from a
 * laptop); SLURM ends the steps with the job.
 */
export function inAllocationExecutor(options: InAllocationOptions = {}): Executor {
  const allocation = options.allocation ?? allocationFromEnv();
  // The settings only feed SlurmClient's step commands; the job script already ran the cluster's setup line.
  const cluster = parseSlurmSettings({
    host: 'localhost',
    user: userInfo().username,
    agent: '/nonexistent',
    time: '1',
    tasks: allocation.tasks,
    cpusPerTask: allocation.cpusPerTask,
    nodePath: allocation.nodePath,
  });
  let step = 1;
  const launch: SessionLauncher = async (node, timing) => {
    const stepName = `sciope-${allocation.jobId}-w${step++}`;
    const connection = localConnection(node, node.name ?? stepName);
    const client = new SlurmClient(connection, cluster);
    try {
      const session = await NodeSession.start(connection, allocation.workerFile, allocation.cpusPerTask, timing, {
        wrap: (worker) => client.stepCommand(allocation.jobId, stepName, allocation.cpusPerTask, worker),
        kill: () => client.cancelStep(allocation.jobId, stepName),
        helloTimeoutMs: 120_000,
      });
      return { session, workers: allocation.cpusPerTask, nodeVersion: process.version, uploaded: false, remoteFile: allocation.workerFile };
    } catch (error) {
      connection.close();
      throw error;
    }
  };
  // Never used to connect (the launcher starts steps here); the settings schema only asks for a way to authenticate.
  const nodes = Array.from({ length: allocation.tasks }, (_, i) => ({
    name: `job ${allocation.jobId} task ${i + 1}`,
    host: 'localhost',
    user: cluster.user,
    agent: '/nonexistent',
    nodePath: allocation.nodePath,
    workers: allocation.cpusPerTask,
  }));
  // Default: one line per step event in the job's log (the job has no other place to say it).
  const onNodeEvent = options.onNodeEvent ?? ((event: NodeEvent) => process.stderr.write(`sciope: ${describeStepEvent(event, { ready: true })}\n`));
  return new SshNodePool({ nodes, launch, onNodeEvent });
}
