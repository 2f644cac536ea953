import type { NeuralNetworkSpec } from '../../stats/index.js';
import { base64ToFloat32, bytesToFloat32, createSummaryStatistics, float32Bytes, float32ToBase64, PartSpecError } from '../../stats/index.js';
import { NeuralNetworkError } from './errors.js';
import type { LearnedStatistics } from './learnStatistics.js';

/** The part of ProjectStore this needs (a type only: no SQLite here). */
export interface NetworkRepository {
  addNetwork(network: { name: string; topology: unknown; weights: Uint8Array; meta?: Record<string, unknown> }): number;
  getNetwork(id: number): { id: number; name: string; topology: unknown; weights: Uint8Array; meta: Record<string, unknown> } | undefined;
}

/**
 * Store a trained network in a project: `topology` is the spec without its
 * weights, `weights` the little-endian float32 bytes, `meta` how it was
 * trained (backend, epochs, losses, prior box, training-set size, the
 * validation RMSE per parameter against the prior alone and its warning).
 * Returns the network's id in the project.
 */
export function storeNetwork(store: NetworkRepository, name: string, learned: Pick<LearnedStatistics, 'spec'> & Partial<LearnedStatistics>): number {
  const { weights, ...topology } = learned.spec;
  const history = learned.history;
  return store.addNetwork({
    name,
    topology,
    weights: float32Bytes(base64ToFloat32(weights)),
    meta: {
      backend: learned.backend,
      trainingSize: learned.trainingSize,
      epochs: history?.trainLoss.length,
      bestEpoch: history?.bestEpoch,
      trainLoss: history?.trainLoss,
      valLoss: history?.valLoss,
      seconds: history?.seconds,
      prior: { parameters: learned.spec.parameters, lower: learned.spec.lower, upper: learned.spec.upper },
      ...(learned.validation ? { validationRmse: learned.validation.rmse, priorRmse: learned.validation.priorRmse, warning: learned.validation.warning } : {}),
    },
  });
}

/** A stored network back as a `neural-network` spec, validated; errors name the project network. */
export function loadNetwork(store: NetworkRepository, id: number): NeuralNetworkSpec {
  const record = store.getNetwork(id);
  if (!record) throw new NeuralNetworkError(`network ${id}`, 'no network with this id in the project (store one with `sciope learn --project`)');
  let weights: string;
  try {
    weights = float32ToBase64(bytesToFloat32(record.weights));
  } catch (error) {
    throw new NeuralNetworkError(`network ${id}`, `stored weights are unreadable: ${(error as Error).message}`);
  }
  const spec = { ...(record.topology as object), weights };
  try {
    return createSummaryStatistics(spec).toJSON() as NeuralNetworkSpec;
  } catch (error) {
    if (error instanceof PartSpecError)
      throw new NeuralNetworkError(`network ${id}`, `not a valid neural-network spec:\n${error.message}`, { issues: error.issues });
    throw error;
  }
}
