/**
 * Regression adjustment (Beaumont, Zhang & Balding 2002) against posteriors
 * known in closed form.
 *
 * Gaussian model: θ ~ N(0, 2²); statistics s₁ = θ + N(0, 0.25²) and three
 * statistics of pure noise N(0, 1) that do not depend on θ; observed
 * s = (1, 0.3, −0.5, 1.2). The exact posterior given s is that given s₁:
 * N(μ, τ²) with τ² = 1/(1/4 + 16) = 0.06154 (τ = 0.2481) and μ = 16·τ² = 0.9846.
 * (θ, s) is jointly Gaussian, so E[θ | s] is linear in s and Var[θ | s] is
 * constant: within any window of s the local-linear model is exact, and the
 * adjusted particles are draws from the exact posterior up to the error of
 * the fitted slope. Rejection keeping the nearest 10% of 20,000 prior draws
 * (Euclidean distance on all four statistics) leaves a threshold so wide
 * that the unadjusted posterior is about three times too wide.
 *
 * Tolerances: after the Epanechnikov weights the ESS is about 1,100; the
 * Monte Carlo error of a mean is τ/√ESS = 0.0075 and of an sd about
 * 1/√(2·ESS) = 2.1% (relative); the thresholds are about four of those.
 */
import { describe, expect, it } from 'vitest';
import { abcRejection, adjustGeneration, InferenceError, Posterior, regressionAdjustmentSpec, smcAbc, type Generation } from '../../../engine/infer';
import { IndependentPrior, NormalPrior, UniformPrior } from '../../../engine/sample';
import { FunctionExecutor, meanSd, PLACEHOLDER_SIMULATION } from './fixtures';

const TAU2 = 1 / (1 / 4 + 16);
const EXACT = { mean: 16 * TAU2, sd: Math.sqrt(TAU2) };
const gaussian = {
  prior: new IndependentPrior({ theta: new NormalPrior(0, 2) }),
  simulation: PLACEHOLDER_SIMULATION,
  summaries: { kind: 'identity' },
  observed: Float64Array.of(1, 0.3, -0.5, 1.2),
  distance: { kind: 'euclidean' },
};
const simulate = () => new FunctionExecutor((p, rng) => [p[0] + 0.25 * rng.nextNormal(), rng.nextNormal(), rng.nextNormal(), rng.nextNormal()], 500);

function fit(g: Generation) {
  return {
    ...meanSd(
      Float64Array.from({ length: g.count }, (_, i) => g.particles[i * g.dimension]),
      g.weights,
    ),
    ess: g.ess,
  };
}

describe('local-linear regression adjustment, Gaussian model (closed form)', () => {
  it('turns a far too wide rejection posterior into the exact one', async () => {
    const posterior = await abcRejection({ ...gaussian, executor: simulate(), budget: 20_000, quantile: 0.1, seed: 31, regressionAdjustment: true });
    const raw = fit(posterior.unadjusted);
    const adjusted = fit(posterior.last);
    expect(raw.sd).toBeGreaterThan(2.5 * EXACT.sd);
    expect(adjusted.ess).toBeGreaterThan(900);
    expect(Math.abs(adjusted.mean - EXACT.mean)).toBeLessThan(0.03);
    expect(Math.abs(adjusted.sd / EXACT.sd - 1)).toBeLessThan(0.08);
    // The regression found the one informative statistic: the slope's standardised effect is almost all in s₁.
    const fits = posterior.adjustment!.fits;
    expect(fits).toHaveLength(1);
    expect(fits[0].features).toBe(4);
    expect(fits[0].degreesOfFreedom).toBeGreaterThan(1);
    expect(fits[0].degreesOfFreedom).toBeLessThan(4.5);
  });

  it('adjusts the final generation of SMC-ABC too (importance weights times Epanechnikov weights)', async () => {
    const posterior = await smcAbc({ ...gaussian, executor: simulate(), populationSize: 1000, maxGenerations: 3, seed: 7, regressionAdjustment: true });
    const raw = fit(posterior.unadjusted);
    const adjusted = fit(posterior.last);
    expect(raw.sd).toBeGreaterThan(1.5 * EXACT.sd);
    // ESS > 500 after both weightings: 4·τ/√500 = 0.045 on the mean, 4/√1000 = 13% on the sd.
    expect(adjusted.ess).toBeGreaterThan(500);
    expect(Math.abs(adjusted.mean - EXACT.mean)).toBeLessThan(0.045);
    expect(Math.abs(adjusted.sd / EXACT.sd - 1)).toBeLessThan(0.13);
    // Every statistic and view of the posterior reads the adjusted generation; the stored generations stay as sampled.
    expect(posterior.generation()).toBe(posterior.last);
    expect(posterior.generation(posterior.generations.length - 1)).toBe(posterior.last);
    expect(posterior.generations.at(-1)).toBe(posterior.unadjusted);
    expect(posterior.mean()[0]).toBeCloseTo(adjusted.mean, 12);
    expect(posterior.toCsv().split('\n')[1]).toBe(`${posterior.last.particles[0]},${posterior.last.weights[0]},${posterior.last.distances[0]}`);
  });

  it('is recomputed bit for bit from the stored run (JSON, or generations and config as a project keeps them)', async () => {
    const posterior = await smcAbc({ ...gaussian, executor: simulate(), populationSize: 200, maxGenerations: 3, seed: 9, regressionAdjustment: true });
    expect(posterior.config.regressionAdjustment).toEqual({ kind: 'localLinear', lower: [null], upper: [null] });
    const json = JSON.parse(JSON.stringify(posterior));
    expect(json.adjusted.particles).toEqual(Array.from(posterior.last.particles));
    const back = Posterior.fromJSON(json);
    expect(Array.from(back.last.particles)).toEqual(Array.from(posterior.last.particles));
    expect(Array.from(back.last.weights)).toEqual(Array.from(posterior.last.weights));
    const stored = new Posterior(posterior.parameterNames, posterior.generations, posterior.config, posterior.stopReason, posterior.simulations);
    expect(Array.from(stored.last.particles)).toEqual(Array.from(posterior.last.particles));
    // Without the option the config says so and nothing is adjusted.
    const plain = await smcAbc({ ...gaussian, executor: simulate(), populationSize: 200, maxGenerations: 3, seed: 9 });
    expect(plain.config.regressionAdjustment).toBeNull();
    expect(plain.last).toBe(plain.unadjusted);
    expect(Array.from(plain.unadjusted.particles)).toEqual(Array.from(posterior.unadjusted.particles));
  });
});

describe('the transform keeps adjusted values inside the prior support', () => {
  // θ ~ U(0, 10), s = θ + N(0, 1), observed s = 0.2: the posterior piles up against 0.
  const nearBound = {
    prior: new IndependentPrior({ theta: new UniformPrior(0, 10) }),
    simulation: PLACEHOLDER_SIMULATION,
    summaries: { kind: 'identity' },
    observed: Float64Array.of(0.2),
    distance: { kind: 'euclidean' },
    executor: new FunctionExecutor((p, rng) => [p[0] + rng.nextNormal()], 500),
    budget: 5000,
    quantile: 0.2,
    seed: 4,
  };

  it('logit between two bounds: every adjusted particle stays in (0, 10); on the raw scale some fall below 0', async () => {
    const bounded = await abcRejection({ ...nearBound, regressionAdjustment: true });
    expect(bounded.config.regressionAdjustment).toEqual({ kind: 'localLinear', lower: [0], upper: [10] });
    expect(bounded.last.particles.every((v) => v > 0 && v < 10)).toBe(true);
    const raw = await abcRejection({ ...nearBound, regressionAdjustment: { transform: false } });
    expect(raw.config.regressionAdjustment).toEqual({ kind: 'localLinear', lower: [null], upper: [null] });
    expect(raw.last.particles.some((v) => v < 0)).toBe(true);
  });

  it('rejects a bad option before simulating, naming the field', async () => {
    const executor = new FunctionExecutor(() => [0]);
    await expect(abcRejection({ ...nearBound, executor, regressionAdjustment: { kind: 'quadratic' } as never })).rejects.toThrow(
      'regressionAdjustment.kind: expected "localLinear", got "quadratic"',
    );
    await expect(smcAbc({ ...nearBound, executor, regressionAdjustment: 'yes' as never })).rejects.toBeInstanceOf(InferenceError);
    expect(executor.calls).toBe(0);
  });
});

describe('adjustGeneration edge cases', () => {
  const spec = regressionAdjustmentSpec(true, 1)!;
  const base: Generation = {
    index: 0,
    epsilon: 1,
    count: 4,
    dimension: 1,
    particles: Float64Array.of(1, 2, 3, 4),
    weights: Float64Array.of(0.25, 0.25, 0.25, 0.25),
    distances: Float64Array.of(0, 0.5, 0.5, 1),
    features: Float64Array.of(5, 5, 5, 5),
    featureCount: 1,
    simulations: 4,
    acceptanceRate: 1,
    ess: 4,
    distance: { kind: 'euclidean' },
  };

  it('statistics that do not vary leave the particles where they are (weights still Epanechnikov)', () => {
    const { generation, fits } = adjustGeneration(base, [5], spec);
    expect(Array.from(generation.particles)).toEqual([1, 2, 3, 4]);
    expect(fits[0].features).toBe(0);
    // K = 1 − (d/δ)²: 1, 0.75, 0.75, 0 → normalised.
    expect(Array.from(generation.weights)).toEqual([1 / 2.5, 0.75 / 2.5, 0.75 / 2.5, 0]);
  });

  it('refuses observed statistics of the wrong length', () => {
    expect(() => adjustGeneration(base, [5, 6], spec)).toThrow('regression adjustment: 1 statistics per particle but 2 observed');
  });
});
