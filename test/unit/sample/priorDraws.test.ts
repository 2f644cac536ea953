import { describe, expect, it } from 'vitest';
import { createIndependentPrior } from '../../../engine/sample/priors/index.js';
import { defaultUniformPrior, drawPrior, priorDisplayRange } from '../../../engine/sample/priors/priorDraws.js';
import { Xoshiro128 } from '../../../engine/sample/random/index.js';

describe('prior draws for the app', () => {
  const prior = createIndependentPrior({ k: { kind: 'uniform', lower: 1, upper: 3 }, m: { kind: 'normal', mean: 0, sd: 2 } }, 'priors');

  it('draws n joint rows in one stream: the same seed gives the same rows, each inside the support', () => {
    const a = drawPrior(prior, 500, Xoshiro128.fromSeed(9, 0));
    expect(a).toHaveLength(1000);
    expect(Array.from(a)).toEqual(Array.from(drawPrior(prior, 500, Xoshiro128.fromSeed(9, 0))));
    for (let i = 0; i < 500; i++) expect(a[2 * i] >= 1 && a[2 * i] <= 3).toBe(true);
  });

  it('plots a bounded component on its support and an unbounded one between its 0.1 % and 99.9 % quantiles', () => {
    const { lower, upper } = priorDisplayRange(prior);
    expect([lower[0], upper[0]]).toEqual([1, 3]);
    // Normal(0, 2): the 99.9 % quantile is 2 · 3.0902 = 6.1805.
    expect(upper[1]).toBeCloseTo(6.1805, 3);
    expect(lower[1]).toBeCloseTo(-6.1805, 3);
  });

  it('defaults to uniform on [θ/2, 2θ], mirrored for a negative θ, [0, 1] for θ = 0', () => {
    expect(defaultUniformPrior(4)).toEqual({ kind: 'uniform', lower: 2, upper: 8 });
    expect(defaultUniformPrior(-4)).toEqual({ kind: 'uniform', lower: -8, upper: -2 });
    expect(defaultUniformPrior(0)).toEqual({ kind: 'uniform', lower: 0, upper: 1 });
  });
});
