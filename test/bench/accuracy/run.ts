/**
 * `npm run bench:accuracy [-- --quick] [--tasks a,b] [--algorithms rej-abc,smc-abc]
 *   [--observations 1-10] [--budgets 1000,10000] [--c2st-folds 5] [--c2st-evaluate-folds 5]
 *   [--c2st-epochs 1000] [--samples 10000] [--seed 2021] [--out file]`
 *
 * Issue #16 item 1: the five sbibm tasks (test/bench/accuracy/tasks), each
 * algorithm of ALGORITHMS at each budget on each observation, its posterior
 * turned into 10,000 rows (a KDE of the ABC particles, as sbibm did, or
 * resampling by weight) and compared with sbibm's 10,000 reference samples
 * by C2ST (engine/stats/c2st); a table of the means over
 * the observations next to sbibm's published numbers; everything in
 * test/bench/results/accuracy.json.
 *
 * C2ST trains to scikit-learn's stopping rule (as sbibm), at most
 * --c2st-epochs epochs (default 1000); an accuracy whose training hit the
 * cap is a lower bound and is marked *. That rule needed 30-500 epochs
 * per fold here (most on two_moons), so the full run takes hours.
 *
 * `--quick` (CI): observations 1 and 2, C2ST on the first of its five folds
 * (the same expected accuracy, a fifth of the cost) and at most 30 epochs:
 * a smoke test and a regression check (283 s of CPU here); its C2ST values
 * are lower bounds, not comparable with sbibm's.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Xoshiro128 } from '../../../engine/sample/random/Xoshiro128.js';
import { c2st, resampleWeighted } from '../../../engine/stats/c2st/index.js';
import { ALGORITHMS, DEFAULT_ALGORITHMS, type AccuracyAlgorithm } from './algorithms.js';
import { kdeResample, supportTransform } from './kdeResample.js';
import { publishedC2st } from './published.js';
import { readObservation, readReferenceSamples } from './sbibmData.js';
import { ACCURACY_TASKS, accuracyTask, type AccuracyTask } from './tasks/index.js';

export interface AccuracySettings {
  readonly tasks: readonly AccuracyTask[];
  readonly algorithms: readonly AccuracyAlgorithm[];
  readonly observations: readonly number[];
  readonly budgets: readonly number[];
  /** Rows of the algorithm's posterior compared with the reference (sbibm: 10,000). */
  readonly posteriorSamples: number;
  readonly c2stFolds: number;
  readonly c2stEvaluateFolds: number;
  readonly c2stMaxEpochs: number;
  readonly seed: number;
}

export interface AccuracyRecord {
  readonly task: string;
  readonly algorithm: string;
  readonly budget: number;
  readonly observation: number;
  readonly c2st: number;
  readonly c2stFolds: readonly number[];
  readonly c2stEpochs: readonly number[];
  /** Folds whose training hit the epoch cap before the stopping rule: their accuracy is a lower bound. */
  readonly c2stCappedFolds: number;
  readonly simulations: number;
  readonly particles: number;
  readonly runSeconds: number;
  readonly c2stSeconds: number;
  readonly details?: Record<string, unknown>;
}

export interface AccuracySummaryRow {
  readonly task: string;
  readonly algorithm: string;
  readonly budget: number;
  readonly observations: number;
  readonly meanC2st: number;
  readonly sdC2st: number;
  readonly meanSimulations: number;
  /** Observations whose C2ST training hit the epoch cap in some fold (marked * in the table). */
  readonly capped: number;
  readonly published?: number;
}

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: readonly number[]) => (v.length < 2 ? 0 : Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1)));

/** Run every algorithm on every task, observation and budget; `onRecord` sees each result as it comes. */
export async function runAccuracyBenchmark(settings: AccuracySettings, onRecord?: (record: AccuracyRecord) => void): Promise<AccuracyRecord[]> {
  const records: AccuracyRecord[] = [];
  for (const task of settings.tasks) {
    const d = task.parameters.length;
    for (const observation of settings.observations) {
      const observed = readObservation(task.name, observation);
      const reference = readReferenceSamples(task.name, observation);
      if (reference.columns.length !== d) throw new Error(`${task.name}: reference samples have ${reference.columns.length} columns, the task ${d} parameters`);
      for (const budget of settings.budgets) {
        for (const algorithm of settings.algorithms) {
          // One seed per (task, observation, budget, algorithm): runs are reproducible one by one.
          const seed = (settings.seed + 7919 * observation + 104_729 * budget + hash(task.name + algorithm.id)) >>> 0;
          const started = performance.now();
          const result = await algorithm.run({ task, observation, observed, budget, seed });
          const runSeconds = (performance.now() - started) / 1000;
          const rows = result.particles.length / d;
          const weights = result.weights ?? new Float64Array(rows).fill(1);
          const rng = Xoshiro128.fromSeed(seed, 1);
          let kde: { kdeBandwidth: number; kdeShape: string } | undefined;
          let samples: Float64Array;
          if (algorithm.resample === 'kde') {
            const smoothed = kdeResample(
              result.particles,
              weights,
              task.parameters.map((p) => supportTransform(p.prior)),
              settings.posteriorSamples,
              rng,
            );
            samples = smoothed.samples;
            // The width and which covariance the kernel followed (the particles' full or diagonal one, or isotropic), to tell a smoothing effect from the sampler's.
            kde = { kdeBandwidth: smoothed.bandwidth, kdeShape: smoothed.shape };
          } else samples = resampleWeighted(result.particles, weights, d, settings.posteriorSamples, rng);
          const c2stStarted = performance.now();
          const score = c2st(samples, reference.values, {
            dimension: d,
            seed: 1,
            folds: settings.c2stFolds,
            evaluateFolds: settings.c2stEvaluateFolds,
            maxEpochs: settings.c2stMaxEpochs,
          });
          const record: AccuracyRecord = {
            task: task.name,
            algorithm: algorithm.id,
            budget,
            observation,
            c2st: score.accuracy,
            c2stFolds: score.foldAccuracies,
            c2stEpochs: score.epochs,
            c2stCappedFolds: score.epochs.filter((e) => e >= settings.c2stMaxEpochs).length,
            simulations: result.simulations,
            particles: rows,
            runSeconds,
            c2stSeconds: (performance.now() - c2stStarted) / 1000,
            ...(result.details || kde ? { details: { ...result.details, ...kde } } : {}),
          };
          records.push(record);
          onRecord?.(record);
        }
      }
    }
  }
  return records;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Means over the observations, with sbibm's published numbers. */
export function summarise(records: readonly AccuracyRecord[], algorithms: readonly AccuracyAlgorithm[]): AccuracySummaryRow[] {
  const groups = new Map<string, AccuracyRecord[]>();
  for (const r of records) {
    const key = `${r.task}\u0000${r.algorithm}\u0000${r.budget}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((group) => {
    const { task, algorithm, budget } = group[0];
    const published = publishedC2st(task, algorithms.find((a) => a.id === algorithm)?.compareWith, budget);
    const scores = group.map((r) => r.c2st);
    return {
      task,
      algorithm,
      budget,
      observations: group.length,
      meanC2st: mean(scores),
      sdC2st: sd(scores),
      meanSimulations: mean(group.map((r) => r.simulations)),
      capped: group.filter((r) => r.c2stCappedFolds > 0).length,
      ...(published !== undefined ? { published } : {}),
    };
  });
}

/** The Markdown table of the summary (what README quotes). */
export function formatTable(rows: readonly AccuracySummaryRow[], algorithms: readonly AccuracyAlgorithm[]): string {
  const label = (id: string) => algorithms.find((a) => a.id === id)?.label ?? id;
  const lines = ['| task | algorithm | simulations | C2ST (ours, mean ± sd) | sbibm | ours − sbibm |', '|---|---|---|---|---|---|'];
  for (const r of rows) {
    const diff = r.published !== undefined ? (r.meanC2st - r.published).toFixed(3) : '';
    lines.push(
      `| ${r.task} | ${label(r.algorithm)} | ${r.budget.toLocaleString('en-US')} | ${r.meanC2st.toFixed(3)}${r.capped > 0 ? '*' : ''} ± ${r.sdC2st.toFixed(3)} (n = ${r.observations}) | ${r.published?.toFixed(3) ?? '–'} | ${diff} |`,
    );
  }
  if (rows.some((r) => r.capped > 0))
    lines.push(
      '',
      '\\* C2ST training hit the epoch cap before its stopping rule on some observation: an under-trained classifier separates less, so the value is a lower bound.',
    );
  return lines.join('\n');
}

function parseList(flag: string, value: string): number[] {
  const out: number[] = [];
  for (const part of value.split(',')) {
    const range = /^(\d+)-(\d+)$/.exec(part.trim());
    if (range) for (let i = Number(range[1]); i <= Number(range[2]); i++) out.push(i);
    else if (/^\d+$/.test(part.trim())) out.push(Number(part.trim()));
    else throw new Error(`${flag}: expected numbers or ranges like 1-10, got ${JSON.stringify(part)}`);
  }
  return out;
}

export function parseArguments(argv: readonly string[]): AccuracySettings & { out: string } {
  const quick = argv.includes('--quick');
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag}: expected a value`);
    return v;
  };
  const known = new Set([
    '--quick',
    '--tasks',
    '--algorithms',
    '--observations',
    '--budgets',
    '--c2st-folds',
    '--c2st-evaluate-folds',
    '--c2st-epochs',
    '--samples',
    '--seed',
    '--out',
  ]);
  argv.forEach((a, i) => {
    if (a.startsWith('--') && !known.has(a)) throw new Error(`unknown option ${a}; expected one of ${[...known].join(', ')}`);
    if (!a.startsWith('--') && !(i > 0 && known.has(argv[i - 1]) && argv[i - 1] !== '--quick')) throw new Error(`unexpected argument ${JSON.stringify(a)}`);
  });
  const tasks =
    value('--tasks')
      ?.split(',')
      .map((t) => accuracyTask(t.trim())) ?? ACCURACY_TASKS;
  const algorithmIds = value('--algorithms')
    ?.split(',')
    .map((a) => a.trim());
  const algorithms = algorithmIds
    ? algorithmIds.map((id) => {
        const found = ALGORITHMS.find((a) => a.id === id);
        if (!found) throw new Error(`--algorithms: unknown algorithm ${JSON.stringify(id)}; expected one of ${ALGORITHMS.map((a) => a.id).join(', ')}`);
        return found;
      })
    : ALGORITHMS.filter((a) => DEFAULT_ALGORITHMS.includes(a.id));
  const integer = (flag: string, fallback: number, min = 1) => {
    const text = value(flag);
    if (text === undefined) return fallback;
    const v = Number(text);
    if (!Number.isSafeInteger(v) || v < min) throw new Error(`${flag}: expected an integer >= ${min}, got ${JSON.stringify(text)}`);
    return v;
  };
  const folds = integer('--c2st-folds', 5);
  return {
    tasks,
    algorithms,
    observations: parseList('--observations', value('--observations') ?? (quick ? '1-2' : '1-10')),
    budgets: parseList('--budgets', value('--budgets') ?? '1000,10000'),
    posteriorSamples: integer('--samples', 10_000),
    c2stFolds: folds,
    c2stEvaluateFolds: integer('--c2st-evaluate-folds', quick ? 1 : folds),
    c2stMaxEpochs: integer('--c2st-epochs', quick ? 30 : 1000),
    seed: integer('--seed', 2021, 0),
    out: resolve(value('--out') ?? fileURLToPath(new URL('../results/accuracy.json', import.meta.url))),
  };
}

async function main(): Promise<void> {
  const settings = parseArguments(process.argv.slice(2));
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  console.log(
    `bench:accuracy: ${settings.tasks.length} tasks × observations ${settings.observations.join(',')} × budgets ${settings.budgets.join(',')} × ${settings.algorithms.map((a) => a.id).join(', ')}; ` +
      `C2ST ${settings.c2stEvaluateFolds}/${settings.c2stFolds} folds, <= ${settings.c2stMaxEpochs} epochs`,
  );
  const records = await runAccuracyBenchmark(settings, (r) =>
    console.log(
      `${r.task} obs ${r.observation} ${r.algorithm} @${r.budget}: C2ST ${r.c2st.toFixed(3)} (${r.simulations} simulations, ${r.particles} particles; run ${r.runSeconds.toFixed(1)} s, C2ST ${r.c2stSeconds.toFixed(1)} s, epochs ${r.c2stEpochs.join('/')})`,
    ),
  );
  const summary = summarise(records, settings.algorithms);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  // CPU time as well as wall time: on a shared machine the wall time says more about the neighbours.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(`\n${formatTable(summary, settings.algorithms)}\n\ntotal ${seconds.toFixed(0)} s wall, ${cpuSeconds.toFixed(0)} s CPU`);
  mkdirSync(dirname(settings.out), { recursive: true });
  const { tasks, algorithms, out, ...rest } = settings;
  writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), settings: { ...rest, tasks: tasks.map((t) => t.name), algorithms: algorithms.map((a) => a.id) }, seconds, cpuSeconds, summary, records }, null, 2)}\n`,
  );
  console.log(`wrote ${out}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
