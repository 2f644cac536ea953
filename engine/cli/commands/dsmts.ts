/**
 * `sciope dsmts <suite-folder>`: the Discrete Stochastic Models Test Suite
 * (Evans, Gillespie & Wilkinson 2008, doi:10.1093/bioinformatics/btm566) run
 * on the SBML (Level 3 Version 1) of each case, and the acceptance rule shared
 * with the tests (test/unit/model/sbml/dsmtsSbml.test.ts imports it from here).
 *
 * Rule, per case, over every output time and checked species (a "point"),
 * n runs:
 *   Z = sqrt(n) (mean_sim − μ) / σ must lie in meanRange, normally (−3, 3);
 *   Y = sqrt(n/2) (var_sim / σ² − 1) must lie in sdRange, normally (−5, 5);
 *   where σ = 0, every run must equal μ exactly.
 * A correct simulator fails |Z| < 3 at 0.27% of points by chance, so a case
 * passes when at least 97% of its points pass and no species fails at 3
 * consecutive output times (a run of failures is a systematic error).
 * Case 00003: as the DSMTS user guide warns, its SD range rests on an
 * approximation that fails there (the kurtosis of X(t) reaches ~95), so Y is
 * divided by its exact standard deviation sqrt((κ − 1)/2), κ from the law of
 * the linear birth-death process (Kendall 1948, doi:10.1214/aoms/1177730285).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, type Command, Option } from 'commander';
import { EngineError } from '../../errors/index.js';
import { compileNetwork, type CompiledNetwork } from '../../model/index.js';
import { importSbml } from '../../model/sbml/index.js';
import { toMoleculeCounts } from '../../model/counts/index.js';
import {
  createSimulator,
  SIMULATION_METHODS,
  simulateEnsemble,
  uniformTimeGrid,
  type SimulationMethod,
  type TrajectoryEnsemble,
} from '../../simulate/index.js';
import { libsbmlWasmPath } from '../modelSource.js';
import { ProgressBar } from '../progressBar.js';
import { RunFailedError } from '../exitCode.js';

export interface DsmtsSettings {
  start: number;
  duration: number;
  steps: number;
  variables: string[];
  meanRange: [number, number];
  sdRange: [number, number];
}

export const DSMTS_MIN_PASS_FRACTION = 0.97;
export const DSMTS_MAX_CONSECUTIVE_FAILURES = 2;

export function parseDsmtsSettings(text: string): DsmtsSettings {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  const field = (name: string) => {
    const value = fields.get(name);
    if (value === undefined) throw new EngineError('DSMTS_SETTINGS', `settings: missing "${name}"`);
    return value;
  };
  const range = (name: string): [number, number] => {
    const match = /^\(\s*(\S+)\s*,\s*(\S+)\s*\)$/.exec(field(name));
    if (!match) throw new EngineError('DSMTS_SETTINGS', `settings: ${name} "${field(name)}" is not of the form (lo, hi)`);
    return [Number(match[1]), Number(match[2])];
  };
  const variables = field('variables')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  return {
    start: Number(field('start')),
    duration: Number(field('duration')),
    steps: Number(field('steps')),
    variables,
    meanRange: range('meanRange'),
    sdRange: range('sdRange'),
  };
}

/** Columns of a results CSV by header name (time, X-mean, X-sd...). */
export function parseDsmtsResults(text: string): Map<string, number[]> {
  const [header, ...rows] = text.trim().split(/\r?\n/);
  const names = header.split(',').map((h) => h.trim());
  const columns = new Map(names.map((n) => [n, [] as number[]]));
  for (const row of rows) row.split(',').forEach((cell, i) => columns.get(names[i])?.push(Number(cell)));
  return columns;
}

/** Exact σ of X(t) and σ of Y for X → 2X (λX), X → ∅ (μX), λ ≠ μ, from X0 (see the header). */
export function birthDeathSdOfY(x0: number, lambda: number, mu: number, t: number): { sd: number; sdOfY: number } {
  const e = Math.exp((lambda - mu) * t);
  const a = (mu * (e - 1)) / (lambda * e - mu);
  const b = (lambda * (e - 1)) / (lambda * e - mu);
  const pmf = (k: number) => (k === 0 ? a : (1 - a) * (1 - b) * b ** (k - 1));
  const last = Math.ceil(Math.log(1e-300) / Math.log(b)) + 1;
  let mean = 0;
  for (let k = 1; k <= last; k++) mean += k * pmf(k);
  let m2 = 0;
  let m4 = 0;
  for (let k = 0; k <= last; k++) {
    m2 += (k - mean) ** 2 * pmf(k);
    m4 += (k - mean) ** 4 * pmf(k);
  }
  const variance = x0 * m2;
  const mu4 = x0 * (m4 - 3 * m2 * m2) + 3 * variance ** 2;
  return { sd: Math.sqrt(variance), sdOfY: Math.sqrt((mu4 / variance ** 2 - 1) / 2) };
}

/** Per-case standard deviation of Y where the suite's approximation fails (00003 only). */
function sdOfYLaw(id: string, network: CompiledNetwork): ((t: number) => { sd: number; sdOfY: number }) | undefined {
  if (id !== '00003') return undefined;
  const p = (name: string) => network.parameterValues[network.parameterIds.indexOf(name)];
  return (t) => birthDeathSdOfY(network.initialState[0], p('Lambda'), p('Mu'), t);
}

export interface DsmtsCaseResult {
  id: string;
  runs: number;
  points: number;
  failures: string[];
  /** Largest |Z| and |Y| over all points with σ > 0, with where. */
  worstZ: { value: number; at: string };
  worstY: { value: number; at: string };
  longestRun: number;
  passed: boolean;
}

/** Apply the acceptance rule (see the header) to an ensemble simulated on the settings' grid. */
export function checkDsmtsCase(
  id: string,
  ensemble: TrajectoryEnsemble,
  settings: DsmtsSettings,
  results: Map<string, number[]>,
  network: CompiledNetwork,
): DsmtsCaseResult {
  const { runs, time } = ensemble;
  const nS = ensemble.speciesIds.length;
  const nT = time.length;
  const law = sdOfYLaw(id, network);
  const failures: string[] = [];
  const worstZ = { value: 0, at: '' };
  const worstY = { value: 0, at: '' };
  let points = 0;
  let longestRun = 0;
  const inside = (v: number, [lo, hi]: [number, number]) => v > lo && v < hi;
  for (const variable of settings.variables) {
    const s = ensemble.speciesIds.indexOf(variable);
    const mus = results.get(`${variable}-mean`);
    const sds = results.get(`${variable}-sd`);
    if (s < 0 || !mus || !sds || mus.length !== nT)
      throw new EngineError(
        'DSMTS_CASE',
        `${id}: species ${variable} missing from the model or the results (or the results have ${mus?.length ?? 0} times, expected ${nT})`,
      );
    let run = 0;
    for (let g = 0; g < nT; g++) {
      let sum = 0;
      for (let r = 0; r < runs; r++) sum += ensemble.data[(r * nS + s) * nT + g];
      const mean = sum / runs;
      let ss = 0;
      for (let r = 0; r < runs; r++) ss += (ensemble.data[(r * nS + s) * nT + g] - mean) ** 2;
      const variance = ss / (runs - 1);
      const [mu, sd] = [mus[g], sds[g]];
      const at = `${variable} t=${time[g]}`;
      let problem: string | undefined;
      if (sd === 0) {
        if (mean !== mu || variance !== 0) problem = `expected every run = ${mu}, got mean ${mean}, variance ${variance}`;
      } else {
        const z = (Math.sqrt(runs) * (mean - mu)) / sd;
        const exact = law?.(time[g]);
        // The law must reproduce the suite's σ before it may rescale Y.
        if (exact && Math.abs(exact.sd / sd - 1) > 1e-4)
          throw new EngineError('DSMTS_CASE', `${id}: the exact law gives σ = ${exact.sd} at ${at}, the suite ${sd}`);
        const y = (Math.sqrt(runs / 2) * (variance / (sd * sd) - 1)) / (exact?.sdOfY ?? 1);
        if (Math.abs(z) > worstZ.value) Object.assign(worstZ, { value: Math.abs(z), at });
        if (Math.abs(y) > worstY.value) Object.assign(worstY, { value: Math.abs(y), at });
        if (!inside(z, settings.meanRange) || !inside(y, settings.sdRange)) {
          problem = `mean ${mean.toFixed(4)} vs ${mu} (Z = ${z.toFixed(2)}), sd ${Math.sqrt(variance).toFixed(4)} vs ${sd} (Y = ${y.toFixed(2)})`;
        }
      }
      points++;
      run = problem ? run + 1 : 0;
      longestRun = Math.max(longestRun, run);
      if (problem) failures.push(`${at}: ${problem}`);
    }
  }
  const passed = 1 - failures.length / points >= DSMTS_MIN_PASS_FRACTION && longestRun <= DSMTS_MAX_CONSECUTIVE_FAILURES;
  return { id, runs, points, failures, worstZ, worstY, longestRun, passed };
}

/** A case's file: in the suite layout (<folder>/NNNNN/NNNNN-x) or flat (<folder>/NNNNN-x). */
export function dsmtsCaseFile(folder: string, id: string, suffix: string): string {
  const candidates = [join(folder, id, `${id}-${suffix}`), join(folder, `${id}-${suffix}`)];
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new EngineError('DSMTS_CASE', `${id}: ${id}-${suffix} not found in ${folder} (looked for ${candidates.join(' and ')})`);
  return found;
}

export interface DsmtsRunOptions {
  runs: number;
  seed: number;
  method?: SimulationMethod;
  onProgress?: (done: number, total: number) => void;
}

/** Import case `id`'s SBML (l3v1), simulate it with its settings and check it. Seed of the case: seed + case number. */
export async function runDsmtsCase(folder: string, id: string, options: DsmtsRunOptions): Promise<DsmtsCaseResult> {
  const read = (suffix: string) => readFileSync(dsmtsCaseFile(folder, id, suffix), 'utf8');
  const settings = parseDsmtsSettings(read('settings.txt'));
  const results = parseDsmtsResults(read('results.csv'));
  if (settings.start !== 0) throw new EngineError('DSMTS_CASE', `${id}: start ${settings.start} is not supported (expected 0)`);
  const { model } = await importSbml(read('sbml-l3v1.xml'), { wasm: libsbmlWasmPath(), source: `${id}-sbml-l3v1.xml` });
  const network = compileNetwork(toMoleculeCounts(model).model);
  const grid = uniformTimeGrid(settings.duration, settings.steps + 1);
  const ensemble = simulateEnsemble(createSimulator(network, options.method ?? 'ssa'), {
    runs: options.runs,
    seed: options.seed + Number(id),
    grid,
    onProgress: options.onProgress,
  });
  return checkDsmtsCase(id, ensemble, settings, results, network);
}

/** `1-39`, `1,3,30-33` → case ids 00001... */
export function parseCaseList(text: string): string[] {
  const ids = new Set<number>();
  for (const part of text.split(',').map((p) => p.trim())) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part);
    const [from, to] = match ? [Number(match[1]), Number(match[2] ?? match[1])] : [NaN, NaN];
    if (!match || from < 1 || to > 99999 || from > to) throw new InvalidArgumentError(`expected case numbers like 1-39 or 1,3,30-33, got "${text}"`);
    for (let i = from; i <= to; i++) ids.add(i);
  }
  return [...ids].sort((a, b) => a - b).map((i) => String(i).padStart(5, '0'));
}

interface DsmtsCommandOptions {
  runs: number;
  cases: string[];
  seed: number;
  method: SimulationMethod;
}

const integer = (name: string, min: number) => (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min)
    throw new InvalidArgumentError(`${name} expects an integer >= ${min}, got "${value}"`);
  return n;
};

export function registerDsmts(program: Command): void {
  program
    .command('dsmts')
    .description('run the DSMTS stochastic test suite on its SBML models; exits non-zero when a case fails')
    .argument('<suite-folder>', 'folder with the cases (NNNNN/NNNNN-sbml-l3v1.xml, -settings.txt, -results.csv)')
    .option('-n, --runs <N>', 'trajectories per case (the suite recommends 10,000)', integer('--runs', 2), 10_000)
    .addOption(new Option('-c, --cases <list>', 'cases to run, e.g. 1-39 or 1,3,30-33').argParser(parseCaseList).default(parseCaseList('1-39'), '1-39'))
    .option('-s, --seed <S>', 'base seed; case k uses S + k', integer('--seed', 0), 0)
    .option(
      '-m, --method <method>',
      `simulation method: ${SIMULATION_METHODS.join(' | ')}`,
      (v: string) => {
        if (!(SIMULATION_METHODS as readonly string[]).includes(v))
          throw new InvalidArgumentError(`expected one of ${SIMULATION_METHODS.join(', ')}, got "${v}"`);
        return v as SimulationMethod;
      },
      'ssa',
    )
    .action((folder: string, options: DsmtsCommandOptions) => dsmtsCommand(folder, options));
}

async function dsmtsCommand(folder: string, options: DsmtsCommandOptions): Promise<void> {
  process.stdout.write(
    `DSMTS, ${options.runs} runs per case, method ${options.method}, seed ${options.seed} + case; pass: |Z| and |Y| in range at >= ${DSMTS_MIN_PASS_FRACTION * 100}% of points, no 3 consecutive failures\n`,
  );
  process.stdout.write(`${'case'.padEnd(6)} ${'result'.padEnd(6)} ${'worst |Z|'.padEnd(24)} ${'worst |Y|'.padEnd(24)} failed points\n`);
  const failed: string[] = [];
  for (const id of options.cases) {
    const progress = new ProgressBar(process.stderr, `DSMTS ${id}`);
    let result: DsmtsCaseResult;
    try {
      result = await runDsmtsCase(folder, id, {
        runs: options.runs,
        seed: options.seed,
        method: options.method,
        onProgress: (done, total) => progress.update(done, total),
      });
    } catch (error) {
      if (!(error instanceof EngineError) && !(error instanceof RangeError)) throw error;
      failed.push(id);
      process.stdout.write(`${id}  error  ${(error as Error).message.split('\n').join('\n       ')}\n`);
      continue;
    } finally {
      progress.done();
    }
    if (!result.passed) failed.push(id);
    const worst = (w: { value: number; at: string }) => `${w.value.toFixed(2)} (${w.at})`.padEnd(24);
    process.stdout.write(
      `${id}  ${(result.passed ? 'pass' : 'FAIL').padEnd(6)} ${worst(result.worstZ)} ${worst(result.worstY)} ${result.failures.length}/${result.points}${result.longestRun > 1 ? `, ${result.longestRun} in a row` : ''}\n`,
    );
    for (const failure of result.passed ? [] : result.failures) process.stdout.write(`         ${failure}\n`);
  }
  const passed = options.cases.length - failed.length;
  const cases = `${options.cases.length} case${options.cases.length === 1 ? '' : 's'}`;
  process.stdout.write(`${cases}: ${passed} passed, ${failed.length} failed${failed.length ? ` (${failed.join(', ')})` : ''}\n`);
  // A failed case is a failed check, not bad input: exit 1.
  if (failed.length > 0) throw new RunFailedError('DSMTS_FAILED', `${failed.length} of ${cases} failed the DSMTS rule: ${failed.join(', ')}`);
}
