/**
 * The direct method is exact: its transient moments match closed forms
 * (birth-death, immigration-death) and numerical solutions of the chemical
 * master equation (A + B ⇌ C with a second-order reaction; custom Hill
 * propensities in one and two species).
 *
 * Statistics, per species and output time, over n = 10,000 runs at a fixed
 * seed (the DSMTS statistics, Evans, Gillespie & Wilkinson 2008,
 * doi:10.1093/bioinformatics/btm566):
 *   Z = sqrt(n) (mean_sim − μ) / σ          must satisfy |Z| < 4;
 *   Y = sqrt(n/2) (var_sim / σ² − 1)        must lie in (−5, 5).
 * Why 4 and not 3: each series tests ~50 time points; a correct simulator
 * exceeds |Z| = 3 at a given point with probability 0.27%, so somewhere in
 * a 50-point series with probability ~13%, and the suite has a dozen series.
 * |Z| > 4 has probability 6.3e-5 per point (~0.3% per series), while an
 * O(1/sqrt(n)) bias (~1% of σ per unit Z) is still caught. Y is normal only
 * approximately (its spread grows with the kurtosis), hence the wider (−5, 5)
 * the DSMTS uses. Where σ = 0 (t = 0) every run must equal μ exactly.
 */
import { describe, expect, it } from 'vitest';
import { compileNetwork, getExample, validateModel, type ReactionNetworkInput } from '../../../engine/model';
import { simulateEnsemble } from '../../../engine/simulate/ensemble';
import { DirectMethod } from '../../../engine/simulate/ssa/DirectMethod';
import { uniformTimeGrid } from '../../../engine/simulate/timeGrid';
import type { TrajectoryEnsemble } from '../../../engine/simulate/types';

const RUNS = 10_000;

function simulate(model: ReactionNetworkInput, seed: number): TrajectoryEnsemble {
  const network = compileNetwork(validateModel(model));
  const time = network.time!;
  return simulateEnsemble(new DirectMethod(network), { runs: RUNS, seed, grid: uniformTimeGrid(time.end, time.points) });
}

/** Sample mean and variance of species `s` at every output time. */
function sampleMoments(ensemble: TrajectoryEnsemble, s: number): { mean: Float64Array; variance: Float64Array } {
  const nT = ensemble.time.length;
  const nS = ensemble.speciesIds.length;
  const mean = new Float64Array(nT);
  const variance = new Float64Array(nT);
  for (let g = 0; g < nT; g++) {
    let sum = 0;
    for (let r = 0; r < ensemble.runs; r++) sum += ensemble.data[(r * nS + s) * nT + g];
    const m = sum / ensemble.runs;
    let ss = 0;
    for (let r = 0; r < ensemble.runs; r++) ss += (ensemble.data[(r * nS + s) * nT + g] - m) ** 2;
    mean[g] = m;
    variance[g] = ss / (ensemble.runs - 1);
  }
  return { mean, variance };
}

/** Every (time, statistic) outside its range, as readable lines; [] when all pass. */
function momentFailures(
  ensemble: TrajectoryEnsemble,
  species: string,
  exact: (g: number) => { mean: number; variance: number },
  times: readonly number[] = Array.from(ensemble.time.keys()),
): string[] {
  const s = ensemble.speciesIds.indexOf(species);
  const n = ensemble.runs;
  const { mean, variance } = sampleMoments(ensemble, s);
  const failures: string[] = [];
  for (const g of times) {
    const mu = exact(g).mean;
    const sigma2 = exact(g).variance;
    const at = `${species} at t=${ensemble.time[g]}`;
    if (sigma2 === 0) {
      if (mean[g] !== mu || variance[g] !== 0) failures.push(`${at}: expected every run = ${mu}, got mean ${mean[g]}, variance ${variance[g]}`);
      continue;
    }
    const z = (Math.sqrt(n) * (mean[g] - mu)) / Math.sqrt(sigma2);
    const y = Math.sqrt(n / 2) * (variance[g] / sigma2 - 1);
    if (!(Math.abs(z) < 4)) failures.push(`${at}: mean ${mean[g]} vs ${mu}, Z = ${z.toFixed(2)}`);
    if (!(Math.abs(y) < 5)) failures.push(`${at}: variance ${variance[g]} vs ${sigma2}, Y = ${y.toFixed(2)}`);
  }
  return failures;
}

// ---- a finite chemical master equation, solved independently of the engine ----

interface CmeReaction {
  propensity: (x: readonly number[]) => number;
  change: readonly number[];
}

/**
 * Distribution over the states reachable from `initial` inside `inBounds`,
 * at each grid time, by uniformisation (Jensen's method: p(t + h) =
 * Σ_k Pois(k; Λh) p (I + Q/Λ)^k), stepping so that Λh <= 20. Probability
 * that would leave the box is dropped and reported as `lost`.
 */
function solveCme(initial: number[], reactions: CmeReaction[], inBounds: (x: readonly number[]) => boolean, grid: Float64Array) {
  const index = new Map<string, number>();
  const states: number[][] = [];
  const add = (x: number[]) => {
    const key = x.join(',');
    if (!index.has(key)) {
      index.set(key, states.length);
      states.push(x);
    }
    return index.get(key)!;
  };
  add(initial);
  const from: number[] = [];
  const to: number[] = [];
  const rate: number[] = [];
  const exit: number[] = [];
  for (let i = 0; i < states.length; i++) {
    let out = 0;
    for (const r of reactions) {
      const a = r.propensity(states[i]);
      if (!(a >= 0)) throw new Error(`negative propensity in the CME at ${states[i]}`);
      if (a === 0) continue;
      out += a;
      const y = states[i].map((v, s) => v + r.change[s]);
      if (!inBounds(y)) continue;
      from.push(i);
      to.push(add(y));
      rate.push(a);
    }
    exit.push(out);
  }
  const m = states.length;
  const lambda = Math.max(...exit) * 1.02 || 1;
  let p = new Float64Array(m);
  p[0] = 1;
  const out: Float64Array[] = [];
  let t = 0;
  for (const target of grid) {
    let remaining = target - t;
    while (remaining > 0) {
      const h = Math.min(remaining, 20 / lambda);
      const mu = lambda * h;
      let v = p;
      let weight = Math.exp(-mu);
      let cumulative = weight;
      const next = v.map((x) => x * weight);
      for (let k = 1; cumulative < 1 - 1e-15 && k < 10_000; k++) {
        const w = new Float64Array(m);
        for (let i = 0; i < m; i++) w[i] = v[i] * (1 - exit[i] / lambda);
        for (let e = 0; e < from.length; e++) w[to[e]] += (v[from[e]] * rate[e]) / lambda;
        v = w;
        weight *= mu / k;
        cumulative += weight;
        for (let i = 0; i < m; i++) next[i] += weight * v[i];
      }
      p = next;
      remaining -= h;
    }
    t = target;
    out.push(p);
  }
  const lost = 1 - out[out.length - 1].reduce((a, b) => a + b, 0);
  return { states, p: out, lost };
}

/** Mean and variance of species s under distribution p over `states`. */
function cmeMoments(states: number[][], p: Float64Array, s: number) {
  let m = 0;
  let m2 = 0;
  p.forEach((w, i) => {
    m += w * states[i][s];
    m2 += w * states[i][s] ** 2;
  });
  return { mean: m, variance: m2 - m * m };
}

/** Stationary law of a one-dimensional chain on 0..N with up rates up(n), down rates down(n), by detailed balance. */
function stationaryChain(N: number, up: (n: number) => number, down: (n: number) => number): Float64Array {
  const pi = new Float64Array(N + 1);
  pi[0] = 1;
  for (let n = 0; n < N; n++) pi[n + 1] = (pi[n] * up(n)) / down(n + 1);
  const total = pi.reduce((a, b) => a + b, 0);
  return pi.map((x) => x / total);
}

describe('direct method: closed-form transient moments', () => {
  const birthDeath = (x0: number, lambda: number, mu: number): ReactionNetworkInput => ({
    name: 'birth-death',
    species: [{ id: 'X', initial: x0 }],
    parameters: [
      { id: 'lambda', value: lambda },
      { id: 'mu', value: mu },
    ],
    reactions: [
      { id: 'birth', reactants: { X: 1 }, products: { X: 2 }, rate: 'lambda' },
      { id: 'death', reactants: { X: 1 }, rate: 'mu' },
    ],
    time: { end: 10, points: 51 },
  });

  it.each([
    ['growing', 20, 0.4, 0.2, 11],
    ['decaying', 50, 0.15, 0.3, 12],
  ])('birth-death (%s): X0=%s, λ=%s, μ=%s: mean x0 e^{(λ−μ)t}, variance x0 (λ+μ)/(λ−μ) e^{(λ−μ)t}(e^{(λ−μ)t} − 1)', (_, x0, lambda, mu, seed) => {
    const ensemble = simulate(birthDeath(x0, lambda, mu), seed);
    const exact = (g: number) => {
      const e = Math.exp((lambda - mu) * ensemble.time[g]);
      return { mean: x0 * e, variance: ((x0 * (lambda + mu)) / (lambda - mu)) * e * (e - 1) };
    };
    expect(momentFailures(ensemble, 'X', exact)).toEqual([]);
  });

  it('immigration-death from X0 = 0 is Poisson with mean α·vol/μ (1 − e^{−μt}): moments and P(X = 0)', () => {
    // Volume 2 also checks the zero-order convention: propensity k·vol.
    const alpha = 2.5;
    const mu = 0.5;
    const vol = 2;
    const ensemble = simulate(
      {
        name: 'immigration-death',
        volume: vol,
        species: [{ id: 'X', initial: 0 }],
        parameters: [
          { id: 'alpha', value: alpha },
          { id: 'mu', value: mu },
        ],
        reactions: [
          { id: 'immigration', products: { X: 1 }, rate: 'alpha' },
          { id: 'death', reactants: { X: 1 }, rate: 'mu' },
        ],
        time: { end: 10, points: 51 },
      },
      21,
    );
    const meanAt = (g: number) => ((alpha * vol) / mu) * -Math.expm1(-mu * ensemble.time[g]);
    expect(momentFailures(ensemble, 'X', (g) => ({ mean: meanAt(g), variance: meanAt(g) }))).toEqual([]);

    // The whole law, not only two moments: the fraction of empty runs is e^{−mean} (binomial |Z| < 4).
    const nT = ensemble.time.length;
    const bad: string[] = [];
    for (let g = 1; g < nT; g++) {
      let zeros = 0;
      for (let r = 0; r < RUNS; r++) if (ensemble.data[r * nT + g] === 0) zeros++;
      const p0 = Math.exp(-meanAt(g));
      const z = (zeros - RUNS * p0) / Math.sqrt(RUNS * p0 * (1 - p0));
      if (!(Math.abs(z) < 4)) bad.push(`t=${ensemble.time[g]}: ${zeros} empty runs vs ${(RUNS * p0).toFixed(1)}, Z = ${z.toFixed(2)}`);
    }
    expect(bad).toEqual([]);
  });
});

describe('direct method: finite chemical master equation', () => {
  it('A + B ⇌ C (second order, volume 2): transient CME at every time, and the stationary law at late time', () => {
    const [a0, b0, k1, k2, vol] = [30, 20, 0.02, 0.5, 2];
    const model: ReactionNetworkInput = {
      name: 'binding',
      volume: vol,
      species: [
        { id: 'A', initial: a0 },
        { id: 'B', initial: b0 },
        { id: 'C', initial: 0 },
      ],
      parameters: [
        { id: 'k1', value: k1 },
        { id: 'k2', value: k2 },
      ],
      reactions: [
        { id: 'bind', reactants: { A: 1, B: 1 }, products: { C: 1 }, rate: 'k1' },
        { id: 'unbind', reactants: { C: 1 }, products: { A: 1, B: 1 }, rate: 'k2' },
      ],
      time: { end: 20, points: 51 },
    };
    const ensemble = simulate(model, 31);
    // Mass action: k1·A·B/vol and k2·C; A and B conserved with C, so C ∈ 0..20.
    const up = (c: number) => (k1 * (a0 - c) * (b0 - c)) / vol;
    const down = (c: number) => k2 * c;
    const cme = solveCme(
      [a0, b0, 0],
      [
        { propensity: ([a, b]) => (k1 * a * b) / vol, change: [-1, -1, 1] },
        { propensity: ([, , c]) => k2 * c, change: [1, 1, -1] },
      ],
      () => true,
      ensemble.time,
    );
    expect(cme.states.length).toBe(b0 + 1);
    expect(Math.abs(cme.lost)).toBeLessThan(1e-12);
    for (const [species, s] of [
      ['A', 0],
      ['B', 1],
      ['C', 2],
    ] as const) {
      expect(momentFailures(ensemble, species, (g) => cmeMoments(cme.states, cme.p[g], s))).toEqual([]);
    }

    // Stationary law of the finite CME by detailed balance; the transient solution has converged to it by t = 20.
    const pi = stationaryChain(b0, up, down);
    const stationary = { mean: 0, variance: 0 };
    pi.forEach((w, c) => (stationary.mean += w * c));
    pi.forEach((w, c) => (stationary.variance += w * (c - stationary.mean) ** 2));
    const last = ensemble.time.length - 1;
    const late = cmeMoments(cme.states, cme.p[last], 2);
    expect(late.mean).toBeCloseTo(stationary.mean, 6);
    expect(late.variance).toBeCloseTo(stationary.variance, 6);
    expect(momentFailures(ensemble, 'C', () => stationary, [last])).toEqual([]);
  });

  it('custom Hill propensity ∅ → X at a/(1 + (X/K)^2), X → ∅ at μX: transient CME at every time', () => {
    const [a, K, mu] = [30, 10, 1];
    const ensemble = simulate(
      {
        name: 'hill-repression',
        species: [{ id: 'X', initial: 0 }],
        parameters: [
          { id: 'a', value: a },
          { id: 'K', value: K },
          { id: 'mu', value: mu },
        ],
        reactions: [
          { id: 'make', products: { X: 1 }, propensity: 'a/(1 + (X/K)^2)' },
          { id: 'decay', reactants: { X: 1 }, propensity: 'mu*X' },
        ],
        time: { end: 8, points: 41 },
      },
      41,
    );
    // Truncated at X <= 150, where the stationary mass is below 1e-80.
    const cme = solveCme(
      [0],
      [
        { propensity: ([x]) => a / (1 + (x / K) ** 2), change: [1] },
        { propensity: ([x]) => mu * x, change: [-1] },
      ],
      ([x]) => x <= 150,
      ensemble.time,
    );
    expect(cme.lost).toBeLessThan(1e-12);
    expect(momentFailures(ensemble, 'X', (g) => cmeMoments(cme.states, cme.p[g], 0))).toEqual([]);
  });

  it('the toggle-switch example (Hill repression in two species): transient CME for U and V at every time', () => {
    const model = getExample('toggle-switch')!;
    const ensemble = simulate(model, 51);
    const value = (id: string) => model.parameters!.find((p) => p.id === id)!.value;
    const [alpha1, alpha2, beta, gamma, mu] = ['alpha1', 'alpha2', 'beta', 'gamma', 'mu'].map(value);
    const u0 = model.species.find((s) => s.id === 'U')!.initial as number;
    const v0 = model.species.find((s) => s.id === 'V')!.initial as number;
    // Production is at most alpha <= 1 against decay mu·X, so counts above 40 are out of reach (mass < 1e-20).
    const cme = solveCme(
      [u0, v0],
      [
        { propensity: ([, v]) => alpha1 / (1 + v ** beta), change: [1, 0] },
        { propensity: ([u]) => alpha2 / (1 + u ** gamma), change: [0, 1] },
        { propensity: ([u]) => mu * u, change: [-1, 0] },
        { propensity: ([, v]) => mu * v, change: [0, -1] },
      ],
      ([u, v]) => u <= 40 && v <= 40,
      ensemble.time,
    );
    expect(cme.lost).toBeLessThan(1e-12);
    expect(momentFailures(ensemble, 'U', (g) => cmeMoments(cme.states, cme.p[g], 0))).toEqual([]);
    expect(momentFailures(ensemble, 'V', (g) => cmeMoments(cme.states, cme.p[g], 1))).toEqual([]);
  });
});
