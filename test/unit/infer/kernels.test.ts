/**
 * Perturbation kernels: bandwidth rules, the k-nearest-neighbour kernel's
 * local covariances, and that each kernel's logDensity is the density of
 * what perturb draws (checked by moments: 20,000 draws, 4 standard errors).
 */
import { describe, expect, it } from 'vitest';
import {
  covarianceFactor,
  createKernel,
  InferenceError,
  MultivariateNormalKernel,
  NearestNeighbourKernel,
  type Generation,
  type PerturbationKernel,
} from '../../../engine/infer';
import { Xoshiro128 } from '../../../engine/sample';

/** n particles on the arc θ = (cos t, sin t), t in [0, π], equal weights: a curved posterior ridge. */
function arc(n: number): Generation {
  const particles = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const t = (Math.PI * (i + 0.5)) / n;
    particles[2 * i] = Math.cos(t);
    particles[2 * i + 1] = Math.sin(t);
  }
  return {
    index: 1,
    epsilon: 1,
    count: n,
    dimension: 2,
    particles,
    weights: new Float64Array(n).fill(1 / n),
    distances: new Float64Array(n),
    features: new Float64Array(0),
    featureCount: 0,
    simulations: n,
    acceptanceRate: 1,
    ess: n,
    distance: { kind: 'euclidean' },
  };
}

/** Mean and covariance of 20,000 draws of the kernel around particle j. */
function drawMoments(kernel: PerturbationKernel, g: Generation, j: number) {
  const rng = Xoshiro128.fromSeed(5);
  const out = new Float64Array(2);
  const center = g.particles.subarray(2 * j, 2 * j + 2);
  const n = 20_000;
  const m = [0, 0];
  const c = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    kernel.perturb(center, j, rng, out);
    const dx = out[0] - center[0];
    const dy = out[1] - center[1];
    m[0] += dx / n;
    m[1] += dy / n;
    c[0] += (dx * dx) / n;
    c[1] += (dx * dy) / n;
    c[2] += (dy * dy) / n;
  }
  return { mean: m, cov: c };
}

describe('bandwidth rules', () => {
  it('Silverman and Scott factors follow their formulas and shrink with the population', () => {
    expect(covarianceFactor('silverman', 1000, 2)).toBeCloseTo((4 / (1000 * 4)) ** (2 / 6), 12);
    expect(covarianceFactor('scott', 1000, 2)).toBeCloseTo(1000 ** (-2 / 6), 12);
    expect(covarianceFactor(2, 1000, 2)).toBe(2);
    expect(covarianceFactor('silverman', 100, 2)).toBeGreaterThan(covarianceFactor('silverman', 1000, 2));
    expect(() => new MultivariateNormalKernel({ scale: 'wide' as never })).toThrow('kernel.scale: expected a number > 0, "silverman" or "scott", got "wide"');
  });
});

describe('k-nearest-neighbour kernel', () => {
  it('moves a particle on a curved ridge along the ridge, not across it', () => {
    const g = arc(400);
    const kernel = new NearestNeighbourKernel({ fraction: 0.05 });
    kernel.update({ last: g, epsilon: 1 });
    // Particle at t ≈ π/2 (top of the arc): the ridge runs along x there.
    const j = 200;
    const { cov } = drawMoments(kernel, g, j);
    expect(cov[0]).toBeGreaterThan(20 * cov[2]);
    // The global kernel spreads over the whole arc in both directions.
    const global = new MultivariateNormalKernel();
    global.update({ last: g, epsilon: 1 });
    expect(drawMoments(global, g, j).cov[2]).toBeGreaterThan(50 * cov[2]);
  });

  it('draws from the density it reports (moments of 20,000 draws match the local covariance)', () => {
    const g = arc(200);
    const kernel = new NearestNeighbourKernel({ fraction: 0.1, scale: 1 });
    kernel.update({ last: g, epsilon: 1 });
    const j = 37;
    const { mean, cov } = drawMoments(kernel, g, j);
    // The reported density is Gaussian: recover its covariance by finite differences of the log density at the centre.
    const center = g.particles.subarray(2 * j, 2 * j + 2);
    const at = (dx: number, dy: number) => kernel.logDensity(Float64Array.of(center[0] + dx, center[1] + dy), center, j);
    const h = 1e-3;
    const hxx = (at(h, 0) - 2 * at(0, 0) + at(-h, 0)) / (h * h);
    const hyy = (at(0, h) - 2 * at(0, 0) + at(0, -h)) / (h * h);
    const hxy = (at(h, h) - at(h, -h) - at(-h, h) + at(-h, -h)) / (4 * h * h);
    // Σ = −H⁻¹ for a Gaussian log density.
    const det = hxx * hyy - hxy * hxy;
    const sigma = [-hyy / det, hxy / det, -hxx / det];
    // 4 standard errors: sd of a sample variance ≈ σ²√(2/n), of a mean ≈ σ/√n.
    for (const [k, v] of cov.entries()) expect(Math.abs(v - sigma[k])).toBeLessThan(4 * Math.sqrt(2 / 20_000) * Math.max(sigma[0], sigma[2]));
    expect(Math.abs(mean[0])).toBeLessThan(4 * Math.sqrt(sigma[0] / 20_000));
    // And it integrates to one: the normaliser matches the covariance's determinant.
    expect(Math.exp(at(0, 0))).toBeCloseTo(1 / (2 * Math.PI * Math.sqrt(sigma[0] * sigma[2] - sigma[1] ** 2)), 4);
  });

  it('is rebuilt from its JSON and refuses bad settings, naming the field', () => {
    const kernel = createKernel({ kind: 'nearestNeighbour', fraction: 0.1, scale: 1.5 });
    expect(kernel).toBeInstanceOf(NearestNeighbourKernel);
    expect(kernel.toJSON()).toEqual({ kind: 'nearestNeighbour', fraction: 0.1, scale: 1.5 });
    expect(createKernel({ kind: 'multivariateNormal', scale: 'scott' }).toJSON()).toEqual({ kind: 'multivariateNormal', scale: 'scott' });
    expect(() => createKernel({ kind: 'nearestNeighbour', fraction: 0 })).toThrow('kernel.fraction: expected a number in (0, 1], got 0');
    expect(() => createKernel({ kind: 'nearest' })).toThrow(InferenceError);
  });
});
