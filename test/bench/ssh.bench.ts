/**
 * SSH pool overhead on loopback: `npx tsx test/bench/ssh.bench.ts`.
 *
 * 1000 Vilar trial points (SSA, t = 0..200, 201 points, efficient
 * time-series features) on the local worker pool with one worker per core,
 * then on the SSH pool with one node on 127.0.0.1 (a private sshd, as in the
 * tests) running the same number of worker threads. Both pools are warmed up
 * first (threads started, model compiled, JIT warm; for SSH: connected,
 * worker deployed), so the timings are the runs alone. Repeated
 * BENCH_SSH_REPETITIONS times (default 3), alternating, medians compared.
 * On loopback the sshd and ssh2's encryption share the cores with the
 * simulations, so the overhead here is an upper bound for separate machines.
 * Prints a table and writes test/bench/results/ssh.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, platform, release } from 'node:os';
import type { Executor, SimulationJob, Trial, TrialResult } from '../../engine/compute/executor.js';
import { WorkerPoolExecutor } from '../../engine/compute/pool/WorkerPoolExecutor.js';
import { SshNodePool } from '../../engine/compute/ssh/index.js';
import { formatTable } from '../../engine/cli/output/finalStateSummary.js';
import { getExample } from '../../engine/model/index.js';
import { deriveStreamState, Xoshiro128 } from '../../engine/sample/index.js';
import { sshdAvailable, SSHD_MISSING, startSshd } from '../unit/compute/ssh/sshServer.js';
import { summarise } from './measure.js';

const TRIALS = Number(process.env.BENCH_SSH_TRIALS ?? 1000);
const REPETITIONS = Number(process.env.BENCH_SSH_REPETITIONS ?? 3);
const WORKERS = Number(process.env.BENCH_SSH_WORKERS ?? availableParallelism());

if (!sshdAvailable) {
  console.log(`ssh bench skipped: ${SSHD_MISSING}`);
  process.exit(0);
}

const model = getExample('vilar')!;
const parameterIds = ['alphaA', 'alphaR', 'betaA', 'thetaA'];
const defaults = parameterIds.map((id) => model.parameters!.find((p) => p.id === id)!.value as number);
const job: SimulationJob = {
  model,
  method: 'ssa',
  time: Array.from({ length: 201 }, (_, i) => i),
  parameterIds,
  runsPerTrial: 1,
  statistics: { kind: 'time-series-features', set: 'efficient' },
  returnTrajectories: false,
  seed: 11,
};

/** Points within ±50% of the model's values, from a fixed stream. */
function trials(n: number, generation: number): Trial[] {
  const random = new Xoshiro128(deriveStreamState(5, generation));
  return Array.from({ length: n }, (_, i) => ({
    index: i,
    parameters: Float64Array.from(defaults, (v) => v * (0.5 + random.nextDouble())),
    stream: [generation, i],
  }));
}

async function timed(executor: Executor, work: Trial[]): Promise<{ seconds: number; results: TrialResult[] }> {
  const started = performance.now();
  const results = await executor.map(job, work);
  return { seconds: (performance.now() - started) / 1000, results };
}

const digest = (results: readonly TrialResult[]) =>
  results.map((r) => `${r.index}:${r.events}:${Buffer.from(r.features!.buffer, r.features!.byteOffset, r.features!.byteLength).toString('hex')}`).join('|');

const server = await startSshd();
const local = new WorkerPoolExecutor({ workers: WORKERS });
const ssh = new SshNodePool({ nodes: [server.node({ name: 'loopback', workers: WORKERS })], knownHosts: server.knownHosts });
const times = { local: [] as number[], ssh: [] as number[] };
let identical = true;
try {
  const setupStart = performance.now();
  const [status] = await ssh.start();
  if (!status.ok) throw status.error;
  const setupSeconds = (performance.now() - setupStart) / 1000;
  const warm = trials(4 * WORKERS, 1000);
  await local.map(job, warm);
  await ssh.map(job, warm);
  for (let r = 0; r < REPETITIONS; r++) {
    const work = trials(TRIALS, r + 1);
    // Alternate which goes first, so a drift in machine load does not favour one.
    const first = r % 2 === 0 ? await timed(local, work) : await timed(ssh, work);
    const second = r % 2 === 0 ? await timed(ssh, work) : await timed(local, work);
    const [a, b] = r % 2 === 0 ? [first, second] : [second, first];
    times.local.push(a.seconds);
    times.ssh.push(b.seconds);
    identical &&= digest(a.results) === digest(b.results);
    console.log(`repetition ${r + 1}: local ${a.seconds.toFixed(2)} s, ssh ${b.seconds.toFixed(2)} s`);
  }

  const l = summarise(times.local);
  const s = summarise(times.ssh);
  const overhead = (s.median / l.median - 1) * 100;
  const row = (name: string, t: typeof l) => [
    name,
    String(WORKERS),
    t.median.toFixed(2),
    `${t.min.toFixed(2)}..${t.max.toFixed(2)}`,
    (TRIALS / t.median).toFixed(1),
  ];
  console.log(`\n${TRIALS} Vilar trials (SSA, 201 points, efficient features), ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}\n`);
  console.log(formatTable(['executor', 'workers', 's (median)', 'min..max', 'trials/s'], [row('local pool', l), row('ssh pool, loopback', s)]));
  console.log(
    `\nSSH overhead vs the local pool: ${overhead.toFixed(1)}% (goal < 5%); results identical: ${identical}; SSH set-up (connect, check, deploy, start): ${setupSeconds.toFixed(2)} s`,
  );

  const resultsDir = new URL('./results/', import.meta.url);
  mkdirSync(resultsDir, { recursive: true });
  const report = {
    benchmark: 'ssh',
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, platform: platform(), release: release(), node: process.version },
    trials: TRIALS,
    workers: WORKERS,
    repetitions: REPETITIONS,
    job: { model: 'vilar', method: job.method, points: job.time.length, runsPerTrial: job.runsPerTrial, statistics: job.statistics },
    localSeconds: times.local,
    sshSeconds: times.ssh,
    localMedianSeconds: l.median,
    sshMedianSeconds: s.median,
    overheadPercent: Number(overhead.toFixed(2)),
    sshSetupSeconds: Number(setupSeconds.toFixed(3)),
    identicalResults: identical,
  };
  writeFileSync(new URL('ssh.json', resultsDir), JSON.stringify(report, null, 2) + '\n');
  console.log('written to test/bench/results/ssh.json');
} finally {
  await Promise.all([local.close(), ssh.close()]);
  await server.stop();
}
