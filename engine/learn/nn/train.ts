import { tf } from '../backend.js';
import { Xoshiro128 } from '../../sample/random/Xoshiro128.js';
import { deriveStreamState } from '../../sample/random/seedDerivation.js';
import { NeuralNetworkError } from './errors.js';

/** What the training loop reports after each epoch. */
export interface EpochProgress {
  readonly epoch: number;
  readonly epochs: number;
  /** Mean squared error over the epoch's batches (training mode). */
  readonly trainLoss: number;
  /** Mean squared error on the validation set (inference mode); NaN without one. */
  readonly valLoss: number;
  readonly learningRate: number;
  /** Seconds since training began. */
  readonly elapsed: number;
  /** This epoch has the best validation loss so far. */
  readonly best: boolean;
}

export interface TrainingOptions {
  readonly epochs?: number;
  readonly batchSize?: number;
  /** Adam's step size (Kingma & Ba 2015, arXiv:1412.6980). Default 1e-3. */
  readonly learningRate?: number;
  /** Multiply the learning rate by this after every epoch (default 1: none). */
  readonly decay?: number;
  /** Halve the learning rate (down to 1e-6) after this many epochs without a better validation loss; 0 disables (the default). */
  readonly plateauPatience?: number;
  /** Fraction of the set (its tail) held out for validation, in [0, 1). Default 0.2. */
  readonly validationSplit?: number;
  /** Stop after this many epochs without a better validation loss, and restore the best weights. Default 10. */
  readonly patience?: number;
  /** Seeds the per-epoch shuffles. Default 0. */
  readonly seed?: number;
  readonly signal?: AbortSignal;
  readonly onEpoch?: (progress: EpochProgress) => void;
}

export interface TrainingHistory {
  readonly trainLoss: number[];
  readonly valLoss: number[];
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  readonly seconds: number;
}

function check(field: string, ok: boolean, expected: string, got: unknown): void {
  if (!ok) throw new NeuralNetworkError(field, `expected ${expected}, got ${String(got)}`);
}

// Adam keeps its step size in a protected field; the optimizer reads it at every step, so changing it schedules the rate.
const setLearningRate = (optimizer: tf.Optimizer, value: number) => {
  (optimizer as unknown as { learningRate: number }).learningRate = value;
};

/**
 * Fit `model` to (inputs, targets) by mean squared error with Adam: seeded
 * mini-batch shuffles (Fisher–Yates on stream (seed, epoch)), so a run is
 * reproducible on the same backend; validation on the held-out tail after
 * each epoch; early stopping restores the best weights (Prechelt 1998,
 * doi:10.1007/3-540-49430-8_3). Cancel with the signal: it is checked
 * between batches and the AbortError is rethrown.
 */
export async function trainModel(model: tf.LayersModel, inputs: tf.Tensor, targets: tf.Tensor, options: TrainingOptions = {}): Promise<TrainingHistory> {
  const epochs = options.epochs ?? 50;
  const batchSize = options.batchSize ?? 64;
  const validationSplit = options.validationSplit ?? 0.2;
  const patience = options.patience ?? 10;
  const plateauPatience = options.plateauPatience ?? 0;
  const decay = options.decay ?? 1;
  let learningRate = options.learningRate ?? 1e-3;
  check('epochs', Number.isSafeInteger(epochs) && epochs >= 1, 'an integer >= 1', epochs);
  check('batchSize', Number.isSafeInteger(batchSize) && batchSize >= 1, 'an integer >= 1', batchSize);
  check('learningRate', learningRate > 0 && Number.isFinite(learningRate), 'a positive number', learningRate);
  check('validationSplit', validationSplit >= 0 && validationSplit < 1, 'a fraction in [0, 1)', validationSplit);
  check('patience', Number.isSafeInteger(patience) && patience >= 1, 'an integer >= 1', patience);
  check('decay', decay > 0 && decay <= 1, 'a factor in (0, 1]', decay);
  const n = inputs.shape[0];
  const nVal = Math.floor(n * validationSplit);
  const nTrain = n - nVal;
  check('validationSplit', nTrain >= 1 && (validationSplit === 0 || nVal >= 1), `a split leaving points on both sides of ${n}`, validationSplit);

  const optimizer = tf.train.adam(learningRate);
  model.compile({ optimizer, loss: 'meanSquaredError' });
  const [xTrain, xVal] = tf.split(inputs, [nTrain, nVal], 0);
  const [yTrain, yVal] = tf.split(targets, [nTrain, nVal], 0);
  const order = new Int32Array(nTrain).map((_, i) => i);
  const history: { -readonly [K in keyof TrainingHistory]: TrainingHistory[K] } = { trainLoss: [], valLoss: [], bestEpoch: 0, stoppedEarly: false, seconds: 0 };
  let best = Infinity;
  let bestWeights: tf.Tensor[] | null = null;
  let sinceBest = 0;
  let sincePlateau = 0;
  const started = performance.now();
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const rng = new Xoshiro128(deriveStreamState(options.seed ?? 0, epoch));
      for (let i = nTrain - 1; i > 0; i--) {
        const j = Math.floor(rng.nextDouble() * (i + 1));
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      let total = 0;
      for (let from = 0; from < nTrain; from += batchSize) {
        options.signal?.throwIfAborted();
        const count = Math.min(batchSize, nTrain - from);
        const index = tf.tensor1d(order.subarray(from, from + count), 'int32');
        const xb = tf.gather(xTrain, index);
        const yb = tf.gather(yTrain, index);
        const loss = (await model.trainOnBatch(xb, yb)) as number;
        tf.dispose([index, xb, yb]);
        total += loss * count;
        // Let timers and the signal's listeners run between batches.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const trainLoss = total / nTrain;
      let valLoss = NaN;
      if (nVal > 0) {
        const evaluated = model.evaluate(xVal, yVal, { batchSize: 256 }) as tf.Scalar;
        valLoss = (await evaluated.data())[0];
        evaluated.dispose();
      }
      const monitored = nVal > 0 ? valLoss : trainLoss;
      const improved = monitored < best;
      history.trainLoss.push(trainLoss);
      history.valLoss.push(valLoss);
      if (improved) {
        best = monitored;
        history.bestEpoch = epoch;
        tf.dispose(bestWeights ?? []);
        bestWeights = model.getWeights().map((w) => w.clone());
        sinceBest = 0;
        sincePlateau = 0;
      } else {
        sinceBest++;
        sincePlateau++;
      }
      options.onEpoch?.({ epoch, epochs, trainLoss, valLoss, learningRate, elapsed: (performance.now() - started) / 1000, best: improved });
      if (sinceBest >= patience) {
        history.stoppedEarly = epoch < epochs;
        break;
      }
      if (plateauPatience > 0 && sincePlateau >= plateauPatience) {
        learningRate = Math.max(1e-6, learningRate / 2);
        sincePlateau = 0;
      }
      learningRate *= decay;
      setLearningRate(optimizer, learningRate);
    }
    if (bestWeights) model.setWeights(bestWeights);
  } finally {
    tf.dispose([xTrain, xVal, yTrain, yVal, ...(bestWeights ?? [])]);
    optimizer.dispose();
  }
  return { ...history, seconds: (performance.now() - started) / 1000 };
}
