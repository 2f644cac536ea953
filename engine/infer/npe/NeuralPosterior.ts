import { initLearnBackend, tf } from '../../learn/backend.js';
import type { JointPrior } from '../../sample/priors/types.js';
import { Xoshiro128 } from '../../sample/random/Xoshiro128.js';
import { deriveStreamState } from '../../sample/random/seedDerivation.js';
import { InferenceError } from '../errors.js';
import { Posterior } from '../Posterior.js';
import { MaskedAutoregressiveFlow } from './maskedAutoregressiveFlow.js';
import { standardise, type TrainedFlow } from './trainFlow.js';

/** One round of (S)NPE: its simulations and the training curve of the estimator after it. */
export interface NpeRound {
  readonly round: number;
  /** Trials simulated this round. */
  readonly simulations: number;
  /** Of them, pairs with non-finite statistics, left out of training (sbi's `exclude_invalid_x`). */
  readonly invalid: number;
  /**
   * Share of proposal draws kept (1 in round 0): with atomic rounds, of flow
   * draws inside the prior's support; with truncated rounds, of prior draws
   * inside the highest-density region (its prior mass).
   */
  readonly proposalAcceptance: number;
  /** Truncated rounds: the log q(θ | x_o) threshold that bounded this round's region. */
  readonly truncationThreshold?: number;
  /** Truncated rounds: the region's prior mass (share of prior draws with log q above the threshold). */
  readonly truncatedPriorMass?: number;
  readonly trainLoss: number[];
  readonly validationLoss: number[];
  /** The epoch whose weights were kept; 0 when none beat the starting weights (a warm start in SNPE). */
  readonly bestEpoch: number;
  readonly seconds: number;
}

export interface NeuralPosteriorJSON {
  readonly kind: 'neuralPosterior';
  readonly parameterNames: readonly string[];
  readonly observed: readonly number[];
  readonly estimator: TrainedFlow;
  readonly rounds: readonly NpeRound[];
  readonly simulations: number;
  readonly config: Record<string, unknown>;
}

export interface NeuralSamples {
  /** n × D, row-major, in the prior's parameter order. */
  readonly samples: Float64Array;
  /** Share of flow draws inside the prior's support (the rest were rejected). */
  readonly acceptance: number;
}

export interface SampleOptions {
  /** Seeds the base draws (default 0). */
  readonly seed?: number;
  /** Condition on these statistics instead of the observed ones. */
  readonly x?: ArrayLike<number>;
  /** Give up when fewer than this share of draws land in the prior's support (default 1e-3). */
  readonly minAcceptance?: number;
}

/** Rows per tfjs call when sampling or evaluating densities. */
const CHUNK = 10_000;

/**
 * An amortised posterior estimate q(θ | x) from (S)NPE, with the prior it was
 * trained under and the observed statistics x_o. Draws outside the prior's
 * support are rejected (as sbi does), and the acceptance is reported: a low
 * one means the estimator leaks mass outside the support. `logDensity` is
 * q's, not renormalised for that leakage. `toPosterior` gives the ABC-style
 * Posterior (equal weights) that summaries, plots and posterior predictive
 * checks take.
 */
export class NeuralPosterior {
  private flow: MaskedAutoregressiveFlow | null = null;

  constructor(
    readonly parameterNames: readonly string[],
    readonly prior: JointPrior,
    readonly observed: Float64Array,
    readonly estimator: TrainedFlow,
    readonly rounds: readonly NpeRound[],
    readonly simulations: number,
    readonly config: Record<string, unknown>,
  ) {
    const { dimension, contextDimension } = estimator.architecture;
    if (parameterNames.length !== dimension)
      throw new InferenceError(`estimator.architecture.dimension: ${dimension} does not match ${parameterNames.length} parameters`);
    if (observed.length !== contextDimension) throw new InferenceError(`observed: expected ${contextDimension} statistics, got ${observed.length}`);
  }

  private async model(): Promise<MaskedAutoregressiveFlow> {
    await initLearnBackend();
    this.flow ??= new MaskedAutoregressiveFlow(this.estimator.architecture, this.estimator.weights);
    return this.flow;
  }

  private context(x: ArrayLike<number> | undefined): Float32Array {
    const v = x ?? this.observed;
    const C = this.estimator.architecture.contextDimension;
    if (v.length !== C) throw new InferenceError(`x: expected ${C} statistics, got ${v.length}`);
    const s = this.estimator.standardisation;
    return standardise(v, 1, s.xMean, s.xSd);
  }

  /** n draws from q(θ | x) restricted to the prior's support. */
  async sample(n: number, options: SampleOptions = {}): Promise<NeuralSamples> {
    if (!Number.isSafeInteger(n) || n < 1) throw new InferenceError(`n: expected an integer >= 1, got ${n}`);
    const minAcceptance = options.minAcceptance ?? 1e-3;
    const flow = await this.model();
    const { dimension: D, contextDimension: C } = this.estimator.architecture;
    const { thetaMean, thetaSd } = this.estimator.standardisation;
    const context = this.context(options.x);
    const rng = new Xoshiro128(deriveStreamState(options.seed ?? 0, 0));
    const out = new Float64Array(n * D);
    const row = new Float64Array(D);
    let accepted = 0;
    let drawn = 0;
    while (accepted < n) {
      const rate = drawn > 0 ? Math.max(accepted / drawn, minAcceptance) : 1;
      const m = Math.min(CHUNK, Math.ceil(((n - accepted) / rate) * 1.1) + 16);
      const base = new Float32Array(m * D);
      for (let i = 0; i < base.length; i++) base[i] = rng.nextNormal();
      const tiled = new Float32Array(m * C);
      for (let i = 0; i < m; i++) tiled.set(context, i * C);
      const values = tf.tidy(() => flow.inverse(tf.tensor2d(base, [m, D]), tf.tensor2d(tiled, [m, C])));
      const z = await values.data();
      values.dispose();
      for (let i = 0; i < m && accepted < n; i++) {
        drawn++;
        for (let k = 0; k < D; k++) row[k] = z[i * D + k] * thetaSd[k] + thetaMean[k];
        if (!(this.prior.logDensity(row) > -Infinity)) continue;
        out.set(row, accepted * D);
        accepted++;
      }
      if (drawn >= 1000 && accepted / drawn < minAcceptance) {
        throw new InferenceError(
          `only ${accepted} of ${drawn} posterior draws fell inside the prior's support; the estimator leaks its mass (train on more simulations)`,
          { accepted, drawn },
        );
      }
    }
    return { samples: out, acceptance: accepted / drawn };
  }

  /** log q(θ | x) for rows of θ (count × D); −Infinity outside the prior's support. */
  async logDensity(theta: Float64Array, options: { x?: ArrayLike<number> } = {}): Promise<Float64Array> {
    const flow = await this.model();
    const { dimension: D, contextDimension: C } = this.estimator.architecture;
    const { thetaMean, thetaSd } = this.estimator.standardisation;
    if (theta.length % D !== 0) throw new InferenceError(`theta: expected rows of ${D} values, got ${theta.length} values`);
    const count = theta.length / D;
    const context = this.context(options.x);
    // The z-scoring is affine: log q(θ) = log q_z(z) − Σ log sd_k.
    const logJacobian = thetaSd.reduce((sum, sd) => sum + Math.log(sd), 0);
    const result = new Float64Array(count);
    for (let from = 0; from < count; from += CHUNK) {
      const m = Math.min(CHUNK, count - from);
      const rows = theta.subarray(from * D, (from + m) * D);
      const tiled = new Float32Array(m * C);
      for (let i = 0; i < m; i++) tiled.set(context, i * C);
      const values = tf.tidy(() => flow.logProb(tf.tensor2d(standardise(rows, m, thetaMean, thetaSd), [m, D]), tf.tensor2d(tiled, [m, C])));
      const lp = await values.data();
      values.dispose();
      for (let i = 0; i < m; i++) result[from + i] = this.prior.logDensity(rows.subarray(i * D, (i + 1) * D)) > -Infinity ? lp[i] - logJacobian : -Infinity;
    }
    return result;
  }

  /** n samples at x_o as an equally weighted Posterior, for summaries, plots and posterior predictive checks. */
  async toPosterior(n = 10_000, options: SampleOptions = {}): Promise<Posterior> {
    const { samples, acceptance } = await this.sample(n, options);
    const D = this.parameterNames.length;
    const generation = {
      index: this.rounds.length - 1,
      epsilon: NaN,
      count: n,
      dimension: D,
      particles: samples,
      weights: new Float64Array(n).fill(1 / n),
      distances: new Float64Array(n).fill(NaN),
      features: new Float64Array(0),
      featureCount: 0,
      simulations: this.simulations,
      acceptanceRate: acceptance,
      ess: n,
      distance: { kind: 'none' },
    };
    return new Posterior(
      this.parameterNames,
      [generation],
      { ...this.config, posteriorSamples: n, sampleSeed: options.seed ?? 0 },
      'budgetExhausted',
      this.simulations,
    );
  }

  /** Release the tfjs weights (the JSON estimate stays usable; they are rebuilt on demand). */
  dispose(): void {
    this.flow?.dispose();
    this.flow = null;
  }

  toJSON(): NeuralPosteriorJSON {
    return {
      kind: 'neuralPosterior',
      parameterNames: [...this.parameterNames],
      observed: Array.from(this.observed),
      estimator: this.estimator,
      rounds: this.rounds,
      simulations: this.simulations,
      config: this.config,
    };
  }

  /** Rebuild from JSON; the prior is rebuilt by the caller (from `config.prior` through the prior registry). */
  static fromJSON(json: NeuralPosteriorJSON, prior: JointPrior): NeuralPosterior {
    return new NeuralPosterior(json.parameterNames, prior, Float64Array.from(json.observed), json.estimator, json.rounds, json.simulations, json.config);
  }
}
