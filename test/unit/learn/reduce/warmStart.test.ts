import { describe, expect, it } from 'vitest';
import { reduceDimension } from '../../../../engine/learn/reduce/index.js';
import { alignAxes, warmStart } from '../../../../engine/learn/reduce/warmStart.js';
import { Xoshiro128 } from '../../../../engine/sample/random/Xoshiro128.js';

/** Three clusters in 8-D (centres 6 apart, unit spread); seed fixed. */
function clusters(perCluster: number, seed: number): number[][] {
  const rng = Xoshiro128.fromSeed(seed);
  const rows: number[][] = [];
  for (let i = 0; i < 3 * perCluster; i++) {
    const c = i % 3;
    rows.push(Array.from({ length: 8 }, (_, k) => (k % 3 === c ? 6 : 0) + rng.nextNormal()));
  }
  return rows;
}

/** The first m points centred and scaled to unit RMS radius (the scatter's axes fit the points, so this is what the eye compares). */
function normalised(layout: Float64Array, m: number): Float64Array {
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < m; i++) {
    cx += layout[2 * i] / m;
    cy += layout[2 * i + 1] / m;
  }
  let radius = 0;
  for (let i = 0; i < m; i++) radius += ((layout[2 * i] - cx) ** 2 + (layout[2 * i + 1] - cy) ** 2) / m;
  const scale = 1 / Math.sqrt(radius);
  const out = new Float64Array(2 * m);
  for (let i = 0; i < m; i++) {
    out[2 * i] = (layout[2 * i] - cx) * scale;
    out[2 * i + 1] = (layout[2 * i + 1] - cy) * scale;
  }
  return out;
}

/** Mean distance the first m points moved between two layouts, each normalised (units of the layout's RMS radius). */
function relativeShift(before: Float64Array, after: Float64Array): number {
  const m = before.length >> 1;
  const a = normalised(before, m);
  const b = normalised(after, m);
  let shift = 0;
  for (let i = 0; i < m; i++) shift += Math.hypot(b[2 * i] - a[2 * i], b[2 * i + 1] - a[2 * i + 1]) / m;
  return shift;
}

describe('warmStart', () => {
  it('keeps the old positions and starts a new point at its nearest old point', () => {
    const matrix = { rows: 3, columns: 1, data: new Float64Array([0, 10, 9.5]) };
    const start = warmStart(matrix, new Float64Array([1, 2, 30, 40]), () => 1, 0.1);
    expect(Array.from(start)).toEqual([1, 2, 30, 40, 30.1, 40.1]);
  });

  it('alignAxes flips an axis that runs against the previous layout', () => {
    const previous = new Float64Array([0, 0, 1, 1, 2, 4]);
    const turned = alignAxes(new Float64Array([0, 0, -1, 1, -2, 4, -3, 5]), previous);
    expect(Array.from(turned, (v) => v + 0)).toEqual([0, 0, 1, 1, 2, 4, 3, 5]);
  });
});

describe('reduceDimension with a previous layout', () => {
  const old = clusters(40, 3);
  const grown = [...old, ...clusters(10, 4)];

  // A cold start of UMAP or t-SNE lands anywhere (rotated, reflected, clusters swapped): with these seeds
  // the old points shift by 1.5 (UMAP) and 1.7 (t-SNE) layout radii. Warm-started they shift by 0.28 and
  // 0.40 (points reorder within their cluster as the new ones arrive): the bound 0.5 is below half a radius.
  it.each(['umap', 'tsne'] as const)('%s keeps the old points near where they were', async (method) => {
    const iterations = method === 'umap' ? 150 : 300;
    const first = await reduceDimension(old, { method, seed: 1, iterations });
    const next = await reduceDimension(grown, { method, seed: 1, iterations, previous: first.embedding });
    const cold = await reduceDimension(grown, { method, seed: 2, iterations });
    const warm = relativeShift(first.embedding, next.embedding);
    expect(warm).toBeLessThan(0.5);
    expect(warm).toBeLessThan(relativeShift(first.embedding, cold.embedding) / 2);
  });

  it('PCA axes keep their direction when points are added', async () => {
    const first = await reduceDimension(old, { method: 'pca' });
    const next = await reduceDimension(grown, { method: 'pca', previous: first.embedding });
    // Same data up to the added rows: the old points move only by the change of the standardisation and axes.
    expect(relativeShift(first.embedding, next.embedding)).toBeLessThan(0.35);
  });
});
