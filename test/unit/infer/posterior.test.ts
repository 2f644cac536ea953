/** Posterior summaries of weighted particles: means, sds, weighted quantiles, credible intervals, KDE, CSV. */
import { describe, expect, it } from 'vitest';
import { effectiveSampleSize, Posterior, weightedQuantile, type Generation } from '../../../engine/infer';
import { NormalPrior, Xoshiro128 } from '../../../engine/sample';

function generation(particles: number[], weights: number[], dimension = 1): Generation {
  const count = weights.length;
  const w = Float64Array.from(weights);
  return {
    index: 0,
    epsilon: 1,
    count,
    dimension,
    particles: Float64Array.from(particles),
    weights: w,
    distances: new Float64Array(count),
    features: new Float64Array(0),
    featureCount: 0,
    simulations: count,
    acceptanceRate: 1,
    ess: effectiveSampleSize(w),
    distance: { kind: 'euclidean' },
  };
}

describe('weightedQuantile', () => {
  it('is Hazen’s quantile for equal weights and respects weights', () => {
    expect(weightedQuantile([1, 2, 3, 4], null, 0.5)).toBe(2.5);
    expect(weightedQuantile([4, 1, 3, 2], null, 0.125)).toBe(1);
    expect(weightedQuantile([1, 2, 3, 4], null, 0)).toBe(1);
    expect(weightedQuantile([1, 2, 3, 4], null, 1)).toBe(4);
    // Weight 0 values never matter; a dominant weight pulls the median.
    expect(weightedQuantile([1, 100, 2], [1, 0, 1], 0.99)).toBe(2);
    expect(weightedQuantile([1, 2, 3], [0.1, 0.8, 0.1], 0.5)).toBe(2);
  });
});

describe('Posterior', () => {
  // 20,000 equally weighted draws from N(3, 0.5²): summaries must match the distribution.
  const rng = new Xoshiro128([9, 8, 7, 6]);
  const prior = new NormalPrior(3, 0.5);
  const draws = Array.from({ length: 20_000 }, () => prior.sample(rng));
  const posterior = new Posterior(
    ['k'],
    [
      generation(
        draws,
        draws.map(() => 1 / draws.length),
      ),
    ],
    {},
    'populationComplete',
    draws.length,
  );

  it('mean, sd, median and the 95% interval match the distribution (4 standard errors)', () => {
    const se = 0.5 / Math.sqrt(20_000);
    expect(Math.abs(posterior.mean()[0] - 3)).toBeLessThan(4 * se);
    expect(Math.abs(posterior.sd()[0] - 0.5)).toBeLessThan((4 * 0.5) / Math.sqrt(40_000));
    expect(Math.abs(posterior.median()[0] - 3)).toBeLessThan(5 * se);
    const [[lo, hi]] = posterior.credibleInterval(0.95);
    // Quantile standard error at p = 0.025: √(p(1-p)/n)/φ(z) ≈ 0.0019 in sd units → 0.02 is ample.
    expect(lo).toBeCloseTo(3 - 1.959964 * 0.5, 1);
    expect(Math.abs(lo - (3 - 1.959964 * 0.5))).toBeLessThan(0.02);
    expect(Math.abs(hi - (3 + 1.959964 * 0.5))).toBeLessThan(0.02);
    expect(posterior.summary()[0]).toMatchObject({ parameter: 'k', lower: lo, upper: hi });
  });

  it('weighted KDE integrates to one and peaks near the mode', () => {
    const { x, density, bandwidth } = posterior.kde('k', { points: 400 });
    let integral = 0;
    for (let j = 1; j < x.length; j++) integral += 0.5 * (density[j] + density[j - 1]) * (x[j] - x[j - 1]);
    expect(integral).toBeCloseTo(1, 3);
    const peak = x[density.indexOf(Math.max(...density))];
    expect(Math.abs(peak - 3)).toBeLessThan(0.1);
    // Silverman: 0.9 · 0.5 · 20000^(-1/5) ≈ 0.0622.
    expect(bandwidth).toBeCloseTo(0.9 * 0.5 * Math.pow(20_000, -0.2), 2);
  });

  it('uses importance weights: a two-point posterior', () => {
    const p = new Posterior(['a', 'b'], [generation([0, 10, 1, 20], [0.25, 0.75], 2)], {}, 'epsilonTarget', 2);
    expect(Array.from(p.mean())).toEqual([0.75, 17.5]);
    expect(p.sd()[0]).toBeCloseTo(Math.sqrt(0.25 * 0.75), 12);
    expect(Array.from(p.values('b'))).toEqual([10, 20]);
    expect(() => p.values('c')).toThrow(/unknown parameter "c"; parameters are a, b/);
    expect(p.toCsv()).toBe('a,b,weight,distance\n0,10,0.25,0\n1,20,0.75,0\n');
  });
});
