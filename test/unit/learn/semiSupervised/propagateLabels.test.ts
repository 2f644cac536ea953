import { describe, expect, it } from 'vitest';
import { nearestNeighbours, propagateLabels } from '../../../../engine/learn/semiSupervised/index.js';
import { LearnInputError } from '../../../../engine/learn/reduce/index.js';
import { fewLabels, twoBlobs } from './blobs.js';

const PER_BLOB = 150;

function accuracy(hard: Int32Array, truth: Int32Array, labels: Int32Array): number {
  let right = 0;
  let total = 0;
  for (let i = 0; i < truth.length; i++) {
    if (labels[i] >= 0) continue;
    total++;
    if (hard[i] === truth[i]) right++;
  }
  return right / total;
}

describe('label spreading and propagation (Zhou et al. 2004; Zhu & Ghahramani 2002)', () => {
  const { rows, truth } = twoBlobs(PER_BLOB, 11);
  const labels = fewLabels(truth, PER_BLOB, 2);

  it.each(['spreading', 'propagation'] as const)('%s recovers two Gaussian blobs from 2 labels per class (>= 98% of unlabelled points)', (algorithm) => {
    const result = propagateLabels(rows, labels, { algorithm });
    expect(result.classes).toBe(2);
    expect(accuracy(result.hard, truth, labels)).toBeGreaterThanOrEqual(0.98);
    for (let i = 0; i < rows.length; i++) {
      const p = result.distributions.subarray(i * 2, i * 2 + 2);
      expect(p[0] + p[1]).toBeCloseTo(1, 12);
    }
  });

  it('is most uncertain between the clusters: entropy of probes at |x| <= 0.5 exceeds that of probes at |x| >= 5 by > 0.2 nats, margin lower', () => {
    // Probe points on the line between the blobs, appended unlabelled.
    const probes = [-6, -5, -0.5, 0, 0.5, 5, 6].map((x) => Float64Array.of(x, 0));
    const all = [...rows, ...probes];
    const allLabels = Int32Array.from([...labels, ...probes.map(() => -1)]);
    // A fixed kernel of the blobs' own width (gamma 3 in standardised units, where a blob has sd ~0.24):
    // the entropy-tuned kernel is narrower and labels even far-off probes by their nearest point.
    const result = propagateLabels(all, allLabels, { gamma: 3, neighbours: 'all' });
    const at = (k: number) => rows.length + k;
    const middle = [2, 3, 4].map(at);
    const outer = [0, 1, 5, 6].map(at);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // Near x = 0 both classes receive comparable mass; far out one class dominates.
    expect(mean(middle.map((i) => result.entropy[i]))).toBeGreaterThan(mean(outer.map((i) => result.entropy[i])) + 0.2);
    expect(mean(middle.map((i) => result.margin[i]))).toBeLessThan(mean(outer.map((i) => result.margin[i])));
  });

  it('tunes gamma to an interior minimum of the mean entropy, at which the labelling is accurate', () => {
    const result = propagateLabels(rows, labels, { gamma: 'tune' });
    const search = result.gammaSearch!;
    const best = search.findIndex((s) => s.gamma === result.gamma);
    // "Sensible": not at either end of the 2^-6..2^6 grid (the too-wide kernel blurs the classes,
    // the too-narrow one disconnects points), and the chosen kernel labels >= 98% correctly.
    expect(best).toBeGreaterThan(0);
    expect(best).toBeLessThan(search.length - 1);
    expect(search[best].meanEntropy).toBeLessThan(search[0].meanEntropy);
    expect(accuracy(result.hard, truth, labels)).toBeGreaterThanOrEqual(0.98);
  });

  it('kNN-sparse graphs give the same labelling on the toy', () => {
    const result = propagateLabels(rows, labels, { neighbours: 10 });
    expect(accuracy(result.hard, truth, labels)).toBeGreaterThanOrEqual(0.98);
  });

  it('rejects bad labels with the index named', () => {
    expect(() =>
      propagateLabels(
        rows,
        Int32Array.from(labels, (l, i) => (i === 5 ? -2 : l)),
      ),
    ).toThrow(/labels\[5\]/);
    expect(() => propagateLabels(rows, new Int32Array(rows.length).fill(-1))).toThrow(LearnInputError);
  });
});

describe('nearestNeighbours (exact, blocked brute force)', () => {
  it('agrees with brute force, duplicates included', () => {
    const { rows } = twoBlobs(100, 3);
    rows.push(Float64Array.from(rows[0]), Float64Array.from(rows[0]));
    const n = rows.length;
    const data = new Float64Array(n * 2);
    rows.forEach((r, i) => data.set(r, i * 2));
    const k = 5;
    const lists = nearestNeighbours({ rows: n, columns: 2, data }, k);
    for (let i = 0; i < n; i++) {
      const brute = rows
        .map((r, j) => ({ j, d: Math.hypot(r[0] - rows[i][0], r[1] - rows[i][1]) }))
        .filter((x) => x.j !== i)
        .sort((a, b) => a.d - b.d)
        .slice(0, k)
        .map((x) => x.d);
      expect(Array.from(lists.distances.subarray(i * k, (i + 1) * k))).toEqual(brute.map((d) => expect.closeTo(d, 12)));
    }
  });

  it('agrees with a naive scan in 49-D across block boundaries (203 rows, odd count, duplicates), indices included', async () => {
    const { Xoshiro128 } = await import('../../../../engine/sample/random/Xoshiro128.js');
    const rng = Xoshiro128.fromSeed(21);
    const n = 203;
    const d = 49;
    const data = Float64Array.from({ length: n * d }, () => rng.nextNormal());
    data.copyWithin(100 * d, 7 * d, 8 * d); // row 100 duplicates row 7
    const k = 7;
    const lists = nearestNeighbours({ rows: n, columns: d, data }, k);
    for (let i = 0; i < n; i++) {
      const brute = Array.from({ length: n }, (_, j) => {
        let s = 0;
        for (let c = 0; c < d; c++) s += (data[i * d + c] - data[j * d + c]) ** 2;
        return { j, d: Math.sqrt(s) };
      })
        .filter((x) => x.j !== i)
        .sort((a, b) => a.d - b.d || a.j - b.j)
        .slice(0, k);
      // Continuous random data: no ties except the duplicate pair, so the indices must match too.
      expect(Array.from(lists.indices.subarray(i * k, (i + 1) * k))).toEqual(brute.map((x) => x.j));
      expect(Array.from(lists.distances.subarray(i * k, (i + 1) * k))).toEqual(brute.map((x) => expect.closeTo(x.d, 12)));
    }
    expect(lists.distances[7 * k]).toBe(0);
    expect(lists.indices[7 * k]).toBe(100);
  });
});
