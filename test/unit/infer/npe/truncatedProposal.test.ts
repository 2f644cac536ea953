/**
 * The truncated prior of TSNPE against a closed-form density estimate.
 *
 * The estimate is q = N(m, s² I₂) (exact sampler and log-density), the prior
 * U(−2, 2)². log q ≥ τ is the disc |θ − m|² ≤ r² with
 * r² = 2 s² (−log(2π s²) − τ), and |θ − m|²/(2 s²) ~ Exp(1) under q, so:
 * - the threshold at quantile p sits at τ = −log(2π s²) + log p. Its sample
 *   version from n = 10,000 draws has sd √(p(1−p)/n) / p in the Exp(1) scale
 *   (0.044 at p = 0.05): checked to 0.15 (about 3.5 sd);
 * - the region's prior mass, for the τ actually found, is the disc's area
 *   (clipped to the square when it crosses an edge, computed on a fine grid)
 *   over 16. The estimate is a binomial proportion over at least 20,000 prior
 *   draws (sd ≤ 0.0035): checked to 4 sd of the reported error, plus 0.002
 *   for the grid.
 */
import { describe, expect, it } from 'vitest';
import { InferenceError } from '../../../../engine/infer';
import { highDensityThreshold, sampleTruncatedPrior, type DensityEstimate } from '../../../../engine/infer/npe';
import { IndependentPrior, UniformPrior } from '../../../../engine/sample';
import { Xoshiro128 } from '../../../../engine/sample/random/Xoshiro128';

const prior = new IndependentPrior({ a: new UniformPrior(-2, 2), b: new UniformPrior(-2, 2) });
const inside = (a: number, b: number) => Math.abs(a) <= 2 && Math.abs(b) <= 2;

/** N(m, s² I₂), −Infinity outside the prior's support as NeuralPosterior gives it; samples inside the support only. */
function gaussianEstimate(m: readonly [number, number], s: number): DensityEstimate {
  return {
    sample: async (n, { seed }) => {
      const rng = Xoshiro128.fromSeed(seed, 0);
      const out = new Float64Array(2 * n);
      for (let i = 0; i < n; ) {
        const a = m[0] + s * rng.nextNormal();
        const b = m[1] + s * rng.nextNormal();
        if (!inside(a, b)) continue;
        out[2 * i] = a;
        out[2 * i + 1] = b;
        i++;
      }
      return { samples: out };
    },
    logDensity: async (theta) =>
      Float64Array.from({ length: theta.length / 2 }, (_, i) => {
        const [a, b] = [theta[2 * i], theta[2 * i + 1]];
        return inside(a, b) ? -Math.log(2 * Math.PI * s * s) - ((a - m[0]) ** 2 + (b - m[1]) ** 2) / (2 * s * s) : -Infinity;
      }),
  };
}

/** Prior mass of {|θ − m|² ≤ r²} ∩ [−2, 2]² on a 1,000² midpoint grid (error well under 0.002 for these discs). */
function discMass(m: readonly [number, number], r2: number): number {
  const n = 1000;
  const h = 4 / n;
  let hits = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const a = -2 + (i + 0.5) * h;
      const b = -2 + (j + 0.5) * h;
      if ((a - m[0]) ** 2 + (b - m[1]) ** 2 <= r2) hits++;
    }
  return hits / (n * n);
}

describe('truncated prior (TSNPE)', () => {
  const s = 0.3;

  it('places the threshold at the quantile of log q under q', async () => {
    const estimate = gaussianEstimate([0.2, -0.4], s);
    const tau = await highDensityThreshold(estimate, { quantile: 0.05, seed: 11 });
    expect(Math.abs(tau - (-Math.log(2 * Math.PI * s * s) + Math.log(0.05)))).toBeLessThan(0.15);
    // sbi's default 1e-4 of 10,000 draws is the second lowest log q: far out, about 9.2 in the Exp(1) scale.
    const far = await highDensityThreshold(estimate, { seed: 11 });
    expect(far).toBeLessThan(tau);
    expect(-Math.log(2 * Math.PI * s * s) - far).toBeGreaterThan(6);
  });

  it.each([
    ['inside the prior', [0.2, -0.4] as const],
    ['across the prior edge', [1.8, 0] as const],
  ])('draws from the prior inside the region and estimates its prior mass (%s)', async (_, m) => {
    const estimate = gaussianEstimate(m, s);
    const tau = await highDensityThreshold(estimate, { quantile: 0.05, seed: 5 });
    const drawn = await sampleTruncatedPrior(prior, estimate, 3000, tau, 8);
    expect(drawn.samples).toHaveLength(6000);
    expect(drawn.inRegion).toBeGreaterThanOrEqual(3000);
    expect(drawn.candidates % 20_000).toBe(0);
    const logQ = await estimate.logDensity(drawn.samples);
    for (let i = 0; i < 3000; i++) {
      expect(inside(drawn.samples[2 * i], drawn.samples[2 * i + 1])).toBe(true);
      expect(logQ[i]).toBeGreaterThanOrEqual(tau);
    }
    const exact = discMass(m, 2 * s * s * (-Math.log(2 * Math.PI * s * s) - tau));
    expect(Math.abs(drawn.priorMass - exact)).toBeLessThan(4 * drawn.priorMassError + 0.002);
    // Uniform inside the region: the draws' mean is the region's centroid (m itself when the disc is whole).
    if (m[0] === 0.2) {
      const mean = [0, 1].map((k) => drawn.samples.filter((_, i) => i % 2 === k).reduce((p, q) => p + q, 0) / 3000);
      // The centroid's sd per coordinate is r/2/√3000 ≈ 0.007 (r ≈ 0.73): 0.03 is about 4 sd.
      expect(Math.abs(mean[0] - m[0])).toBeLessThan(0.03);
      expect(Math.abs(mean[1] - m[1])).toBeLessThan(0.03);
    }
  });

  it('is deterministic for a seed', async () => {
    const estimate = gaussianEstimate([0, 0], s);
    const a = await sampleTruncatedPrior(prior, estimate, 100, -2, 3);
    const b = await sampleTruncatedPrior(prior, estimate, 100, -2, 3, { chunk: 20_000 });
    const c = await sampleTruncatedPrior(prior, estimate, 100, -2, 4);
    expect(Array.from(b.samples)).toEqual(Array.from(a.samples));
    expect(Array.from(c.samples)).not.toEqual(Array.from(a.samples));
  });

  it('gives up with a precise error when the region is too small for rejection', async () => {
    const estimate = gaussianEstimate([0, 0], 1e-3);
    const tau = await highDensityThreshold(estimate, { seed: 1 });
    const attempt = sampleTruncatedPrior(prior, estimate, 1000, tau, 2, { maxCandidates: 40_000 });
    await expect(attempt).rejects.toThrow(InferenceError);
    await expect(attempt).rejects.toThrow(/sequential: "atomic"/);
  });

  it('names the bad setting', async () => {
    const estimate = gaussianEstimate([0, 0], s);
    await expect(highDensityThreshold(estimate, { quantile: 1, seed: 1 })).rejects.toThrow(/truncation.quantile: expected a number in \[0, 1\)/);
    await expect(highDensityThreshold(estimate, { samples: 0, seed: 1 })).rejects.toThrow(/truncation.thresholdSamples/);
    await expect(sampleTruncatedPrior(prior, estimate, 10, 0, 1, { maxCandidates: 0.5 })).rejects.toThrow(/truncation.maxCandidates/);
  });
});
