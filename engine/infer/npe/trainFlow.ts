import { tf } from '../../learn/backend.js';
import { Xoshiro128 } from '../../sample/random/Xoshiro128.js';
import { deriveStreamState } from '../../sample/random/seedDerivation.js';
import { InferenceError } from '../errors.js';
import { initialWeights, MaskedAutoregressiveFlow, validateArchitecture, type FlowArchitecture, type NamedWeight } from './maskedAutoregressiveFlow.js';

/** Affine z-scoring of θ and x learnt from the first training set (sbi's `z_score_theta` / `z_score_x`). */
export interface Standardisation {
  readonly thetaMean: readonly number[];
  readonly thetaSd: readonly number[];
  readonly xMean: readonly number[];
  readonly xSd: readonly number[];
}

/** Everything needed to rebuild a trained estimator: plain JSON. */
export interface TrainedFlow {
  readonly architecture: FlowArchitecture;
  readonly standardisation: Standardisation;
  readonly weights: readonly NamedWeight[];
}

/** Training pairs, row-major: θ is count × D, x is count × C. */
export interface FlowTrainingData {
  readonly count: number;
  readonly theta: Float64Array;
  readonly x: Float64Array;
  /** log p(θ_i) under the prior: needed by the atomic loss only. */
  readonly logPrior?: Float64Array;
  /**
   * 1 for pairs whose θ was drawn from the prior, 0 for later rounds'
   * proposals. With the atomic loss, −log q(θ_i | x_i) of the prior's pairs is
   * added (sbi's `use_combined_loss`): maximum likelihood on them pins q down
   * away from the proposals' atoms, where the atomic loss alone lets mass leak.
   */
  readonly fromPrior?: Float64Array;
}

export interface FlowEpoch {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly validationLoss: number;
  readonly best: boolean;
  readonly seconds: number;
}

export interface FlowTrainingOptions {
  /**
   * 'maximumLikelihood': −log q(θ | x) (NPE on prior draws, Papamakarios &
   * Murray 2016); 'atomic': the APT loss with atomic proposals (Greenberg,
   * Nonnenmacher & Macke 2019, arXiv:1905.07488). Default maximumLikelihood.
   */
  readonly loss?: 'maximumLikelihood' | 'atomic';
  /** Atoms per row for the atomic loss, the row's own θ included (default 10, as sbi). */
  readonly atoms?: number;
  /** Default 128 (sbi: 50; larger batches cost fewer tfjs dispatches per epoch). */
  readonly batchSize?: number;
  /** Adam step size (default 5e-4, as sbi). */
  readonly learningRate?: number;
  /** Held-out fraction, chosen by a seeded shuffle (default 0.1). */
  readonly validationFraction?: number;
  /** Stop after this many epochs without a better validation loss and restore the best weights (default 20). */
  readonly patience?: number;
  /**
   * When `patience` runs out, go back to the best weights, multiply the step
   * size by 0.2 and go on, this many times before stopping (default 0: stop,
   * as sbi). Refines a fit that large, noisy batches left short of its optimum.
   */
  readonly plateauReductions?: number;
  /** Default 1000. */
  readonly maxEpochs?: number;
  /** Clip the gradient's global norm to this (default 5, as sbi). */
  readonly clipNorm?: number;
  readonly seed?: number;
  readonly signal?: AbortSignal;
  readonly onEpoch?: (epoch: FlowEpoch) => void;
}

export interface FlowTrainingResult extends TrainedFlow {
  readonly trainLoss: number[];
  readonly validationLoss: number[];
  /** The epoch whose weights were kept; 0 when none beat the starting weights (a warm start in SNPE). */
  readonly bestEpoch: number;
  readonly seconds: number;
}

function fieldCheck(field: string, ok: boolean, expected: string, got: unknown): void {
  if (!ok) throw new InferenceError(`${field}: expected ${expected}, got ${String(got)}`, { field });
}

/** Column means and sds of a count × width matrix; a constant column gets sd 1 so it stays finite. */
function columnMoments(values: Float64Array, count: number, width: number): { mean: number[]; sd: number[] } {
  const mean = new Array<number>(width).fill(0);
  const sd = new Array<number>(width).fill(0);
  for (let i = 0; i < count; i++) for (let k = 0; k < width; k++) mean[k] += values[i * width + k] / count;
  for (let i = 0; i < count; i++) for (let k = 0; k < width; k++) sd[k] += (values[i * width + k] - mean[k]) ** 2 / Math.max(1, count - 1);
  return { mean, sd: sd.map((v) => (v > 1e-24 ? Math.sqrt(v) : 1)) };
}

/** A fresh, untrained estimator whose z-scoring comes from `data`. */
export function createFlow(architecture: FlowArchitecture, data: FlowTrainingData, seed: number): TrainedFlow {
  validateArchitecture(architecture);
  const theta = columnMoments(data.theta, data.count, architecture.dimension);
  const x = columnMoments(data.x, data.count, architecture.contextDimension);
  return { architecture, standardisation: { thetaMean: theta.mean, thetaSd: theta.sd, xMean: x.mean, xSd: x.sd }, weights: initialWeights(architecture, seed) };
}

/** (values − mean) / sd row by row, as float32 for tfjs. */
export function standardise(values: ArrayLike<number>, count: number, mean: readonly number[], sd: readonly number[]): Float32Array {
  const width = mean.length;
  const out = new Float32Array(count * width);
  for (let i = 0; i < count; i++) for (let k = 0; k < width; k++) out[i * width + k] = (values[i * width + k] - mean[k]) / sd[k];
  return out;
}

/**
 * Atom indices for a batch of B rows: row i uses its own θ first, then
 * A − 1 other rows' θ drawn without replacement (a partial Fisher–Yates).
 */
function atomIndices(B: number, A: number, rng: Xoshiro128): Int32Array {
  const out = new Int32Array(B * A);
  const pool = new Int32Array(B);
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < B; j++) pool[j] = j;
    pool[i] = B - 1;
    pool[B - 1] = i;
    out[i * A] = i;
    for (let a = 1; a < A; a++) {
      const j = a - 1 + Math.floor(rng.nextDouble() * (B - 1 - (a - 1)));
      const t = pool[a - 1];
      pool[a - 1] = pool[j];
      pool[j] = t;
      out[i * A + a] = pool[a - 1];
    }
  }
  return out;
}

interface Batch {
  theta: tf.Tensor2D;
  x: tf.Tensor2D;
  logPrior: tf.Tensor1D | null;
  fromPrior: tf.Tensor1D | null;
}

/** Mean loss of a batch (inside tf.tidy). The atomic loss: −log softmax over atoms of log q(θ_j | x_i) − log p(θ_j), at the true θ_i. */
function batchLoss(flow: MaskedAutoregressiveFlow, batch: Batch, atoms: number, rng: Xoshiro128 | null): tf.Scalar {
  if (!rng || !batch.logPrior) return tf.neg(tf.mean(flow.logProb(batch.theta, batch.x))) as tf.Scalar;
  const B = batch.theta.shape[0];
  const A = Math.min(atoms, B);
  if (A < 2) return tf.neg(tf.mean(flow.logProb(batch.theta, batch.x))) as tf.Scalar;
  const index = tf.tensor1d(atomIndices(B, A, rng), 'int32');
  const rows = tf.tensor1d(
    Int32Array.from({ length: B * A }, (_, k) => Math.floor(k / A)),
    'int32',
  );
  const logQ = flow.logProb(tf.gather(batch.theta, index) as tf.Tensor2D, tf.gather(batch.x, rows) as tf.Tensor2D);
  const logits = tf.reshape(tf.sub(logQ, tf.gather(batch.logPrior, index)), [B, A]);
  const own = tf.squeeze(tf.slice(logits, [0, 0], [B, 1]), [1]);
  const atomic = tf.neg(tf.mean(tf.sub(own, tf.logSumExp(logits, 1)))) as tf.Scalar;
  if (!batch.fromPrior) return atomic;
  // Atom 0 of each row is its own θ_i: log q(θ_i | x_i) is already in logQ.
  const ownLogQ = tf.squeeze(tf.slice(tf.reshape(logQ, [B, A]), [0, 0], [B, 1]), [1]);
  return tf.sub(atomic, tf.mean(tf.mul(ownLogQ, batch.fromPrior))) as tf.Scalar;
}

/**
 * Train a flow: a pure function (estimator and data in; weights and loss
 * curves out) so it can run on a compute thread. Adam with gradients
 * clipped to a global norm, seeded shuffles and validation split,
 * early stopping that restores the best weights (sbi's training loop, in
 * short). Deterministic for a seed on one backend. Cancel with `signal`.
 */
/** The training settings with sbi's defaults filled in; throws an InferenceError naming the first bad field. */
export function resolveTrainingOptions(options: FlowTrainingOptions = {}): Required<Omit<FlowTrainingOptions, 'signal' | 'onEpoch'>> {
  const loss = options.loss ?? 'maximumLikelihood';
  const atoms = options.atoms ?? 10;
  const batchSize = options.batchSize ?? 128;
  const learningRate = options.learningRate ?? 5e-4;
  const validationFraction = options.validationFraction ?? 0.1;
  const patience = options.patience ?? 20;
  const plateauReductions = options.plateauReductions ?? 0;
  const maxEpochs = options.maxEpochs ?? 1000;
  const clipNorm = options.clipNorm ?? 5;
  const seed = options.seed ?? 0;
  fieldCheck('loss', loss === 'maximumLikelihood' || loss === 'atomic', '"maximumLikelihood" or "atomic"', loss);
  fieldCheck('atoms', Number.isSafeInteger(atoms) && atoms >= 2, 'an integer >= 2', atoms);
  fieldCheck('batchSize', Number.isSafeInteger(batchSize) && batchSize >= 2, 'an integer >= 2', batchSize);
  fieldCheck('learningRate', learningRate > 0 && Number.isFinite(learningRate), 'a positive number', learningRate);
  fieldCheck('validationFraction', validationFraction > 0 && validationFraction < 1, 'a fraction in (0, 1)', validationFraction);
  fieldCheck('patience', Number.isSafeInteger(patience) && patience >= 1, 'an integer >= 1', patience);
  fieldCheck('plateauReductions', Number.isSafeInteger(plateauReductions) && plateauReductions >= 0, 'an integer >= 0', plateauReductions);
  fieldCheck('maxEpochs', Number.isSafeInteger(maxEpochs) && maxEpochs >= 1, 'an integer >= 1', maxEpochs);
  fieldCheck('clipNorm', clipNorm > 0, 'a positive number', clipNorm);
  fieldCheck('seed', Number.isSafeInteger(seed) && seed >= 0, 'an integer >= 0', seed);
  return { loss, atoms, batchSize, learningRate, validationFraction, patience, plateauReductions, maxEpochs, clipNorm, seed };
}

export async function trainFlow(start: TrainedFlow, data: FlowTrainingData, options: FlowTrainingOptions = {}): Promise<FlowTrainingResult> {
  const { loss, atoms, batchSize, learningRate, validationFraction, patience, plateauReductions, maxEpochs, clipNorm, seed } = resolveTrainingOptions(options);
  const { architecture: a, standardisation: s } = start;
  const n = data.count;
  fieldCheck('data.theta', data.theta.length === n * a.dimension, `${n} × ${a.dimension} values`, data.theta.length);
  fieldCheck('data.x', data.x.length === n * a.contextDimension, `${n} × ${a.contextDimension} values`, data.x.length);
  if (loss === 'atomic') fieldCheck('data.logPrior', data.logPrior?.length === n, `${n} finite values (the atomic loss needs log p(θ))`, data.logPrior?.length);
  if (data.fromPrior) fieldCheck('data.fromPrior', data.fromPrior.length === n, `${n} values`, data.fromPrior.length);
  const nValidation = Math.max(1, Math.floor(n * validationFraction));
  const nTrain = n - nValidation;
  fieldCheck('data.count', nTrain >= 2, 'at least 3 training pairs', n);

  // A seeded permutation picks the validation rows, so later rounds' data are not all held out.
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const split = new Xoshiro128(deriveStreamState(seed, 0));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(split.nextDouble() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const thetaAll = tf.tensor2d(standardise(data.theta, n, s.thetaMean, s.thetaSd), [n, a.dimension]);
  const xAll = tf.tensor2d(standardise(data.x, n, s.xMean, s.xSd), [n, a.contextDimension]);
  const logPriorAll = loss === 'atomic' ? tf.tensor1d(Float32Array.from(data.logPrior!)) : null;
  const fromPriorAll = loss === 'atomic' && data.fromPrior ? tf.tensor1d(Float32Array.from(data.fromPrior)) : null;
  const flow = new MaskedAutoregressiveFlow(a, start.weights);
  const optimizer = tf.train.adam(learningRate);
  const pick = (rows: Int32Array): Batch => {
    const index = tf.tensor1d(rows, 'int32');
    const batch = {
      theta: tf.gather(thetaAll, index) as tf.Tensor2D,
      x: tf.gather(xAll, index) as tf.Tensor2D,
      logPrior: logPriorAll ? (tf.gather(logPriorAll, index) as tf.Tensor1D) : null,
      fromPrior: fromPriorAll ? (tf.gather(fromPriorAll, index) as tf.Tensor1D) : null,
    };
    index.dispose();
    return batch;
  };
  const validation = pick(order.slice(nTrain));
  const trainRows = order.slice(0, nTrain);
  const trainLoss: number[] = [];
  const validationLoss: number[] = [];
  let best = Infinity;
  let bestEpoch = 0;
  let bestWeights: tf.Tensor[] | null = null;
  let reductions = 0;
  let sinceEpoch = 0;
  const started = performance.now();
  const validate = async (): Promise<number> => {
    const validationRng = loss === 'atomic' ? new Xoshiro128(deriveStreamState(seed, 2)) : null;
    const vScalar = tf.tidy(() => batchLoss(flow, validation, atoms, validationRng));
    const value = (await vScalar.data())[0];
    vScalar.dispose();
    return value;
  };
  try {
    // A warm start (SNPE's later rounds) competes with its own starting weights: if no epoch beats them on the
    // validation set (bestEpoch 0), they are kept, and a fresh optimiser's first large steps cannot undo a good fit.
    const startLoss = await validate();
    if (Number.isFinite(startLoss)) {
      best = startLoss;
      bestWeights = flow.variables.map((v) => v.clone());
    }
    for (let epoch = 1; epoch <= maxEpochs; epoch++) {
      const rng = new Xoshiro128(deriveStreamState(seed, 1, epoch));
      for (let i = nTrain - 1; i > 0; i--) {
        const j = Math.floor(rng.nextDouble() * (i + 1));
        [trainRows[i], trainRows[j]] = [trainRows[j], trainRows[i]];
      }
      let total = 0;
      for (let from = 0; from < nTrain; from += batchSize) {
        options.signal?.throwIfAborted();
        const rows = trainRows.slice(from, Math.min(nTrain, from + batchSize));
        if (rows.length < 2) continue;
        const value = tf.tidy(() => {
          const batch = pick(rows);
          const { value, grads } = tf.variableGrads(() => batchLoss(flow, batch, atoms, loss === 'atomic' ? rng : null), flow.variables);
          const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))));
          const scale = tf.minimum(1, tf.div(clipNorm, tf.add(norm, 1e-6)));
          optimizer.applyGradients(Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.mul(g, scale)])));
          return value;
        });
        total += (await value.data())[0] * rows.length;
        value.dispose();
        await new Promise((resolve) => setImmediate(resolve));
      }
      const vLoss = await validate();
      trainLoss.push(total / nTrain);
      validationLoss.push(vLoss);
      const improved = vLoss < best;
      if (improved) {
        best = vLoss;
        bestEpoch = epoch;
        tf.dispose(bestWeights ?? []);
        bestWeights = flow.variables.map((v) => v.clone());
      }
      options.onEpoch?.({ epoch, trainLoss: total / nTrain, validationLoss: vLoss, best: improved, seconds: (performance.now() - started) / 1000 });
      if (!Number.isFinite(total)) break;
      if (epoch - sinceEpoch >= patience && epoch - bestEpoch >= patience) {
        if (reductions >= plateauReductions || !bestWeights) break;
        reductions++;
        sinceEpoch = epoch;
        flow.variables.forEach((v, i) => v.assign(bestWeights![i]));
        // Adam reads its step size at every update; the field is protected in the typings.
        (optimizer as unknown as { learningRate: number }).learningRate = learningRate * 0.2 ** reductions;
      }
    }
    if (bestWeights) flow.variables.forEach((v, i) => v.assign(bestWeights![i]));
    return {
      architecture: a,
      standardisation: s,
      weights: flow.weights(),
      trainLoss,
      validationLoss,
      bestEpoch,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    tf.dispose([
      thetaAll,
      xAll,
      validation.theta,
      validation.x,
      ...(logPriorAll ? [logPriorAll] : []),
      ...(validation.logPrior ? [validation.logPrior] : []),
      ...(fromPriorAll ? [fromPriorAll] : []),
      ...(validation.fromPrior ? [validation.fromPrior] : []),
      ...(bestWeights ?? []),
    ]);
    optimizer.dispose();
    flow.dispose();
  }
}
