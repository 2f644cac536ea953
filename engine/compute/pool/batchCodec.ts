import type { Trial, TrialResult } from '../executor.js';

/**
 * Batches packed into one Float64Array each way, so a batch crosses a thread
 * boundary by transfer (no copy, no JSON) and a byte stream as one frame.
 *
 * Trials:  [n, parameterCount, streamLength, indices(n), parameters(n×p), streams(n×s)]
 * Results: [n, featureCount, trajectoryLength, hasFeatures, hasTrajectories, elapsedMs,
 *           indices(n), events(n), features(n×f), trajectories(n×l)]
 * Indices, stream entries and counts are integers below 2^53, exact in a double.
 */
const TRIAL_HEADER = 3;
const RESULT_HEADER = 6;

export function packTrials(trials: readonly Trial[]): Float64Array {
  const n = trials.length;
  const p = n > 0 ? trials[0].parameters.length : 0;
  const s = n > 0 ? trials[0].stream.length : 0;
  const out = new Float64Array(TRIAL_HEADER + n * (1 + p + s));
  out[0] = n;
  out[1] = p;
  out[2] = s;
  const parameters = TRIAL_HEADER + n;
  const streams = parameters + n * p;
  trials.forEach((trial, i) => {
    if (trial.parameters.length !== p || trial.stream.length !== s) {
      throw new RangeError(`trial ${trial.index}: every trial of a batch needs ${p} parameters and a stream path of length ${s}`);
    }
    out[TRIAL_HEADER + i] = trial.index;
    out.set(trial.parameters, parameters + i * p);
    for (let k = 0; k < s; k++) out[streams + i * s + k] = trial.stream[k];
  });
  return out;
}

export function unpackTrials(packed: Float64Array): Trial[] {
  const [n, p, s] = [packed[0], packed[1], packed[2]];
  const parameters = TRIAL_HEADER + n;
  const streams = parameters + n * p;
  return Array.from({ length: n }, (_, i) => ({
    index: packed[TRIAL_HEADER + i],
    parameters: packed.subarray(parameters + i * p, parameters + (i + 1) * p),
    stream: Array.from(packed.subarray(streams + i * s, streams + (i + 1) * s)),
  }));
}

export function packResults(results: readonly TrialResult[], elapsedMs: number): Float64Array {
  const n = results.length;
  const f = results[0]?.features?.length ?? 0;
  const l = results[0]?.trajectories?.length ?? 0;
  const hasFeatures = results[0]?.features ? 1 : 0;
  const hasTrajectories = results[0]?.trajectories ? 1 : 0;
  const out = new Float64Array(RESULT_HEADER + n * (2 + f + l));
  out.set([n, f, l, hasFeatures, hasTrajectories, elapsedMs]);
  const events = RESULT_HEADER + n;
  const features = events + n;
  const trajectories = features + n * f;
  results.forEach((r, i) => {
    out[RESULT_HEADER + i] = r.index;
    out[events + i] = r.events;
    if (r.features) out.set(r.features, features + i * f);
    if (r.trajectories) out.set(r.trajectories, trajectories + i * l);
  });
  return out;
}

export function unpackResults(packed: Float64Array): { results: TrialResult[]; elapsedMs: number } {
  const [n, f, l, hasFeatures, hasTrajectories, elapsedMs] = packed.subarray(0, RESULT_HEADER);
  const events = RESULT_HEADER + n;
  const features = events + n;
  const trajectories = features + n * f;
  const results = Array.from({ length: n }, (_, i) => ({
    index: packed[RESULT_HEADER + i],
    events: packed[events + i],
    features: hasFeatures ? packed.slice(features + i * f, features + (i + 1) * f) : null,
    trajectories: hasTrajectories ? packed.slice(trajectories + i * l, trajectories + (i + 1) * l) : null,
  }));
  return { results, elapsedMs };
}
