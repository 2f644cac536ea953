/**
 * SLURM executor overhead on a one-node test cluster: `npx tsx test/bench/slurm.bench.ts`.
 *
 * SMC-ABC on the toggle-switch study (resources/studies/toggle-switch) run
 * to the end on the local worker pool with W workers, then through
 * `SlurmExecutor` on the one-node SLURM cluster of the tests
 * (test/support/slurmCluster.ts: slurmctld, slurmd, munged and a private
 * sshd on this machine) with W tasks of 1 CPU: same seed, so the posteriors
 * must be bit-identical. The SLURM time is end to end: connect, check,
 * deploy, sbatch, wait for the allocation, the Node probe step, the worker
 * steps, the run, and close() (scancel and wait for the queue to empty), as
 * a user's `sciope infer --executor slurm` pays it; the local pool's
 * includes starting its threads. Repeated BENCH_SLURM_REPETITIONS times
 * (default 3), alternating which goes first; medians compared.
 *
 * The issue's bar is an overhead under 15% for a study of about 2 minutes:
 * the defaults (population 200, 8 generations, as the study file) take about
 * that with 2 workers on a 2-core machine. BENCH_SLURM_POPULATION and
 * BENCH_SLURM_GENERATIONS shorten it for development. On one machine the
 * daemons, sshd and ssh2's encryption share the cores with the simulations,
 * so this is an upper bound for a real cluster's coordination cost.
 * Prints a table and writes test/bench/results/slurm.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { join } from 'node:path';
import type { Executor } from '../../engine/compute/executor.js';
import { WorkerPoolExecutor } from '../../engine/compute/pool/WorkerPoolExecutor.js';
import { SlurmExecutor } from '../../engine/compute/slurm/index.js';
import { formatTable } from '../../engine/cli/output/finalStateSummary.js';
import { parseObservedCsv, parseStudy, runStudy } from '../../engine/infer/index.js';
import { getExample } from '../../engine/model/index.js';
import { slurmAvailable, startSlurmCluster } from '../support/slurmCluster.js';
import { summarise } from './measure.js';

const WORKERS = Number(process.env.BENCH_SLURM_WORKERS ?? 2);
const REPETITIONS = Number(process.env.BENCH_SLURM_REPETITIONS ?? 3);
const POPULATION = process.env.BENCH_SLURM_POPULATION ? Number(process.env.BENCH_SLURM_POPULATION) : undefined;
const GENERATIONS = process.env.BENCH_SLURM_GENERATIONS ? Number(process.env.BENCH_SLURM_GENERATIONS) : undefined;

const available = slurmAvailable();
if (!available.ok) {
  console.log(`slurm bench skipped: ${available.why}`);
  process.exit(0);
}

const studyUrl = new URL('../../resources/studies/toggle-switch/study.json', import.meta.url);
const study = parseStudy(JSON.parse(readFileSync(studyUrl, 'utf8')), 'resources/studies/toggle-switch/study.json');
const observed = parseObservedCsv(readFileSync(new URL('observed.csv', studyUrl), 'utf8'), { species: study.species });
const model = getExample('toggle-switch')!;

async function timedStudy(executor: () => Executor): Promise<{ seconds: number; posterior: string; generations: number; simulations: number }> {
  const started = performance.now();
  const running = executor();
  let posterior;
  try {
    posterior = await runStudy(study, model, observed, {
      executor: running,
      ...(POPULATION ? { populationSize: POPULATION } : {}),
      ...(GENERATIONS ? { maxGenerations: GENERATIONS } : {}),
    });
  } finally {
    await running.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const json = posterior.toJSON();
  return { seconds, posterior: JSON.stringify(json.generations), generations: json.generations.length, simulations: json.simulations };
}

const cluster = await startSlurmCluster({ cpus: Math.max(2, WORKERS) });
const times = { local: [] as number[], slurm: [] as number[] };
const load: number[] = [];
let identical = true;
let shape = { generations: 0, simulations: 0 };
try {
  const local = () => new WorkerPoolExecutor({ workers: WORKERS });
  const slurm = () =>
    new SlurmExecutor({
      cluster: {
        host: cluster.host,
        port: cluster.sshPort,
        user: cluster.user,
        privateKey: cluster.privateKeyPath,
        knownHosts: cluster.knownHostsPath,
        partition: cluster.partition,
        time: '30',
        tasks: WORKERS,
        cpusPerTask: 1,
        remoteDir: join(cluster.workDir, 'sciope'),
      },
      pollMs: 250,
    });
  for (let r = 0; r < REPETITIONS; r++) {
    load.push(loadavg()[0]!);
    // Alternate which goes first, so a drift in machine load does not favour one.
    const first = r % 2 === 0 ? await timedStudy(local) : await timedStudy(slurm);
    const second = r % 2 === 0 ? await timedStudy(slurm) : await timedStudy(local);
    const [a, b] = r % 2 === 0 ? [first, second] : [second, first];
    times.local.push(a.seconds);
    times.slurm.push(b.seconds);
    identical &&= a.posterior === b.posterior;
    shape = { generations: a.generations, simulations: a.simulations };
    console.log(`repetition ${r + 1}: local ${a.seconds.toFixed(1)} s, slurm ${b.seconds.toFixed(1)} s (load average ${load.at(-1)!.toFixed(1)})`);
  }

  const l = summarise(times.local);
  const s = summarise(times.slurm);
  const overhead = (s.median / l.median - 1) * 100;
  const row = (name: string, t: typeof l) => [name, String(WORKERS), t.median.toFixed(1), `${t.min.toFixed(1)}..${t.max.toFixed(1)}`];
  console.log(
    `\nSMC-ABC on toggle-switch: ${shape.generations} generations, ${shape.simulations} simulations; ${cpus()[0]?.model ?? 'unknown CPU'} x ${cpus().length}, Node ${process.version}, cluster start ${(cluster.startMs / 1000).toFixed(1)} s\n`,
  );
  console.log(formatTable(['executor', 'workers', 's (median)', 'min..max'], [row('local pool', l), row('slurm, one-node cluster', s)]));
  console.log(
    `\nSLURM overhead vs the local pool: ${overhead.toFixed(1)}% (bar < 15% for a ~2-minute study); posteriors identical: ${identical}; load average ${load.map((x) => x.toFixed(1)).join(', ')}`,
  );

  const resultsDir = new URL('./results/', import.meta.url);
  mkdirSync(resultsDir, { recursive: true });
  const report = {
    benchmark: 'slurm',
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, platform: platform(), release: release(), node: process.version },
    study: 'toggle-switch',
    populationSize: POPULATION ?? (study.algorithm as { populationSize?: number }).populationSize,
    generations: shape.generations,
    simulations: shape.simulations,
    workers: WORKERS,
    repetitions: REPETITIONS,
    loadAverage: load,
    clusterStartSeconds: Number((cluster.startMs / 1000).toFixed(2)),
    localSeconds: times.local,
    slurmSeconds: times.slurm,
    localMedianSeconds: l.median,
    slurmMedianSeconds: s.median,
    overheadPercent: Number(overhead.toFixed(2)),
    identicalPosteriors: identical,
  };
  writeFileSync(new URL('slurm.json', resultsDir), JSON.stringify(report, null, 2) + '\n');
  console.log('written to test/bench/results/slurm.json');
} finally {
  await cluster.stop();
}
