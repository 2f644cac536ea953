/**
 * The masked autoregressive flow as a density: MADE masks are
 * autoregressive (the Jacobian of each block is triangular), the log-det the
 * flow reports is log|det J| of its map, sampling inverts it, and the
 * density integrates to one. Weights are random (seeded) with output layers
 * scaled up so every block is far from the identity. Tolerances: tfjs works
 * in float32 (relative error ~1e-6 per op), so inverses and log-dets agree
 * to ~1e-4; the integrals are trapezoid sums on grids fine enough that their
 * discretisation error is below 1e-3, checked to 1e-2.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initLearnBackend, tf } from '../../../../engine/learn/backend';
import { initialWeights, madeMasks, MaskedAutoregressiveFlow, type FlowArchitecture } from '../../../../engine/infer/npe';

beforeAll(async () => {
  await initLearnBackend();
});

function randomFlow(dimension: number, transforms: number, contextDimension = 1, linear = false): MaskedAutoregressiveFlow {
  const architecture: FlowArchitecture = { kind: 'maf', dimension, contextDimension, transforms, hidden: 8, hiddenLayers: 2, activation: 'tanh', linear };
  const weights = initialWeights(architecture, 11).map((w) =>
    w.name.includes('shift') || w.name.includes('logScale')
      ? { ...w, values: w.values.map((v, i) => v * 60 + (w.name.endsWith('bias') ? 0.1 * ((i % 3) - 1) : 0)) }
      : w,
  );
  return new MaskedAutoregressiveFlow(architecture, weights);
}

/** ∂z/∂u at one point (D × D, row k = output k), by reverse-mode gradients. */
function jacobian(flow: MaskedAutoregressiveFlow, u: number[], context: number[]): number[][] {
  const D = u.length;
  return Array.from({ length: D }, (_, k) =>
    tf.tidy(() => {
      const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.slice(flow.transform(x as tf.Tensor2D, tf.tensor2d([context])).z, [0, k], [1, 1])));
      return Array.from(grad(tf.tensor2d([u])).dataSync());
    }),
  );
}

function logAbsDet(m: number[][]): number {
  const a = m.map((row) => [...row]);
  const n = a.length;
  let result = 0;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    result += Math.log(Math.abs(a[c][c]));
    for (let r = c + 1; r < n; r++) {
      const f = a[r][c] / a[c][c];
      for (let k = c; k < n; k++) a[r][k] -= f * a[c][k];
    }
  }
  return result;
}

describe('MADE masks', () => {
  it.each([
    [1, 4],
    [3, 8],
    [5, 12],
  ])('connect output k to exactly the inputs before k (D = %i, H = %i)', (D, H) => {
    const m = madeMasks(D, H);
    for (let k = 0; k < D; k++) {
      for (let j = 0; j < D; j++) {
        // A path input j → hidden a → hidden b → output k exists iff some a, b pass all three masks.
        let path = false;
        for (let a = 0; a < H && !path; a++)
          for (let b = 0; b < H && !path; b++) path = m.input[j * H + a] === 1 && m.hidden[a * H + b] === 1 && m.output[b * D + k] === 1;
        expect(path).toBe(j < k);
      }
    }
  });

  it('gives every output a context-only path (hidden units of degree 0)', () => {
    const m = madeMasks(3, 6);
    expect(Array.from(m.hiddenDegrees)).toEqual([0, 1, 2, 0, 1, 2]);
    for (let k = 0; k < 3; k++) expect(m.output[0 * 3 + k]).toBe(1);
  });
});

describe.each([false, true])('masked autoregressive flow (direct linear connections: %s)', (linear) => {
  it('has a triangular Jacobian per block (in the block order)', () => {
    const flow = randomFlow(4, 1, 1, linear);
    const J = jacobian(flow, [0.3, -1.2, 0.8, 0.1], [0.5]);
    // One block outputs z in reversed order: z[3 − k] is block output k, a function of u_0..u_k only.
    for (let k = 0; k < 4; k++) for (let j = k + 1; j < 4; j++) expect(J[3 - k][j]).toBe(0);
    for (let k = 0; k < 4; k++) expect(Math.abs(J[3 - k][k])).toBeGreaterThan(0);
    flow.dispose();
  });

  it('reports log|det ∂z/∂u| of its map and inverts it', () => {
    const flow = randomFlow(3, 3, 2, linear);
    const u = [0.4, -0.7, 1.1];
    const context = [0.2, -1];
    const logDet = tf.tidy(() => flow.transform(tf.tensor2d([u]), tf.tensor2d([context])).logDet.dataSync()[0]);
    // Far from the identity map (a log-det near 0 would make the check below weak).
    expect(Math.abs(logDet)).toBeGreaterThan(0.1);
    expect(logDet).toBeCloseTo(logAbsDet(jacobian(flow, u, context)), 3);
    const back = tf.tidy(() => Array.from(flow.inverse(flow.transform(tf.tensor2d([u]), tf.tensor2d([context])).z, tf.tensor2d([context])).dataSync()));
    back.forEach((v, k) => expect(v).toBeCloseTo(u[k], 4));
    flow.dispose();
  });

  it('has a density that integrates to one in one dimension', () => {
    const flow = randomFlow(1, 3, 1, linear);
    const points = 4001;
    const h = 30 / (points - 1);
    const grid = Float32Array.from({ length: points }, (_, i) => -15 + i * h);
    const p = tf.tidy(() => tf.exp(flow.logProb(tf.tensor2d(grid, [points, 1]), tf.fill([points, 1], 0.7) as tf.Tensor2D)).dataSync());
    let integral = 0;
    for (let i = 0; i < points; i++) integral += (i === 0 || i === points - 1 ? 0.5 : 1) * p[i] * h;
    expect(integral).toBeGreaterThan(0.99);
    expect(integral).toBeLessThan(1.01);
    flow.dispose();
  });

  it('has a density that integrates to one in two dimensions', () => {
    const flow = randomFlow(2, 3, 1, linear);
    const side = 301;
    const h = 20 / (side - 1);
    const grid = new Float32Array(side * side * 2);
    for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) grid.set([-10 + i * h, -10 + j * h], (i * side + j) * 2);
    const p = tf.tidy(() => tf.exp(flow.logProb(tf.tensor2d(grid, [side * side, 2]), tf.fill([side * side, 1], -0.4) as tf.Tensor2D)).dataSync());
    let integral = 0;
    for (let i = 0; i < side; i++)
      for (let j = 0; j < side; j++) integral += (i === 0 || i === side - 1 ? 0.5 : 1) * (j === 0 || j === side - 1 ? 0.5 : 1) * p[i * side + j] * h * h;
    expect(integral).toBeGreaterThan(0.99);
    expect(integral).toBeLessThan(1.01);
    flow.dispose();
  });
});

describe('direct linear connections', () => {
  it('carry a linear dependence on the context exactly, far outside where tanh units saturate', () => {
    // One block, hidden and logScale weights zero: z = u − (w·x + b) exactly, so the shift at x = 40 is 40·w.
    const architecture: FlowArchitecture = {
      kind: 'maf',
      dimension: 1,
      contextDimension: 1,
      transforms: 1,
      hidden: 4,
      hiddenLayers: 1,
      activation: 'tanh',
      linear: true,
    };
    const weights = initialWeights(architecture, 3).map((w) =>
      w.name.endsWith('shiftLinear/kernel') ? { ...w, values: [0.3, 0.5] } : { ...w, values: w.values.map(() => 0) },
    );
    const flow = new MaskedAutoregressiveFlow(architecture, weights);
    const z = tf.tidy(() => Array.from(flow.transform(tf.tensor2d([[25]]), tf.tensor2d([[40]])).z.dataSync()));
    // The input's own weight (0.3) is masked out: output 1 may not depend on input 1.
    expect(z[0]).toBeCloseTo(25 - 0.5 * 40, 4);
    flow.dispose();
  });

  it('are refused when not a boolean, naming the field', () => {
    const architecture = { kind: 'maf', dimension: 1, contextDimension: 1, transforms: 1, hidden: 4, hiddenLayers: 1, activation: 'tanh', linear: 'yes' };
    expect(() => new MaskedAutoregressiveFlow(architecture as unknown as FlowArchitecture, [])).toThrow(/flow\.linear/);
  });

  it('leave estimators saved without them loadable (the field absent means no connections)', () => {
    const architecture: FlowArchitecture = { kind: 'maf', dimension: 2, contextDimension: 1, transforms: 2, hidden: 4, hiddenLayers: 1, activation: 'tanh' };
    expect(initialWeights(architecture, 1).some((w) => w.name.includes('Linear'))).toBe(false);
    expect(initialWeights({ ...architecture, linear: true }, 1).filter((w) => w.name.includes('Linear'))).toHaveLength(4);
  });
});
