import { describe, expect, it } from 'vitest';
import { compileNetwork, validateModel, type ReactionNetworkInput } from '../../../engine/model/index.js';
import { deriveStreamState } from '../../../engine/sample/random/index.js';
import { TauLeaping } from '../../../engine/simulate/tau/index.js';

const network = (model: ReactionNetworkInput) => compileNetwork(validateModel(model));

interface Runs {
  /** Mean of species `id` at grid index g. */
  mean(id: string, g: number): number;
  /** Every value of species `id` at grid index g, one per run. */
  values(id: string, g: number): Float64Array;
  minimum: number;
  allIntegers: boolean;
}

/** `runs` trajectories of `model` by tau-leaping on `grid`, seed fixed. */
function simulate(model: ReactionNetworkInput, grid: Float64Array, runs: number, seed: number, parameters?: Float64Array): Runs {
  const simulator = new TauLeaping(network(model));
  const nS = simulator.speciesIds.length;
  const nT = grid.length;
  const all = new Float64Array(runs * nS * nT);
  let minimum = Infinity;
  let allIntegers = true;
  for (let r = 0; r < runs; r++) {
    const out = all.subarray(r * nS * nT, (r + 1) * nS * nT);
    simulator.simulateInto(out, grid, parameters ?? simulator.defaultParameters, deriveStreamState(seed, r));
    for (let i = 0; i < out.length; i++) {
      minimum = Math.min(minimum, out[i]);
      if (!Number.isInteger(out[i])) allIntegers = false;
    }
  }
  const values = (id: string, g: number) => {
    const s = simulator.speciesIds.indexOf(id);
    return Float64Array.from({ length: runs }, (_, r) => all[(r * nS + s) * nT + g]);
  };
  const mean = (id: string, g: number) => values(id, g).reduce((sum, v) => sum + v, 0) / runs;
  return { mean, values, minimum, allIntegers };
}

/** Immigration-death (DSMTS 00020 with alpha, mu) plus `extra` fields. */
const immigrationDeath = (alpha: number, extra: Partial<ReactionNetworkInput> = {}): ReactionNetworkInput => ({
  species: [{ id: 'X', initial: 0 }],
  parameters: [
    { id: 'alpha', value: alpha },
    { id: 'mu', value: 0.1 },
  ],
  reactions: [
    { id: 'immigration', products: { X: 1 }, rate: 'alpha' },
    { id: 'death', reactants: { X: 1 }, rate: 'mu' },
  ],
  ...extra,
});

/** The exact mean of a linear process: a/m + (x0 - a/m) e^{-m (t - t0)}. */
const linear = (a: number, m: number, x0: number, t0: number) => (t: number) => a / m + (x0 - a / m) * Math.exp(-m * (t - t0));

const expectRelative = (actual: number, want: number, tolerance: number, what: string) =>
  expect(Math.abs(actual / want - 1), `${what}: ${actual} vs ${want}`).toBeLessThan(tolerance);

describe('TauLeaping with discrete dynamics', () => {
  describe('immigration-death with the time event t >= 25: X = 50', () => {
    const grid = Float64Array.from([0, 10, 24, 25, 26, 30, 50]);

    it('DSMTS scale (alpha = 1): every run has X = 50 at t = 25; means match the closed form within 2%', () => {
      // X(t) is Poisson(10 (1 - e^{-t/10})) before 25, and Binomial(50, e^{-(t-25)/10}) +
      // Poisson(10 (1 - e^{-(t-25)/10})) after: variance <= mean, so with 4000 runs the
      // standard error is <= sqrt(mean / 4000), 0.5% of the mean at t = 24 (mean 9.1) and
      // less after (means >= 13.3); 2% is > 3.8 standard errors. Counts this low are simulated mostly by the
      // exact SSA steps (tau' < 10 / a0), so the leap bias does not enter.
      const runs = simulate(immigrationDeath(1, { events: [{ id: 'reset', trigger: 't >= 25', assignments: { X: 50 } }] }), grid, 4000, 21);
      expect(runs.values('X', 3).every((v) => v === 50)).toBe(true);
      const before = linear(1, 0.1, 0, 0);
      const after = linear(1, 0.1, 50, 25);
      for (const g of [2, 4, 5, 6]) expectRelative(runs.mean('X', g), grid[g] < 25 ? before(grid[g]) : after(grid[g]), 0.02, `t=${grid[g]}`);
      expect(runs.minimum).toBeGreaterThanOrEqual(0);
      expect(runs.allIntegers).toBe(true);
    });

    it('high copy (alpha = 100, X = 2000): leaps end exactly at the event; means within 2%', () => {
      // Tau-leaping's own bias in the mean at eps = 0.03 is about +1% while X grows and
      // -1.5% 25 time units into the decay from 2000 (measured the same without any event,
      // starting from X0 = 2000; it grows with the distance from the steady state 1000, hence
      // a jump to only twice that). The sampling error at 1000 runs is below 0.15% of means >= 600.
      const runs = simulate(immigrationDeath(100, { events: [{ id: 'reset', trigger: 't >= 25', assignments: { X: 2000 } }] }), grid, 1000, 22);
      expect(runs.values('X', 3).every((v) => v === 2000)).toBe(true);
      const before = linear(100, 0.1, 0, 0);
      const after = linear(100, 0.1, 2000, 25);
      for (const g of [1, 2, 4, 5, 6]) expectRelative(runs.mean('X', g), grid[g] < 25 ? before(grid[g]) : after(grid[g]), 0.02, `t=${grid[g]}`);
      // Free of that bias: after the event the process is tau-leaping restarted from 2000,
      // so its means equal those of a plain run from X0 = 2000 (two-sample |Z| < 4).
      const restart = simulate(immigrationDeath(100, { species: [{ id: 'X', initial: 2000 }] }), Float64Array.from([0, 1, 5, 25]), 1000, 27);
      [4, 5, 6].forEach((g, i) => {
        const a = runs.values('X', g);
        const b = restart.values('X', i + 1);
        const variance = (v: Float64Array, m: number) => v.reduce((sum, x) => sum + (x - m) ** 2, 0) / (v.length - 1);
        const ma = runs.mean('X', g);
        const mb = restart.mean('X', i + 1);
        const z = (ma - mb) / Math.sqrt(variance(a, ma) / a.length + variance(b, mb) / b.length);
        expect(Math.abs(z), `t=${grid[g]}: ${ma} vs ${mb}`).toBeLessThan(4);
      });
    });

    it('a strict trigger t > 25 is applied after recording t = 25', () => {
      const runs = simulate(immigrationDeath(1, { events: [{ id: 'reset', trigger: 't > 25', assignments: { X: 50 } }] }), grid, 2000, 23);
      // Poisson(9.18) at 25: SE 0.07, 2% = 0.18. At 26: variance about 5.3, SE 0.05, 2% = 0.92.
      expectRelative(runs.mean('X', 3), linear(1, 0.1, 0, 0)(25), 0.02, 't=25');
      expectRelative(runs.mean('X', 4), linear(1, 0.1, 50, 25)(26), 0.02, 't=26');
    });
  });

  it('dimerisation with the state event P2 > 30 → P = 100, P2 = 0: resets happen, counts stay valid', () => {
    // DSMTS 00030 (low copy, mostly exact SSA steps) and scaled 20-fold (leaps; the
    // trigger may then be crossed inside a leap and fires at its end).
    const dimers = (scale: number): ReactionNetworkInput => ({
      species: [
        { id: 'P', initial: 100 * scale },
        { id: 'P2', initial: 0 },
        { id: 'R', initial: 0, boundary: true },
      ],
      parameters: [
        { id: 'k1', value: 0.001 / scale },
        { id: 'k2', value: 0.01 },
      ],
      reactions: [
        { id: 'dimerisation', reactants: { P: 2 }, products: { P2: 1 }, rate: 'k1/2' },
        { id: 'dissociation', reactants: { P2: 1 }, products: { P: 2 }, rate: 'k2' },
      ],
      events: [{ id: 'reset', trigger: `P2 > ${30 * scale}`, assignments: { P: 100 * scale, P2: 0, R: 'R + 1' } }],
    });
    const grid = Float64Array.from({ length: 51 }, (_, i) => i);
    for (const scale of [1, 20]) {
      const runs = simulate(dimers(scale), grid, 200, 24 + scale);
      const resets = runs.values('R', 50);
      expect(resets.reduce((sum, v) => sum + v, 0)).toBeGreaterThan(0);
      expect(runs.minimum).toBeGreaterThanOrEqual(0);
      expect(runs.allIntegers).toBe(true);
      for (let g = 0; g < 51; g++) {
        const p = runs.values('P', g);
        const p2 = runs.values('P2', g);
        for (let r = 0; r < p.length; r++) {
          // The reset keeps P + 2 P2 conserved, and a recorded state is after the event, so P2 <= threshold.
          expect(p[r] + 2 * p2[r]).toBe(100 * scale);
          expect(p2[r]).toBeLessThanOrEqual(30 * scale);
        }
      }
      // The rate equations reset at 17.97 and 35.93 (odeDynamics.test.ts); at scale 20 the
      // fluctuations are small, so nearly every run has reset exactly twice by t = 50.
      if (scale === 20) expect(resets.filter((v) => v === 2).length).toBeGreaterThan(180);
    }
  });

  it('records a boundary species set by the rule Y = 2 X; a propensity reading Y sees it', () => {
    const grid = Float64Array.from([0, 5, 20, 50]);
    const runs = simulate(
      {
        ...immigrationDeath(100),
        species: [
          { id: 'X', initial: 0 },
          { id: 'Y', initial: 7, boundary: true },
        ],
        reactions: [
          { id: 'immigration', products: { X: 1 }, rate: 'alpha' },
          { id: 'death', reactants: { X: 1 }, propensity: 'mu * Y / 2' },
        ],
        rules: [{ variable: 'Y', expression: '2 * X' }],
      },
      grid,
      1000,
      31,
    );
    for (let g = 0; g < grid.length; g++) {
      const x = runs.values('X', g);
      const y = runs.values('Y', g);
      for (let r = 0; r < x.length; r++) expect(y[r]).toBe(2 * x[r]);
      // Same law as immigration-death; 2% as in the high-copy case above.
      if (g > 0) expectRelative(runs.mean('X', g), linear(100, 0.1, 0, 0)(grid[g]), 0.02, `t=${grid[g]}`);
    }
  });

  it('a parameter rule y = 2 X used in a propensity', () => {
    const grid = Float64Array.from([0, 5, 20, 50]);
    const runs = simulate(
      {
        ...immigrationDeath(100),
        parameters: [
          { id: 'alpha', value: 100 },
          { id: 'mu', value: 0.1 },
          { id: 'y', value: 0 },
        ],
        reactions: [
          { id: 'immigration', products: { X: 1 }, rate: 'alpha' },
          { id: 'death', reactants: { X: 1 }, propensity: 'mu * y / 2' },
        ],
        rules: [{ variable: 'y', expression: '2 * X' }],
      },
      grid,
      1000,
      32,
    );
    for (let g = 1; g < grid.length; g++) expectRelative(runs.mean('X', g), linear(100, 0.1, 0, 0)(grid[g]), 0.02, `t=${grid[g]}`);
  });

  it('evaluates the initial expression X0 from the parameters passed in, and checks it is a count', () => {
    const model = immigrationDeath(1, {
      species: [{ id: 'X', initial: 'X0' }],
      parameters: [
        { id: 'alpha', value: 1 },
        { id: 'mu', value: 0.1 },
        { id: 'X0', value: 30 },
      ],
    });
    const grid = Float64Array.from([0, 10]);
    const runs = simulate(model, grid, 2000, 41);
    expect(runs.values('X', 0).every((v) => v === 30)).toBe(true);
    // Binomial(30, e^{-1}) + Poisson(10 (1 - e^{-1})): mean 17.36, SD 3.7, SE 0.08 (0.5%).
    expectRelative(runs.mean('X', 1), linear(1, 0.1, 30, 0)(10), 0.02, 't=10');
    expect(simulate(model, grid, 1, 42, Float64Array.from([1, 0.1, 12])).values('X', 0)[0]).toBe(12);
    expect(() => simulate(model, grid, 1, 43, Float64Array.from([1, 0.1, 2.5]))).toThrow(/non-negative integer/);
  });

  it('an event assigning alpha changes the rate constant from then on; the caller’s parameters are not changed', () => {
    const model = immigrationDeath(100, { events: [{ id: 'boost', trigger: 't >= 10', assignments: { alpha: 500 } }] });
    const simulator = new TauLeaping(network(model));
    const grid = Float64Array.from([0, 5, 10, 20, 50]);
    const parameters = Float64Array.from([100, 0.1]);
    const out = new Float64Array(grid.length);
    const mean = new Float64Array(grid.length);
    const runs = 1000;
    for (let r = 0; r < runs; r++) {
      simulator.simulateInto(out, grid, parameters, deriveStreamState(51, r));
      for (let g = 0; g < grid.length; g++) mean[g] += out[g] / runs;
    }
    expect([...parameters]).toEqual([100, 0.1]);
    const x10 = linear(100, 0.1, 0, 0)(10);
    // 2% as in the high-copy case above.
    for (let g = 1; g < grid.length; g++) {
      expectRelative(mean[g], grid[g] <= 10 ? linear(100, 0.1, 0, 0)(grid[g]) : linear(500, 0.1, x10, 10)(grid[g]), 0.02, `t=${grid[g]}`);
    }
  });
});
