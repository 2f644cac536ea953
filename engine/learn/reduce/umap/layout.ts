import type { Xoshiro128 } from '../../../sample/random/Xoshiro128.js';
import type { CurveParameters } from './curveParameters.js';
import type { FuzzyGraph } from './fuzzyGraph.js';
import { PowerTable } from './powerTable.js';

/** Settings of the layout optimisation (umap-learn's defaults in brackets). */
export interface LayoutSettings {
  readonly curve: CurveParameters;
  readonly epochs: number;
  /** Negative samples per positive one (5). */
  readonly negativeSampleRate: number;
  /** Initial learning rate, decayed linearly to 0 over the epochs (1). */
  readonly learningRate: number;
  /** Weight of the repulsive term (1). */
  readonly repulsionStrength: number;
}

/**
 * The edges the optimisation samples and when: edge e is sampled every
 * `epochsPerSample[e]` epochs (max weight / its weight, so the strongest
 * edge once per epoch), with `negativeSampleRate` negative samples each
 * time. Edges too weak to be sampled once in all the epochs are dropped.
 */
export interface LayoutSchedule {
  readonly head: Int32Array;
  readonly tail: Int32Array;
  readonly epochsPerSample: Float64Array;
  readonly epochsPerNegativeSample: Float64Array;
  readonly nextSample: Float64Array;
  readonly nextNegativeSample: Float64Array;
}

/** Gradient components are clipped to ±4 (umap-learn's clip), which keeps early epochs of a random start from flinging points away. */
const CLIP = 4;
/** Keeps the repulsive gradient finite for nearly coincident points (umap-learn's 0.001). */
const REPULSION_EPSILON = 0.001;
/** Maps a 32-bit draw to [0, 1). */
const TWO_TO_MINUS_32 = 2 ** -32;

export function layoutSchedule(graph: FuzzyGraph, settings: LayoutSettings): LayoutSchedule {
  let max = 0;
  for (let e = 0; e < graph.weight.length; e++) max = Math.max(max, graph.weight[e]);
  const threshold = max / settings.epochs;
  let kept = 0;
  for (let e = 0; e < graph.weight.length; e++) if (graph.weight[e] >= threshold) kept++;
  const head = new Int32Array(kept);
  const tail = new Int32Array(kept);
  const epochsPerSample = new Float64Array(kept);
  for (let e = 0, f = 0; e < graph.weight.length; e++) {
    if (graph.weight[e] < threshold) continue;
    head[f] = graph.head[e];
    tail[f] = graph.tail[e];
    epochsPerSample[f++] = max / graph.weight[e];
  }
  const epochsPerNegativeSample = epochsPerSample.map((value) => value / settings.negativeSampleRate);
  return { head, tail, epochsPerSample, epochsPerNegativeSample, nextSample: epochsPerSample.slice(), nextNegativeSample: epochsPerNegativeSample.slice() };
}

/**
 * Runs epochs `from + 1` … `to` of UMAP's layout optimisation in place on
 * `embedding` (n × 2, row-major): stochastic gradient descent on the fuzzy
 * cross-entropy between the graph and the embedding (McInnes, Healy &
 * Melville 2018, arXiv:1802.03426, section 3.2 and algorithm 5; umap-learn's
 * optimize_layout_euclidean, single-threaded, which umap-js follows).
 *
 * In epoch t an edge (i, j) due for a sample pulls i and j together with
 * gradient −2ab·d^(2(b−1)) / (1 + a·d^(2b)) · (y_i − y_j), then i is pushed
 * from points drawn uniformly at random (negative sampling) with
 * 2γb / ((ε + d²)(1 + a·d^(2b))) · (y_i − y_k); components are clipped to
 * ±4 and scaled by the learning rate α(1 − (t − 1)/epochs). A negative
 * sample at zero distance from i does not move i (umap-learn 0.5; umap-js
 * still moves it by 4 on both axes). The random draws come from
 * `rng` in a fixed order, so the result is a function of the seed.
 *
 * Speed (about 5x umap-js's layout; test/bench/explore.bench.ts): plain
 * typed arrays with the two coordinates unrolled; one power per sample
 * (d^(2(b−1)) = d^(2b) / d²), read from a PowerTable (Math.pow alone cost
 * two thirds of the time); one 32-bit draw per negative sample, mapped to
 * [0, n) by multiplication.
 */
export function optimizeLayout(embedding: Float64Array, schedule: LayoutSchedule, settings: LayoutSettings, from: number, to: number, rng: Xoshiro128): void {
  const { a, b } = settings.curve;
  const { head, tail, epochsPerSample, epochsPerNegativeSample, nextSample, nextNegativeSample } = schedule;
  const n = embedding.length >> 1;
  const edges = head.length;
  const gamma = settings.repulsionStrength;
  const attract = -2 * a * b;
  const repel = 2 * gamma * b;
  const power = new PowerTable(b);
  for (let epoch = from + 1; epoch <= to; epoch++) {
    const alpha = settings.learningRate * (1 - (epoch - 1) / settings.epochs);
    for (let e = 0; e < edges; e++) {
      if (nextSample[e] > epoch) continue;
      const i = head[e] << 1;
      const j = tail[e] << 1;
      let xi = embedding[i];
      let yi = embedding[i + 1];
      const dx = xi - embedding[j];
      const dy = yi - embedding[j + 1];
      const d2 = dx * dx + dy * dy;
      if (d2 > 0) {
        const p = power.pow(d2);
        const coefficient = (attract * (p / d2)) / (a * p + 1);
        const gx = clip(coefficient * dx) * alpha;
        const gy = clip(coefficient * dy) * alpha;
        xi += gx;
        yi += gy;
        embedding[j] -= gx;
        embedding[j + 1] -= gy;
      }
      nextSample[e] += epochsPerSample[e];
      const negatives = Math.floor((epoch - nextNegativeSample[e]) / epochsPerNegativeSample[e]);
      for (let s = 0; s < negatives; s++) {
        const k = Math.floor(rng.nextUint32() * TWO_TO_MINUS_32 * n) << 1;
        if (k === i) continue; // i itself, whose position is held in xi, yi
        const ex = xi - embedding[k];
        const ey = yi - embedding[k + 1];
        const e2 = ex * ex + ey * ey;
        if (e2 > 0) {
          const coefficient = repel / ((REPULSION_EPSILON + e2) * (a * power.pow(e2) + 1));
          xi += clip(coefficient * ex) * alpha;
          yi += clip(coefficient * ey) * alpha;
        }
      }
      nextNegativeSample[e] += negatives * epochsPerNegativeSample[e];
      embedding[i] = xi;
      embedding[i + 1] = yi;
    }
  }
}

function clip(value: number): number {
  return value > CLIP ? CLIP : value < -CLIP ? -CLIP : value;
}
