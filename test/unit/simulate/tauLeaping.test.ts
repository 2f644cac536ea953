import { describe, expect, it } from 'vitest';
import { compileNetwork, getExample, validateModel, type ReactionNetworkInput } from '../../../engine/model/index.js';
import { deriveStreamState } from '../../../engine/sample/random/index.js';
import { DirectMethod } from '../../../engine/simulate/ssa/DirectMethod.js';
import { orderFactor, TauLeaping } from '../../../engine/simulate/tau/index.js';
import type { Simulator } from '../../../engine/simulate/types.js';

const network = (model: ReactionNetworkInput) => compileNetwork(validateModel(model));

/** Immigration-death with alpha = 100, mu = 0.1: X(t) is Poisson with mean 1000 (1 - e^{-t/10}) from X(0) = 0. */
const highCopy = network({
  ...getExample('immigration-death')!,
  parameters: [
    { id: 'alpha', value: 100 },
    { id: 'mu', value: 0.1 },
  ],
});

interface Moments {
  mean: Float64Array;
  steps: number;
  minimum: number;
  allIntegers: boolean;
}

/** Mean over `runs` trajectories of every (species, time) entry, plus checks on every value seen. */
function moments(simulator: Simulator, grid: Float64Array, runs: number, seed: number): Moments {
  const out = new Float64Array(simulator.speciesIds.length * grid.length);
  const mean = new Float64Array(out.length);
  let steps = 0;
  let minimum = Infinity;
  let allIntegers = true;
  for (let r = 0; r < runs; r++) {
    steps += simulator.simulateInto(out, grid, simulator.defaultParameters, deriveStreamState(seed, r));
    for (let i = 0; i < out.length; i++) {
      mean[i] += out[i] / runs;
      minimum = Math.min(minimum, out[i]);
      if (!Number.isInteger(out[i])) allIntegers = false;
    }
  }
  return { mean, steps, minimum, allIntegers };
}

describe('TauLeaping (Cao, Gillespie & Petzold 2006)', () => {
  it('matches the exact mean of a high-copy immigration-death process', () => {
    const grid = Float64Array.from([0, 1, 2, 5, 10, 20, 35, 50]);
    const { mean, minimum, allIntegers } = moments(new TauLeaping(highCopy), grid, 2000, 11);
    // Tolerance 2%: tau-leaping is biased by O(tau) in the mean (here the
    // Euler-like recursion of the linear mean, measured at about +1% with
    // eps = 0.03); the sampling error is far smaller (X(t) is Poisson, so
    // SE/mean = 1/sqrt(2000 · mean) <= 0.23% for mean >= 95).
    for (let g = 1; g < grid.length; g++) {
      const exact = 1000 * (1 - Math.exp(-0.1 * grid[g]));
      expect(Math.abs(mean[g] / exact - 1)).toBeLessThan(0.02);
    }
    expect(mean[0]).toBe(0);
    expect(minimum).toBeGreaterThanOrEqual(0);
    expect(allIntegers).toBe(true);
  });

  it('matches the exact mean of the low-copy birth-death process (DSMTS 00001) and never goes negative', () => {
    const grid = Float64Array.from([0, 10, 20, 30, 40, 50]);
    const { mean, minimum, allIntegers } = moments(new TauLeaping(network(getExample('birth-death')!)), grid, 4000, 12);
    // Tolerance 2%: exact mean 100 e^{-0.01 t}; the standard deviation at
    // t = 50 is 22.4 (variance x0 (λ+μ)/(λ-μ) e^{(λ-μ)t}(e^{(λ-μ)t} - 1)), so the
    // standard error of the mean is 0.35, 0.6% of 60.7: 2% is 3.4 standard errors.
    for (let g = 0; g < grid.length; g++) {
      expect(Math.abs(mean[g] / (100 * Math.exp(-0.01 * grid[g])) - 1)).toBeLessThan(0.02);
    }
    expect(minimum).toBeGreaterThanOrEqual(0);
    expect(allIntegers).toBe(true);
  });

  it('matches the exact SSA on a high-copy second-order dimerisation 2P ⇌ P2', () => {
    // DSMTS 00030 scaled up 20-fold (P0 = 2000, k1 / 20): leaps use the HOR 2, 2P rule for g_P.
    const dimers = network({
      ...getExample('dimerisation')!,
      species: [
        { id: 'P', initial: 2000 },
        { id: 'P2', initial: 0 },
      ],
      parameters: [
        { id: 'k1', value: 0.001 / 20 },
        { id: 'k2', value: 0.01 },
      ],
    });
    const grid = Float64Array.from([0, 5, 10, 25, 50]);
    const tau = moments(new TauLeaping(dimers), grid, 2000, 13);
    const ssa = moments(new DirectMethod(dimers), grid, 2000, 14);
    // Tolerance 2%: both means have standard deviation <= 25 per run (P) and
    // <= 13 (P2), so the difference of two 2000-run means has standard error
    // <= 0.8, under 0.2% of the smallest mean compared (P2(5) ~ 300); the
    // measured tau-leaping bias is about 0.7%.
    for (let i = 0; i < ssa.mean.length; i++) {
      if (ssa.mean[i] === 0) expect(tau.mean[i]).toBe(0);
      else expect(Math.abs(tau.mean[i] / ssa.mean[i] - 1)).toBeLessThan(0.02);
    }
    expect(tau.minimum).toBeGreaterThanOrEqual(0);
    expect(tau.allIntegers).toBe(true);
    expect(tau.steps).toBeLessThan(ssa.steps);
  });

  it('takes far fewer steps than the exact SSA on a high-copy model', () => {
    const grid = Float64Array.from([0, 10, 20, 30, 40, 50]);
    const tau = moments(new TauLeaping(highCopy), grid, 50, 15);
    const ssa = moments(new DirectMethod(highCopy), grid, 50, 15);
    // About 9000 SSA events per run against about 360 leaps + SSA steps.
    expect(tau.steps * 10).toBeLessThan(ssa.steps);
  });

  it('is deterministic: the same stream gives identical output and advances the stream identically', () => {
    const simulator = new TauLeaping(highCopy);
    const grid = Float64Array.from([0, 0.5, 3, 17.25, 40]);
    const run = (seed: number) => {
      const out = new Float64Array(grid.length);
      const rng = deriveStreamState(seed, 3);
      const steps = simulator.simulateInto(out, grid, simulator.defaultParameters, rng);
      return { out, rng, steps };
    };
    const first = run(42);
    const second = run(42);
    expect(second.out).toEqual(first.out);
    expect(second.rng).toEqual(first.rng);
    expect(second.steps).toBe(first.steps);
    expect(first.rng).not.toEqual(deriveStreamState(42, 3));
    expect(run(43).out).not.toEqual(first.out);
  });

  it('records the state at grid times that do not start at 0', () => {
    const simulator = new TauLeaping(highCopy);
    const grid = Float64Array.from([25, 50]);
    const out = new Float64Array(2);
    simulator.simulateInto(out, grid, simulator.defaultParameters, deriveStreamState(1, 0));
    // X(25) ~ Poisson(918): 8 standard deviations either way.
    expect(out[0]).toBeGreaterThan(918 - 250);
    expect(out[0]).toBeLessThan(918 + 250);
  });

  it('uses the g_i rule of the paper', () => {
    expect(orderFactor(1, 1, 50)).toBe(1);
    expect(orderFactor(2, 1, 50)).toBe(2);
    expect(orderFactor(2, 2, 50)).toBeCloseTo(2 + 1 / 49, 14);
    expect(orderFactor(3, 2, 50)).toBeCloseTo(1.5 * (2 + 1 / 49), 14);
    expect(orderFactor(3, 3, 50)).toBeCloseTo(3 + 1 / 49 + 2 / 48, 14);
  });

  it('rejects bad options with the option named', () => {
    expect(() => new TauLeaping(highCopy, { epsilon: 0 })).toThrow('tau option epsilon: expected a number in (0, 1), got 0');
    expect(() => new TauLeaping(highCopy, { epsilon: Number.NaN })).toThrow(/epsilon/);
    expect(() => new TauLeaping(highCopy, { criticalThreshold: 2.5 })).toThrow('tau option criticalThreshold: expected an integer >= 1, got 2.5');
    expect(() => new TauLeaping(highCopy, { maxSteps: 0 })).toThrow('tau option maxSteps: expected an integer >= 1, got 0');
  });

  it('stops with a clear error after maxSteps', () => {
    const simulator = new TauLeaping(highCopy, { maxSteps: 20 });
    const grid = Float64Array.from([0, 50]);
    expect(() => simulator.simulateInto(new Float64Array(2), grid, simulator.defaultParameters, deriveStreamState(1, 0))).toThrow(
      /more than 20 leaps and SSA steps before t=50/,
    );
  });
});
