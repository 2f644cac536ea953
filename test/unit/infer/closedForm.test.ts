/**
 * ABC against posteriors known in closed form.
 *
 * 1. Normal mean: θ ~ N(0, 2²), data y_1..y_25 ~ N(θ, 1), statistic the sample
 *    mean ȳ ~ N(θ, 0.2²), observed ȳ = 1. Exact posterior N(μ, τ²) with
 *    τ² = 1/(1/4 + 25) and μ = 25·τ² (so μ = 0.990, τ = 0.199). Simulated
 *    directly by a function executor.
 * 2. Poisson rate: α ~ Gamma(3, rate 1), the immigration model ∅ → X at rate
 *    α simulated by the exact SSA for t = 0..10, statistic X(10) (the
 *    series' maximum) ~ Poisson(10α), observed 30. Exact posterior
 *    Gamma(33, rate 11): mean 3, sd √33/11 = 0.522. The statistic is
 *    discrete and sufficient, so epsilon = 0 is exact ABC.
 *
 * Tolerances: the Monte Carlo error of a posterior mean is sd/√ESS and of a
 * posterior sd about sd/√(2·ESS); the thresholds below are about four of
 * those (ESS >= 600 for rejection, >= 400 for SMC) plus the epsilon bias
 * left at the smallest epsilon (< 0.1% of the variance here). Seeds are fixed.
 */
import { describe, expect, it } from 'vitest';
import { InProcessExecutor } from '../../../engine/compute/InProcessExecutor';
import {
  abcRejection,
  LocalCovarianceKernel,
  MultivariateNormalKernel,
  NearestNeighbourKernel,
  replenishmentSmcAbc,
  smcAbc,
  type Posterior,
} from '../../../engine/infer';
import { IndependentPrior, NormalPrior } from '../../../engine/sample';
import { FunctionExecutor, GammaPrior, meanSd, PLACEHOLDER_SIMULATION } from './fixtures';

const TAU2 = 1 / (1 / 4 + 25);
const EXACT_NORMAL = { mean: 25 * TAU2 * 1, sd: Math.sqrt(TAU2) };
const normalPrior = new IndependentPrior({ theta: new NormalPrior(0, 2) });
const sampleMean = () => new FunctionExecutor((p, rng) => [p[0] + 0.2 * rng.nextNormal()]);
const normalProblem = {
  prior: normalPrior,
  simulation: PLACEHOLDER_SIMULATION,
  summaries: { kind: 'identity' },
  observed: Float64Array.of(1),
  distance: (x: Float64Array, y: Float64Array) => Math.abs(x[0] - y[0]),
};

function fit(posterior: Posterior) {
  const g = posterior.last;
  return { ...meanSd(posterior.values(0), g.weights), ess: g.ess };
}

describe('normal mean with a normal prior (sample mean as statistic)', () => {
  it('ABC rejection converges to the exact posterior as epsilon shrinks', async () => {
    const errors: number[] = [];
    let last = { mean: 0, sd: 0, ess: 0 };
    for (const epsilon of [0.5, 0.1, 0.02]) {
      const posterior = await abcRejection({ ...normalProblem, executor: sampleMean(), epsilon, populationSize: 1000, seed: 21 });
      last = fit(posterior);
      errors.push(Math.abs(last.sd - EXACT_NORMAL.sd) + Math.abs(last.mean - EXACT_NORMAL.mean));
      expect(posterior.stopReason).toBe('populationComplete');
    }
    expect(errors[1]).toBeLessThan(errors[0]);
    expect(errors[2]).toBeLessThan(errors[0]);
    // ESS = 1000: 4·τ/√1000 = 0.025 for the mean; 4/√2000 = 9% for the sd.
    expect(Math.abs(last.mean - EXACT_NORMAL.mean)).toBeLessThan(0.03);
    expect(Math.abs(last.sd / EXACT_NORMAL.sd - 1)).toBeLessThan(0.1);
  });

  it('ABC rejection keeping the nearest of a budget approaches the same posterior', async () => {
    const posterior = await abcRejection({ ...normalProblem, executor: sampleMean(), budget: 100_000, k: 1000, seed: 5 });
    const { mean, sd } = fit(posterior);
    expect(posterior.stopReason).toBe('budgetExhausted');
    expect(posterior.last.count).toBe(1000);
    // k = 1000 of 100,000 gives epsilon ≈ 0.03; same tolerances as above.
    expect(posterior.last.epsilon).toBeLessThan(0.05);
    expect(Math.abs(mean - EXACT_NORMAL.mean)).toBeLessThan(0.03);
    expect(Math.abs(sd / EXACT_NORMAL.sd - 1)).toBeLessThan(0.1);
  });

  it.each([
    ['multivariate normal kernel (2 × weighted covariance)', undefined],
    ['optimal local covariance kernel', new LocalCovarianceKernel()],
    ['k-nearest-neighbour kernel', new NearestNeighbourKernel()],
    ['multivariate normal kernel with Silverman’s bandwidth', new MultivariateNormalKernel({ scale: 'silverman' })],
  ])('SMC-ABC with the %s reaches the exact posterior', async (_label, kernel) => {
    const posterior = await smcAbc({
      ...normalProblem,
      executor: sampleMean(),
      kernel,
      populationSize: 1000,
      epsilonTarget: 0.01,
      maxGenerations: 20,
      seed: 8,
    });
    const { mean, sd, ess } = fit(posterior);
    expect(posterior.stopReason).toBe('epsilonTarget');
    expect(posterior.last.epsilon).toBe(0.01);
    expect(ess).toBeGreaterThan(400);
    // ESS > 400: 4·τ/√400 = 0.04 for the mean, 4/√800 = 14% for the sd.
    expect(Math.abs(mean - EXACT_NORMAL.mean)).toBeLessThan(0.04);
    expect(Math.abs(sd / EXACT_NORMAL.sd - 1)).toBeLessThan(0.15);
    // Thresholds decrease, and the early, wide generations are visibly wider than the last.
    const eps = posterior.generations.map((g) => g.epsilon);
    for (let i = 1; i < eps.length; i++) expect(eps[i]).toBeLessThanOrEqual(eps[i - 1]);
    expect(fit({ last: posterior.generations[1], values: (k: number) => posterior.values(k, 1) } as unknown as Posterior).sd).toBeGreaterThan(sd);
  });

  it('replenishment SMC-ABC reaches the exact posterior', async () => {
    const posterior = await replenishmentSmcAbc({ ...normalProblem, executor: sampleMean(), populationSize: 1000, epsilonTarget: 0.03, seed: 4 });
    const { mean, sd } = fit(posterior);
    expect(['epsilonTarget', 'minAcceptanceRate']).toContain(posterior.stopReason);
    expect(posterior.last.epsilon).toBeLessThan(0.06);
    // MCMC moves leave duplicates (about c = 1% unmoved per iteration), so 20% on the sd and 0.05 on the mean.
    expect(Math.abs(mean - EXACT_NORMAL.mean)).toBeLessThan(0.05);
    expect(Math.abs(sd / EXACT_NORMAL.sd - 1)).toBeLessThan(0.2);
  });
});

describe('Poisson rate with a gamma prior (immigration model, exact SSA)', () => {
  const EXACT = { mean: 33 / 11, sd: Math.sqrt(33) / 11 };
  const problem = {
    prior: new GammaPrior('alpha', 3, 1),
    simulation: {
      model: {
        name: 'immigration',
        species: [{ id: 'X', initial: 0 }],
        parameters: [{ id: 'alpha', value: 1 }],
        reactions: [{ id: 'in', products: { X: 1 }, rate: 'alpha' }],
      },
      time: [0, 10],
    },
    summaries: { kind: 'time-series-features', features: ['maximum'] },
    observed: Float64Array.of(30),
  };

  it('ABC rejection is exact at epsilon = 0 and wider for larger epsilon', async () => {
    const sds: number[] = [];
    let last = { mean: 0, sd: 0, ess: 0 };
    for (const epsilon of [8, 3, 0]) {
      const posterior = await abcRejection({ ...problem, executor: new InProcessExecutor({ batchSize: 64 }), epsilon, populationSize: 1000, seed: 3 });
      last = fit(posterior);
      sds.push(last.sd);
    }
    expect(sds[0]).toBeGreaterThan(sds[1]);
    expect(sds[1]).toBeGreaterThan(sds[2]);
    // ESS = 1000: 4·0.522/√1000 = 0.066 on the mean, 9% on the sd.
    expect(Math.abs(last.mean - EXACT.mean)).toBeLessThan(0.07);
    expect(Math.abs(last.sd / EXACT.sd - 1)).toBeLessThan(0.1);
  });

  it('SMC-ABC reaches epsilon = 0 and the exact posterior', async () => {
    const posterior = await smcAbc({ ...problem, populationSize: 1000, epsilonTarget: 0, maxGenerations: 15, seed: 6 });
    const { mean, sd, ess } = fit(posterior);
    expect(posterior.last.distances.every((d) => d === 0)).toBe(true);
    expect(ess).toBeGreaterThan(400);
    // ESS > 400: 4·0.522/√400 = 0.1 on the mean, 14% on the sd.
    expect(Math.abs(mean - EXACT.mean)).toBeLessThan(0.1);
    expect(Math.abs(sd / EXACT.sd - 1)).toBeLessThan(0.15);
  });
});
