import { describe, expect, it } from 'vitest';
import { reduceDimension, LearnInputError } from '../../../../engine/learn/reduce/index.js';
import { Xoshiro128 } from '../../../../engine/sample/random/Xoshiro128.js';

/** n points on a plane through the origin of R^6 (rank 2), plus a constant and an all-NaN column. */
function planeData(n: number): number[][] {
  const rng = Xoshiro128.fromSeed(5);
  const u = [1, 2, 0, -1, 0.5, 3];
  const v = [0, 1, -2, 1, 1, -0.5];
  return Array.from({ length: n }, () => {
    const a = 3 * rng.nextNormal();
    const b = rng.nextNormal();
    return [...u.map((x, k) => a * x + b * v[k]), 7, NaN];
  });
}

/** Two clusters in 10-D, centres at -5 and +5 in every coordinate, unit spread (separated after z-scoring too). */
function twoClusters(perCluster: number): { rows: number[][]; truth: number[] } {
  const rng = Xoshiro128.fromSeed(9);
  const rows: number[][] = [];
  const truth: number[] = [];
  for (let i = 0; i < 2 * perCluster; i++) {
    const c = i < perCluster ? 0 : 1;
    truth.push(c);
    rows.push(Array.from({ length: 10 }, () => (c === 0 ? -5 : 5) + rng.nextNormal()));
  }
  return { rows, truth };
}

/** Fraction of points whose nearest neighbour in the embedding has the same class. */
function neighbourPurity(embedding: Float64Array, truth: number[]): number {
  const n = truth.length;
  let same = 0;
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestDistance = Infinity;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const d = (embedding[2 * i] - embedding[2 * j]) ** 2 + (embedding[2 * i + 1] - embedding[2 * j + 1]) ** 2;
      if (d < bestDistance) {
        bestDistance = d;
        best = j;
      }
    }
    if (truth[best] === truth[i]) same++;
  }
  return same / n;
}

describe('reduceDimension', () => {
  it('PCA of rank-2 data recovers the plane: the two axes explain > 99.999% of the variance', async () => {
    const result = await reduceDimension(planeData(300), { method: 'pca' });
    expect(result.kept).toEqual([0, 1, 2, 3, 4, 5]);
    expect(result.notes.join('\n')).toMatch(/column 6: constant[\s\S]*column 7: no finite value/);
    const [first, second] = result.explainedVariance!;
    expect(first + second).toBeGreaterThan(1 - 1e-5);
    expect(first).toBeGreaterThan(second);
    expect(result.embedding.length).toBe(600);
  });

  it('UMAP separates two well-separated clusters (nearest-neighbour purity >= 0.99) and is reproducible for a seed', async () => {
    const { rows, truth } = twoClusters(100);
    const a = await reduceDimension(rows, { method: 'umap', seed: 3, iterations: 200 });
    const b = await reduceDimension(rows, { method: 'umap', seed: 3, iterations: 200 });
    expect(neighbourPurity(a.embedding, truth)).toBeGreaterThanOrEqual(0.99);
    expect(Array.from(b.embedding)).toEqual(Array.from(a.embedding));
    const c = await reduceDimension(rows, { method: 'umap', seed: 4, iterations: 200 });
    expect(Array.from(c.embedding)).not.toEqual(Array.from(a.embedding));
  });

  it('UMAP takes precomputed neighbour lists (as label spreading builds them) and gives the same embedding', async () => {
    const { umapEmbed, toDenseMatrix, standardiseColumns } = await import('../../../../engine/learn/reduce/index.js');
    const { nearestNeighbours } = await import('../../../../engine/learn/semiSupervised/index.js');
    const { rows } = twoClusters(60);
    const matrix = standardiseColumns(toDenseMatrix(rows)).matrix;
    const own = await umapEmbed(matrix, { seed: 2, nEpochs: 50 });
    const given = await umapEmbed(matrix, { seed: 2, nEpochs: 50, neighbours: nearestNeighbours(matrix, 20) });
    expect(Array.from(given)).toEqual(Array.from(own));
  });

  it('exact t-SNE separates the clusters too (purity >= 0.99), reproducibly', async () => {
    const { rows, truth } = twoClusters(60);
    const a = await reduceDimension(rows, { method: 'tsne', seed: 1, iterations: 500, perplexity: 15 });
    const b = await reduceDimension(rows, { method: 'tsne', seed: 1, iterations: 500, perplexity: 15 });
    expect(neighbourPurity(a.embedding, truth)).toBeGreaterThanOrEqual(0.99);
    expect(Array.from(b.embedding)).toEqual(Array.from(a.embedding));
  });

  it('reports progress and stops on abort', async () => {
    const { rows } = twoClusters(50);
    const controller = new AbortController();
    const seen: number[] = [];
    const run = reduceDimension(rows, {
      method: 'umap',
      seed: 1,
      iterations: 200,
      signal: controller.signal,
      onProgress: (done) => {
        seen.push(done);
        if (done >= 50) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(/abort/i);
    expect(seen[0]).toBe(10);
  });

  it('rejects an unknown method and ragged rows with the field named', async () => {
    await expect(reduceDimension([[1, 2]], { method: 'mds' as never })).rejects.toThrow(LearnInputError);
    await expect(reduceDimension([[1, 2], [3]], { method: 'pca' })).rejects.toThrow(/features\[1\]: expected 2 values/);
  });
});
