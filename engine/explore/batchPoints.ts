import { createDesign } from '../sample/design/createDesign.js';
import { Xoshiro128 } from '../sample/random/Xoshiro128.js';
import { sobol } from '../sample/quasiRandom/sobol.js';
import { ExplorationError } from './errors.js';
import type { ParameterSpace } from './parameterSpace.js';
import type { SessionDesignKind } from './sessionSpec.js';

/** A user-selected region to sample: a box (parameter values) or points to sample around. */
export type Region =
  | { readonly kind: 'box'; readonly lower: Readonly<Record<string, number>>; readonly upper: Readonly<Record<string, number>> }
  | { readonly kind: 'around'; readonly points: readonly number[]; readonly spread?: number };

/** Where a batch's points came from (stored with the batch). */
export type BatchOrigin =
  | { readonly kind: 'design'; readonly design: SessionDesignKind }
  | { readonly kind: 'region'; readonly region: Region }
  | { readonly kind: 'proposal'; readonly strategy: string }
  | { readonly kind: 'points' };

/**
 * n points of the session's design in the unit cube. Sequences (Sobol,
 * Halton) continue where the previous batches stopped (`start` = points
 * drawn so far with this design); random designs draw from the stream
 * (seed, batch), so a batch is reproducible on its own.
 */
export function designPoints(
  space: ParameterSpace,
  design: { kind: SessionDesignKind; levels?: number | number[] },
  n: number,
  seed: number,
  batch: number,
  start: number,
): Float64Array {
  const d = space.dimension;
  const rng = Xoshiro128.fromSeed(seed, 1, batch);
  switch (design.kind) {
    case 'prior': {
      // Draw from the priors, stored as unit coordinates (CDF of the draws).
      const values = new Float64Array(n * d);
      for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) values[i * d + k] = space.priors[k].sample(rng);
      return space.toUnit(values);
    }
    case 'fullFactorial': {
      const levels = Array.isArray(design.levels)
        ? design.levels
        : Array.from({ length: d }, () => (design.levels as number | undefined) ?? Math.max(2, Math.round(n ** (1 / d))));
      const grid = createDesign({ kind: 'fullFactorial', levels, at: 'centres' });
      return grid.generate(grid.size!, rng);
    }
    case 'halton':
      return createDesign({ kind: 'halton', dimension: d, seed }).generate(n, rng, { start });
    case 'sobol':
      // Skip the first point (the origin corner), a common practice for Sobol designs.
      return createDesign({ kind: 'sobol', dimension: d, skip: 1 }).generate(n, rng, { start });
    case 'latinHypercube':
      // The maximin swaps cost 0.9 s at 20,000 points but 15 s at 100,000, during which nothing
      // else runs; at such densities a plain Latin hypercube is as space-filling as it matters.
      return createDesign({ kind: 'latinHypercube', dimension: d, optimise: n <= MAXIMIN_MAX_POINTS ? 'maximin' : 'none' }).generate(n, rng);
    case 'random':
      return createDesign({ kind: 'random', dimension: d }).generate(n, rng);
  }
}

/** Largest Latin-hypercube batch that gets maximin optimisation. */
export const MAXIMIN_MAX_POINTS = 20_000;

/**
 * n points inside a user-selected region, in the unit cube: a box is
 * filled with a Sobol sequence (shifted by a seeded random offset modulo 1
 * per batch, a Cranley-Patterson rotation, so successive batches in one box
 * differ); "around" draws Gaussian perturbations (sd = spread, default
 * 0.05 of each range) of the selected points, reflected into the cube.
 */
export function regionPoints(space: ParameterSpace, region: Region, n: number, seed: number, batch: number, existing: Float64Array): Float64Array {
  const d = space.dimension;
  const rng = Xoshiro128.fromSeed(seed, 2, batch);
  const out = new Float64Array(n * d);
  if (region.kind === 'box') {
    const [lo, hi] = boxInUnit(space, region);
    const base = sobol(n, d, { skip: 1 });
    const shift = Array.from({ length: d }, () => rng.nextDouble());
    for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) out[i * d + k] = lo[k] + ((base[i * d + k] + shift[k]) % 1) * (hi[k] - lo[k]);
    return out;
  }
  if (region.points.length === 0) throw new ExplorationError('region.points', 'expected at least one point id');
  const spread = region.spread ?? 0.05;
  if (!(spread > 0)) throw new ExplorationError('region.spread', `expected a number > 0, got ${spread}`);
  const total = existing.length / d;
  for (const id of region.points)
    if (!Number.isInteger(id) || id < 0 || id >= total) throw new ExplorationError('region.points', `no point ${id}; the session has points 0..${total - 1}`);
  for (let i = 0; i < n; i++) {
    const centre = region.points[i % region.points.length];
    for (let k = 0; k < d; k++) out[i * d + k] = reflect(existing[centre * d + k] + spread * rng.nextNormal());
  }
  return out;
}

/** A region box in unit coordinates; parameters missing from lower/upper span their whole range. */
export function boxInUnit(
  space: ParameterSpace,
  region: { lower: Readonly<Record<string, number>>; upper: Readonly<Record<string, number>> },
): [Float64Array, Float64Array] {
  const d = space.dimension;
  for (const name of [...Object.keys(region.lower), ...Object.keys(region.upper)]) {
    if (!space.names.includes(name)) throw new ExplorationError(`region.${name}`, `unknown parameter; the session explores ${space.names.join(', ')}`);
  }
  const lo = new Float64Array(d);
  const hi = new Float64Array(d).fill(1);
  space.names.forEach((name, k) => {
    if (region.lower[name] !== undefined) lo[k] = space.priors[k].cdf(region.lower[name]);
    if (region.upper[name] !== undefined) hi[k] = space.priors[k].cdf(region.upper[name]);
    if (!(hi[k] > lo[k])) throw new ExplorationError(`region.upper.${name}`, `expected upper > lower inside the parameter's range`);
  });
  return [lo, hi];
}

function reflect(u: number): number {
  let v = u;
  // Reflect at the faces (a few times at most for spreads well below 1).
  for (let t = 0; t < 8 && (v < 0 || v >= 1); t++) v = v < 0 ? -v : 2 - v - 1e-12;
  return Math.min(1 - 1e-12, Math.max(0, v));
}
