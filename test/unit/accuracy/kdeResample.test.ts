/**
 * The accuracy bench's cross-validated KDE (test/bench/accuracy/kdeResample.ts):
 * its kernel follows the particles' own covariance, which is what makes the
 * SIR row measure the particles rather than the smoothing.
 *
 * Tolerances. The KDE (kernel covariance h²·S, centres shrunk towards the
 * mean by √(1 − h²)) of particles with weighted covariance S draws with
 * covariance S (the particles' own, whatever h). With 20,000 draws the
 * relative standard error of a variance is √(2/20,000) = 1 %, and of a
 * correlation near −0.5 about (1 − ρ²)/√20,000 = 0.5 %; the checks allow
 * 5 % and 0.03. The SIR-like cloud (log β, log γ: sds 0.02 and 0.07,
 * correlation −0.5, centres 1.3 apart, as sbibm's observation 1) is where a
 * single bandwidth from the pooled standard deviation (≥ 0.1 · 0.65) at
 * least triples the spread of log β; the check asks for less than 1.3 times.
 */
import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../../../engine/sample/random/Xoshiro128';
import { crossValidatedKernel, kdeResample, supportTransform } from '../../bench/accuracy/kdeResample';

const normal = supportTransform({ kind: 'normal', mean: 0, sd: 1 });

/** n rows of a 2-D normal with means m, sds s and correlation rho. */
function correlatedCloud(n: number, m: readonly [number, number], s: readonly [number, number], rho: number, seed: number): Float64Array {
  const rng = Xoshiro128.fromSeed(seed);
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const a = rng.nextNormal();
    const b = rng.nextNormal();
    out[2 * i] = m[0] + s[0] * a;
    out[2 * i + 1] = m[1] + s[1] * (rho * a + Math.sqrt(1 - rho * rho) * b);
  }
  return out;
}

function moments(x: Float64Array) {
  const n = x.length / 2;
  const mean = [0, 0];
  for (let i = 0; i < n; i++) for (let k = 0; k < 2; k++) mean[k] += x[2 * i + k] / n;
  const c = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const a = x[2 * i] - mean[0];
    const b = x[2 * i + 1] - mean[1];
    c[0] += (a * a) / n;
    c[1] += (a * b) / n;
    c[2] += (b * b) / n;
  }
  return { mean, var0: c[0], var1: c[2], corr: c[1] / Math.sqrt(c[0] * c[2]) };
}

describe('kdeResample with a cross-validated kernel', () => {
  it('follows a correlated cloud of very different scales (SIR-like), keeping its mean and covariance', () => {
    const particles = correlatedCloud(173, [-0.46, -1.78], [0.02, 0.07], -0.5, 11);
    const { samples, bandwidth, shape } = kdeResample(particles, undefined, [normal, normal], 20_000, Xoshiro128.fromSeed(12));
    expect(shape).toBe('full');
    const p = moments(particles);
    const q = moments(samples);
    expect(bandwidth).toBeGreaterThan(0);
    expect(bandwidth).toBeLessThan(0.951);
    expect(Math.abs(q.mean[0] - p.mean[0])).toBeLessThan((5 * 0.02) / Math.sqrt(20_000));
    expect(Math.abs(q.mean[1] - p.mean[1])).toBeLessThan((5 * 0.07) / Math.sqrt(20_000));
    expect(q.var0 / p.var0).toBeGreaterThan(0.95);
    expect(q.var0 / p.var0).toBeLessThan(1.05);
    expect(q.var1 / p.var1).toBeGreaterThan(0.95);
    expect(q.var1 / p.var1).toBeLessThan(1.05);
    expect(Math.abs(q.corr - p.corr)).toBeLessThan(0.03);
    // The spread of log β stays that of the particles (the pooled-sd bandwidth made it 3.4 times wider).
    expect(Math.sqrt(q.var0 / p.var0)).toBeLessThan(1.3);
  });

  it('keeps two narrow modes apart with a small factor', () => {
    const rng = Xoshiro128.fromSeed(21);
    const z = new Float64Array(2 * 400);
    for (let i = 0; i < 400; i++) {
      // A bimodal first coordinate (modes ±3, sd 0.1 each) next to a wide unimodal one.
      z[2 * i] = (i % 2 === 0 ? -3 : 3) + 0.1 * rng.nextNormal();
      z[2 * i + 1] = 50 + 5 * rng.nextNormal();
    }
    const choice = crossValidatedKernel(z, 2, undefined, Xoshiro128.fromSeed(22));
    // Within-mode sd 0.1 against an overall sd of about 3: the factor must be small (≤ 0.1), or the modes merge.
    expect(choice.factor).toBeLessThan(0.1);
    expect(Number.isFinite(choice.score)).toBe(true);
  });

  it('ignores zero-weight particles and is reproducible for a seed', () => {
    const cloud = correlatedCloud(200, [0, 0], [1, 1], 0, 31);
    const withOutliers = Float64Array.of(...cloud, 1e3, -1e3, -1e3, 1e3);
    const weights = Float64Array.from({ length: 202 }, (_, i) => (i < 200 ? 1 : 0));
    const a = kdeResample(withOutliers, weights, [normal, normal], 2000, Xoshiro128.fromSeed(32));
    const b = kdeResample(withOutliers, weights, [normal, normal], 2000, Xoshiro128.fromSeed(32));
    expect(a.samples).toEqual(b.samples);
    // The outliers neither widen the kernel nor get drawn: the draws have the 200 particles' variances (2,000 draws: SE 3 %, 5 SE allowed).
    const p = moments(cloud);
    const q = moments(a.samples);
    expect(Math.abs(q.var0 / p.var0 - 1)).toBeLessThan(0.15);
    expect(Math.abs(q.var1 / p.var1 - 1)).toBeLessThan(0.15);
    expect(a.samples.every((v) => Math.abs(v) < 10)).toBe(true);
  });
});
