import { float32ToBase64, type InputNormalisation, type NetworkGraph, type NeuralNetworkArchitecture, type NeuralNetworkSpec } from '../../stats/index.js';
import { exportWeights, type BuiltModel } from './buildModel.js';

export interface NetworkSpecFields {
  readonly architecture: NeuralNetworkArchitecture;
  readonly graph: NetworkGraph;
  readonly species: readonly string[];
  readonly timePoints: number;
  readonly parameters: readonly string[];
  readonly lower: ArrayLike<number>;
  readonly upper: ArrayLike<number>;
  readonly normalisation: InputNormalisation;
}

/** The `neural-network` statistics spec of a trained model: everything a worker needs, weights included, as JSON. */
export function toNetworkSpec(built: BuiltModel, fields: NetworkSpecFields): NeuralNetworkSpec {
  return {
    kind: 'neural-network',
    architecture: fields.architecture,
    species: [...fields.species],
    timePoints: fields.timePoints,
    parameters: [...fields.parameters],
    lower: Array.from(fields.lower),
    upper: Array.from(fields.upper),
    normalisation: { transform: fields.normalisation.transform, mean: [...fields.normalisation.mean], sd: [...fields.normalisation.sd] },
    network: fields.graph,
    weights: float32ToBase64(exportWeights(built)),
  };
}
