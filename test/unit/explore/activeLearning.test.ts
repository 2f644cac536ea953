import { describe, expect, it } from 'vitest';
import { KnnSoftClassifier, proposePoints } from '../../../engine/explore/index.js';
import { Xoshiro128 } from '../../../engine/sample/random/Xoshiro128.js';

/** Known linear boundary in the unit square: class 1 where x + 2y > 1.3. */
const side = (x: number, y: number) => (x + 2 * y > 1.3 ? 1 : 0);
const boundaryDistance = (x: number, y: number) => Math.abs(x + 2 * y - 1.3) / Math.sqrt(5);

function trainingSet(n: number) {
  const rng = Xoshiro128.fromSeed(21);
  const points = new Float64Array(n * 2);
  const soft = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    const x = rng.nextDouble();
    const y = rng.nextDouble();
    points[2 * i] = x;
    points[2 * i + 1] = y;
    soft[2 * i + side(x, y)] = 1;
  }
  return { points, soft };
}

function meanDistance(unit: Float64Array): number {
  let s = 0;
  for (let i = 0; i < unit.length / 2; i++) s += boundaryDistance(unit[2 * i], unit[2 * i + 1]);
  return s / (unit.length / 2);
}

describe('active learning (uncertainty sampling with a kNN soft-vote classifier)', () => {
  const { points, soft } = trainingSet(200);
  const classifier = new KnnSoftClassifier(points, soft, 2, 2);

  it.each(['entropy', 'margin'] as const)('%s proposals lie near the class boundary: mean distance < 1/4 of random points\u2019', (strategy) => {
    const proposal = proposePoints(classifier, { n: 20, strategy, seed: 1, round: 0 });
    // Random points in the square average ~0.2 from this line; uncertainty sampling should stay
    // within a couple of training spacings (~0.07) of it.
    const rng = Xoshiro128.fromSeed(99);
    const random = Float64Array.from({ length: 4000 }, () => rng.nextDouble());
    const proposed = meanDistance(proposal.unit);
    expect(proposed).toBeLessThan(meanDistance(random) / 4);
    expect(proposal.unit.length).toBe(40);
    // Spread along the boundary: not all piled on one spot.
    const xs = Array.from({ length: 20 }, (_, i) => proposal.unit[2 * i]);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(0.3);
  });

  it("'class' proposals sample inside the chosen class's region", () => {
    const proposal = proposePoints(classifier, { n: 20, strategy: 'class', classIndex: 1, seed: 1, round: 0 });
    for (let i = 0; i < 20; i++) expect(side(proposal.unit[2 * i], proposal.unit[2 * i + 1])).toBe(1);
  });

  it('a sub-box keeps candidates inside it, and rounds differ', () => {
    const a = proposePoints(classifier, { n: 5, strategy: 'entropy', seed: 1, round: 0, lower: [0.5, 0], upper: [1, 0.5] });
    const b = proposePoints(classifier, { n: 5, strategy: 'entropy', seed: 1, round: 1, lower: [0.5, 0], upper: [1, 0.5] });
    for (let i = 0; i < 5; i++) {
      expect(a.unit[2 * i]).toBeGreaterThanOrEqual(0.5);
      expect(a.unit[2 * i + 1]).toBeLessThanOrEqual(0.5);
    }
    expect(Array.from(b.unit)).not.toEqual(Array.from(a.unit));
  });
});
