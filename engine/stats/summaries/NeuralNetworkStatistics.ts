import type { TrajectoryEnsemble } from '../../simulate/types.js';
import { FeatureShapeError, PartSpecError } from '../errors.js';
import type { PartSpec, SummaryStatistics } from '../types.js';
import { base64ToFloat32 } from './nn/float32Base64.js';
import { ForwardPass } from './nn/forwardPass.js';
import { planNetwork, type NetworkGraph } from './nn/topology.js';
import { selectSpecies } from './selectSpecies.js';

export type NeuralNetworkArchitecture = 'cnn' | 'dnn' | 'pen';
export const NEURAL_NETWORK_ARCHITECTURES: readonly NeuralNetworkArchitecture[] = ['cnn', 'dnn', 'pen'];

/**
 * How a series is scaled before the network sees it: `transform` first
 * (`log1p`: sign(x)·log(1+|x|), which tames the range of molecule counts),
 * then per species (x − mean) / sd with the training set's moments.
 */
export interface InputNormalisation {
  readonly transform: 'log1p' | 'none';
  readonly mean: readonly number[];
  readonly sd: readonly number[];
}

export interface NeuralNetworkSpec extends PartSpec {
  readonly kind: 'neural-network';
  readonly architecture: NeuralNetworkArchitecture;
  /** Input channels, in order (the species the network was trained on). */
  readonly species: readonly string[];
  /** Length of the time grid the network was trained on. */
  readonly timePoints: number;
  /** Outputs: one per parameter, the estimate scaled to [0, 1] by the prior box [lower, upper]. */
  readonly parameters: readonly string[];
  readonly lower: readonly number[];
  readonly upper: readonly number[];
  readonly normalisation: InputNormalisation;
  readonly network: NetworkGraph;
  /** Every weight tensor, flat in the order of the layers, as base64 of little-endian float32. */
  readonly weights: string;
}

/**
 * Learned summary statistics: a trained network maps a parameter point's
 * series to an estimate of its parameters, scaled to [0, 1] by the prior box,
 * and that estimate is the summary (the posterior-mean regression of
 * Fearnhead & Prangle 2012, doi:10.1111/j.1467-9868.2011.01010.x, learned by
 * a CNN as in Åkesson et al. 2021, doi:10.1109/TCBB.2021.3108695). Features
 * are named `nn:<parameter>`; with several runs the estimates are averaged.
 *
 * The forward pass is pure TypeScript (no TensorFlow.js), so the spec, which
 * carries its weights, runs in any worker thread or remote node; training
 * lives in engine/learn.
 */
export class NeuralNetworkStatistics implements SummaryStatistics {
  readonly kind = 'neural-network';
  private readonly spec: NeuralNetworkSpec;
  private readonly pass: ForwardPass;
  private readonly input: Float64Array;
  private readonly scratch: Float64Array;
  private cache: { speciesIds: readonly string[]; rows: Int32Array } | undefined;

  constructor(spec: NeuralNetworkSpec) {
    this.spec = spec;
    const channels = spec.species.length;
    const plan = planNetwork(spec.network, spec.timePoints, channels, spec.parameters.length);
    if ('issues' in plan) throw new PartSpecError(plan.issues.map((i) => ({ path: `statistics.network.${i.path}`, message: i.message })));
    const weights = base64ToFloat32(spec.weights);
    if (weights.length !== plan.weightCount)
      throw new PartSpecError([{ path: 'statistics.weights', message: `expected ${plan.weightCount} float32 values for this network, got ${weights.length}` }]);
    this.pass = new ForwardPass(spec.network, plan, weights, spec.timePoints, channels);
    this.input = new Float64Array(spec.timePoints * channels);
    this.scratch = new Float64Array(spec.parameters.length);
  }

  featureNames(speciesIds: readonly string[], time: Float64Array): string[] {
    selectSpecies(speciesIds, this.spec.species);
    void time;
    return this.spec.parameters.map((p) => `nn:${p}`);
  }

  /** The network's output for one series given as [timePoints, species] (normalised input), for tests and tools. */
  evaluateNormalised(input: Float64Array): Float64Array {
    return this.pass.evaluate(input);
  }

  compute(ensemble: TrajectoryEnsemble, out: Float64Array): void {
    const { timePoints, normalisation } = this.spec;
    if (out.length !== this.scratch.length) throw new FeatureShapeError('neural-network statistics out', this.scratch.length, out.length);
    if (ensemble.time.length !== timePoints)
      throw new FeatureShapeError(
        'neural-network statistics: time points of the series (the network was trained on that grid length)',
        timePoints,
        ensemble.time.length,
      );
    if (this.cache?.speciesIds !== ensemble.speciesIds)
      this.cache = { speciesIds: ensemble.speciesIds, rows: selectSpecies(ensemble.speciesIds, this.spec.species) };
    const rows = this.cache.rows;
    const channels = rows.length;
    const nSpecies = ensemble.speciesIds.length;
    const log = normalisation.transform === 'log1p';
    out.fill(0);
    for (let run = 0; run < ensemble.runs; run++) {
      for (let s = 0; s < channels; s++) {
        const from = (run * nSpecies + rows[s]) * timePoints;
        const mean = normalisation.mean[s];
        const sd = normalisation.sd[s];
        for (let t = 0; t < timePoints; t++) {
          let v = ensemble.data[from + t];
          if (log) v = v >= 0 ? Math.log1p(v) : -Math.log1p(-v);
          this.input[t * channels + s] = (v - mean) / sd;
        }
      }
      const y = this.pass.evaluate(this.input);
      for (let j = 0; j < out.length; j++) out[j] += y[j];
    }
    if (ensemble.runs > 1) for (let j = 0; j < out.length; j++) out[j] /= ensemble.runs;
  }

  toJSON(): NeuralNetworkSpec {
    return this.spec;
  }
}
