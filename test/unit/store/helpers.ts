import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Generation } from '../../../engine/infer/types.js';
import type { Posterior } from '../../../engine/infer/Posterior.js';

export function tempDir(prefix = 'sciope-store-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A generation with deterministic pseudo-random contents (NaN and ±Infinity included on request). */
export function fakeGeneration(index: number, count: number, dimension: number, featureCount: number, specials = false): Generation {
  let x = 12345 + index;
  const next = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648) * 10 - 3;
  const particles = Float64Array.from({ length: count * dimension }, next);
  const features = Float64Array.from({ length: count * featureCount }, next);
  const weights = Float64Array.from({ length: count }, () => Math.abs(next()));
  const sum = weights.reduce((a, b) => a + b, 0);
  weights.forEach((w, i) => (weights[i] = w / sum));
  const distances = Float64Array.from({ length: count }, () => Math.abs(next()));
  if (specials && count > 2 && featureCount > 2) {
    distances[0] = NaN;
    features[1] = Infinity;
    features[2] = -Infinity;
    features[3] = NaN;
    particles[0] = -0;
  }
  return {
    index,
    epsilon: 1 / (index + 1),
    count,
    dimension,
    particles,
    weights,
    distances,
    features,
    featureCount,
    simulations: count * (index + 1),
    acceptanceRate: 1 / (index + 1),
    ess: count / 2,
    distance: { kind: 'adaptive', scale: 'mad', scales: [1.5, 0.25] },
  };
}

function bytes(a: Float64Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Bit-for-bit equality of two generations (NaN payloads and -0 included). */
export function expectSameGeneration(actual: Generation, expected: Generation): void {
  const { particles, weights, distances, features, ...rest } = actual;
  const { particles: p, weights: w, distances: d, features: f, ...expectedRest } = expected;
  expect(rest).toEqual(expectedRest);
  expect(bytes(particles).equals(bytes(p))).toBe(true);
  expect(bytes(weights).equals(bytes(w))).toBe(true);
  expect(bytes(distances).equals(bytes(d))).toBe(true);
  expect(bytes(features).equals(bytes(f))).toBe(true);
}

export function expectSamePosterior(actual: Posterior, expected: Posterior): void {
  expect(actual.generations.length).toBe(expected.generations.length);
  actual.generations.forEach((g, i) => expectSameGeneration(g, expected.generations[i]));
  expect(actual.stopReason).toBe(expected.stopReason);
  expect(actual.simulations).toBe(expected.simulations);
  expect(actual.parameterNames).toEqual(expected.parameterNames);
  expect(JSON.parse(JSON.stringify(actual.config))).toEqual(JSON.parse(JSON.stringify(expected.config)));
}
