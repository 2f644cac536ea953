/**
 * The Discrete Stochastic Models Test Suite (Evans, Gillespie & Wilkinson
 * 2008, doi:10.1093/bioinformatics/btm566) against the direct method.
 *
 * Cases: those expressible in our JSON format that differ from each other in
 * values, not in SBML features: birth-death 00001, 00003-00005;
 * immigration-death 00020, 00021, 00023; dimerisation 00030 (mass action),
 * 00031 (custom propensity), 00034 and 00035 (P eliminated by conservation,
 * custom propensities); batch immigration-death 00037-00039. The remaining
 * cases need local parameters, boundary species, compartment sizes,
 * assignment rules or events and arrive with SBML import.
 *
 * Files: the models are test/fixtures/dsmts/NNNNN.json, written from each
 * case's NNNNN-sbml-l3v1.xml. The expected means and standard deviations
 * (NNNNN-results.csv) and settings (NNNNN-settings.txt) are copies in
 * test/fixtures/dsmts (LGPL, see LICENSE.txt there); when a copy is missing
 * the suite at ../shared/dsmts (beside the repository) is read instead, and
 * a case with neither is skipped with a message.
 *
 * Pass rule, per case, n = 10,000 runs at a fixed seed, every output time
 * and every checked species (a "point"):
 *   Z = sqrt(n) (mean_sim − μ) / σ must lie in meanRange, normally (−3, 3);
 *   Y = sqrt(n/2) (var_sim / σ² − 1) must lie in sdRange, normally (−5, 5);
 *   where σ = 0 (t = 0), every run must equal μ exactly.
 * A correct simulator fails |Z| < 3 at 0.27% of points by chance, so the
 * DSMTS allows isolated failures: a case passes when at least 97% of its
 * points pass AND no species fails at 3 consecutive output times (a run of
 * failures is the signature of a systematic error, since neighbouring times
 * are strongly correlated).
 *
 * Case 00003 (λ = 1, μ = 1.1, X0 = 100): as the DSMTS user guide warns, its
 * SD range rests on an approximation that does not hold there. Y has
 * standard deviation sqrt((κ − 1)/2), κ the kurtosis of X(t), which is 1
 * only when κ = 3; near extinction κ reaches ~95 at t = 50, so Y has
 * standard deviation ~7 and a correct simulator leaves (−5, 5) at a third
 * of the late time points. For this case only, Y is divided by that
 * standard deviation, with κ from the exact law of the linear birth-death
 * process (Kendall 1948, Ann. Math. Statist. 19:1, doi:10.1214/aoms/1177730285);
 * the mean test is unchanged.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileNetwork, validateModel, type CompiledNetwork } from '../../../engine/model';
import { simulateEnsemble } from '../../../engine/simulate/ensemble';
import { DirectMethod } from '../../../engine/simulate/ssa/DirectMethod';
import { uniformTimeGrid } from '../../../engine/simulate/timeGrid';

const RUNS = 10_000;
const MIN_PASS_FRACTION = 0.97;
const MAX_CONSECUTIVE_FAILURES = 2;

const FIXTURES = new URL('../../fixtures/dsmts/', import.meta.url);
/** The suite beside the repository: <repo>/../shared/dsmts. */
const SUITE = new URL('../../../../shared/dsmts/', import.meta.url);

const CASES = ['00001', '00003', '00004', '00005', '00020', '00021', '00023', '00030', '00031', '00034', '00035', '00037', '00038', '00039'];

/** A case's settings or results: the copy in the fixtures first, else the suite's. */
function readCaseFile(id: string, suffix: 'settings.txt' | 'results.csv'): string | undefined {
  for (const url of [new URL(`${id}-${suffix}`, FIXTURES), new URL(`${id}/${id}-${suffix}`, SUITE)]) {
    if (existsSync(url)) return readFileSync(url, 'utf8');
  }
  return undefined;
}

interface Settings {
  start: number;
  duration: number;
  steps: number;
  variables: string[];
  meanRange: [number, number];
  sdRange: [number, number];
}

function parseSettings(text: string): Settings {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  const field = (name: string) => {
    const value = fields.get(name);
    if (value === undefined) throw new Error(`settings: missing "${name}"`);
    return value;
  };
  const range = (name: string): [number, number] => {
    const match = /^\(\s*(\S+)\s*,\s*(\S+)\s*\)$/.exec(field(name));
    if (!match) throw new Error(`settings: ${name} "${field(name)}" is not of the form (lo, hi)`);
    return [Number(match[1]), Number(match[2])];
  };
  return {
    start: Number(field('start')),
    duration: Number(field('duration')),
    steps: Number(field('steps')),
    variables: field('variables').split(',').map((v) => v.trim()).filter(Boolean),
    meanRange: range('meanRange'),
    sdRange: range('sdRange'),
  };
}

/** Columns of a results CSV by header name. */
function parseResults(text: string): Map<string, number[]> {
  const [header, ...rows] = text.trim().split(/\r?\n/);
  const names = header.split(',').map((h) => h.trim());
  const columns = new Map(names.map((n) => [n, [] as number[]]));
  for (const row of rows) row.split(',').forEach((cell, i) => columns.get(names[i])!.push(Number(cell)));
  return columns;
}

/**
 * Standard deviation of Y for the linear birth-death process X → 2X (λX),
 * X → ∅ (μX), λ ≠ μ, from X0 at time t: sqrt((κ − 1)/2), κ = μ4/σ⁴.
 * One ancestor leaves 0 with probability a and k >= 1 with probability
 * (1 − a)(1 − b) b^(k−1) (Kendall 1948); X(t) is the sum of X0 independent
 * copies, so its second and fourth cumulants are X0 times one copy's.
 */
function birthDeathSdOfY(x0: number, lambda: number, mu: number, t: number): { sd: number; sdOfY: number } {
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

/** Per-case law giving the standard deviation of Y (see the file header); Y is used as it is elsewhere. */
const SD_STATISTIC_LAW: Record<string, (network: CompiledNetwork, t: number) => { sd: number; sdOfY: number }> = {
  '00003': (network, t) => {
    expect(network.parameterIds).toEqual(['Lambda', 'Mu']);
    return birthDeathSdOfY(network.initialState[0], network.parameterValues[0], network.parameterValues[1], t);
  },
};

function loadModel(id: string): unknown {
  return JSON.parse(readFileSync(new URL(`${id}.json`, FIXTURES), 'utf8'));
}

describe('DSMTS', () => {
  it.for(CASES)('case %s: mean and SD statistics within range at >= 97% of points, no 3 consecutive failures', (id, ctx) => {
    const settingsText = readCaseFile(id, 'settings.txt');
    const resultsText = readCaseFile(id, 'results.csv');
    if (settingsText === undefined || resultsText === undefined) {
      ctx.skip(`DSMTS ${id}: ${id}-settings.txt / ${id}-results.csv found neither in test/fixtures/dsmts nor in ../shared/dsmts`);
      return;
    }
    const settings = parseSettings(settingsText);
    const results = parseResults(resultsText);
    const network = compileNetwork(validateModel(loadModel(id), `${id}.json`));

    expect(settings.start).toBe(0);
    expect(network.time).toEqual({ end: settings.duration, points: settings.steps + 1 });
    const grid = uniformTimeGrid(settings.duration, settings.steps + 1);
    const csvTime = results.get('time')!;
    expect(csvTime.length).toBe(grid.length);
    csvTime.forEach((t, g) => expect(t).toBeCloseTo(grid[g], 9));

    const ensemble = simulateEnsemble(new DirectMethod(network), { runs: RUNS, seed: Number(id), grid });
    const nS = ensemble.speciesIds.length;
    const nT = grid.length;
    const failures: string[] = [];
    let points = 0;
    let longestRun = 0;
    for (const variable of settings.variables) {
      const s = ensemble.speciesIds.indexOf(variable);
      expect(s, `species ${variable} in ${id}.json`).toBeGreaterThanOrEqual(0);
      const mus = results.get(`${variable}-mean`)!;
      const sds = results.get(`${variable}-sd`)!;
      let run = 0;
      for (let g = 0; g < nT; g++) {
        let sum = 0;
        for (let r = 0; r < RUNS; r++) sum += ensemble.data[(r * nS + s) * nT + g];
        const mean = sum / RUNS;
        let ss = 0;
        for (let r = 0; r < RUNS; r++) ss += (ensemble.data[(r * nS + s) * nT + g] - mean) ** 2;
        const variance = ss / (RUNS - 1);
        const [mu, sd] = [mus[g], sds[g]];
        let problem: string | undefined;
        if (sd === 0) {
          if (mean !== mu || variance !== 0) problem = `expected every run = ${mu}, got mean ${mean}, variance ${variance}`;
        } else {
          const z = (Math.sqrt(RUNS) * (mean - mu)) / sd;
          const law = SD_STATISTIC_LAW[id]?.(network, grid[g]);
          // The law must reproduce the suite's σ before it may rescale Y.
          if (law) expect(law.sd / sd, `${id}: σ from the exact law at t=${grid[g]}`).toBeCloseTo(1, 4);
          const y = (Math.sqrt(RUNS / 2) * (variance / (sd * sd) - 1)) / (law?.sdOfY ?? 1);
          const inside = (v: number, [lo, hi]: [number, number]) => v > lo && v < hi;
          if (!inside(z, settings.meanRange) || !inside(y, settings.sdRange)) {
            problem = `mean ${mean.toFixed(4)} vs ${mu} (Z = ${z.toFixed(2)}), sd ${Math.sqrt(variance).toFixed(4)} vs ${sd} (Y = ${y.toFixed(2)})`;
          }
        }
        points++;
        run = problem ? run + 1 : 0;
        longestRun = Math.max(longestRun, run);
        if (problem) failures.push(`${variable} at t=${grid[g]}: ${problem}`);
      }
    }
    const detail = `DSMTS ${id} failures:\n${failures.join('\n')}`;
    expect(1 - failures.length / points, detail).toBeGreaterThanOrEqual(MIN_PASS_FRACTION);
    expect(longestRun, detail).toBeLessThanOrEqual(MAX_CONSECUTIVE_FAILURES);
  });

  it('the copies in test/fixtures/dsmts equal the suite files, and the models carry the SBML values', (ctx) => {
    if (!existsSync(SUITE)) {
      ctx.skip('../shared/dsmts not found beside the repository; the fixtures are used as they are');
      return;
    }
    for (const id of CASES) {
      for (const suffix of ['settings.txt', 'results.csv']) {
        const copy = readFileSync(new URL(`${id}-${suffix}`, FIXTURES), 'utf8');
        expect(copy, `${id}-${suffix}`).toBe(readFileSync(new URL(`${id}/${id}-${suffix}`, SUITE), 'utf8'));
      }
      const sbml = readFileSync(new URL(`${id}/${id}-sbml-l3v1.xml`, SUITE), 'utf8');
      const model = validateModel(loadModel(id));
      for (const species of model.species) {
        const match = new RegExp(`<species[^>]*\\bid="${species.id}"[^>]*\\binitialAmount="([^"]+)"`).exec(sbml);
        expect(match, `${id}: species ${species.id} in the SBML`).not.toBeNull();
        expect(species.initial, `${id}: initial ${species.id}`).toBe(Number(match![1]));
      }
      for (const parameter of model.parameters) {
        const match = new RegExp(`<parameter[^>]*\\bid="${parameter.id}"[^>]*\\bvalue="([^"]+)"`).exec(sbml);
        expect(match, `${id}: parameter ${parameter.id} in the SBML`).not.toBeNull();
        expect(parameter.value, `${id}: parameter ${parameter.id}`).toBe(Number(match![1]));
      }
    }
  });
});
