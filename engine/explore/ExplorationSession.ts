import type { Executor, SimulationJob, Trial } from '../compute/executor.js';
import { inThreadCompute, type ComputeRunner } from '../compute/thread/ComputeRunner.js';
import { toDenseMatrix } from '../learn/reduce/featureMatrix.js';
import type { Reduction } from '../learn/reduce/reduceDimension.js';
import type { PropagationResult } from '../learn/semiSupervised/propagateLabels.js';
import type { ReactionNetworkInput } from '../model/schema.js';
import { createSummaryStatistics } from '../stats/index.js';
import type { ProposalStrategy } from './activeLearning.js';
import { boxInUnit, designPoints, regionPoints, type BatchOrigin, type Region } from './batchPoints.js';
import { ExplorationError } from './errors.js';
import { ParameterSpace } from './parameterSpace.js';
import { sessionTimes, type SessionConfig } from './sessionSpec.js';
import type { BatchSummary, EmbeddingResult, PropagationSummary, ProposalResult, SessionSnapshot } from './types.js';

/** One simulated batch: points (unit cube and values), features, and a few trajectories for display. */
export interface ExplorationBatch {
  readonly index: number;
  readonly origin: BatchOrigin;
  /** Session-wide index of the batch's first point. */
  readonly first: number;
  readonly count: number;
  readonly unit: Float64Array;
  readonly parameters: Float64Array;
  /** count × featureCount, row-major. */
  readonly features: Float64Array;
  /** The first `trajectoryCount` points' trajectories (runsPerTrial × species × time each), or null. */
  readonly trajectories: Float64Array | null;
  readonly trajectoryCount: number;
  /** Row id in the project store, once saved. */
  storedId?: number;
}

/** What a batch is made of: the session's design, a region, proposals or explicit parameter values. */
export type BatchSource =
  | 'design'
  | Region
  | { readonly kind: 'parameters'; readonly parameters: ReadonlyArray<ArrayLike<number>>; readonly origin?: BatchOrigin };

export interface RunBatchOptions {
  readonly source?: BatchSource;
  /** Points (default the session's batch size; a full factorial design fixes its own). */
  readonly n?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (completed: number, total: number) => void;
}

/** Hook called after each change that should be persisted (see persistence.ts). */
export interface SessionObserver {
  batchAdded(session: ExplorationSession, batch: ExplorationBatch): void;
  labelsChanged(session: ExplorationSession): void;
}

/**
 * Human-in-the-loop exploration of a stochastic model's parameter space
 * (Wrede & Hellander 2019, "Smart computational exploration of stochastic
 * gene regulatory network models using human-in-the-loop semi-supervised
 * learning", Bioinformatics 35(24):5199, doi:10.1093/bioinformatics/btz420):
 * simulate batches of parameter points, summarise each by its features,
 * show them in 2-D (PCA / UMAP / t-SNE over all batches), let the user
 * label a few points, spread the labels over the rest (label spreading),
 * and propose the next batch where the labels are least certain (or inside
 * a class's region) by active learning on a parameters → labels classifier.
 *
 * Results of the public methods are plain arrays and numbers (JSON-friendly)
 * for the EngineApi; batches keep typed arrays internally. Embeddings, label
 * spreading and proposals run on `compute`: in-thread by default, on a
 * compute thread where an event loop must stay free (the EngineService sets it).
 */
export class ExplorationSession {
  readonly space: ParameterSpace;
  readonly job: SimulationJob;
  readonly featureNames: string[];
  readonly batches: ExplorationBatch[] = [];
  readonly classNames: string[];
  private readonly labels = new Map<number, number>();
  private propagation: PropagationResult | undefined;
  /** Bumped whenever points or labels change: a propagation computed for an older state is not kept. */
  private state = 0;
  private designDrawn = 0;
  private proposalRound = 0;
  /** The last embedding per method: the next one starts from it, so the layout stays put as batches are added. */
  private readonly lastEmbedding = new Map<Reduction['method'], Float64Array>();
  observer: SessionObserver | undefined;
  /** Where embeddings, label spreading and proposals run (see engine/compute/thread). */
  compute: ComputeRunner = inThreadCompute;

  constructor(
    readonly config: SessionConfig,
    /** The model as JSON (for a black-box simulator: its interface, blackBoxModel). */
    readonly model: ReactionNetworkInput,
  ) {
    this.space = new ParameterSpace(config.parameterNames, config.priors);
    const parameterIds = (model.parameters ?? []).map((p) => p.id);
    for (const name of config.parameterNames) {
      if (!parameterIds.includes(name))
        throw new ExplorationError(`parameters.${name}`, `the model "${model.name}" has no parameter "${name}"; its parameters are ${parameterIds.join(', ')}`);
    }
    const time = sessionTimes(config, model);
    this.job = {
      model,
      method: config.method,
      time,
      parameterIds: config.parameterNames,
      runsPerTrial: config.runsPerTrial,
      statistics: config.statistics,
      returnTrajectories: config.keepTrajectories > 0,
      seed: config.seed,
      ...(config.simulator ? { simulator: config.simulator } : {}),
    };
    const speciesIds = config.simulator ? config.simulator.species : (model.species ?? []).map((s) => s.id);
    this.featureNames = createSummaryStatistics(config.statistics).featureNames(speciesIds, Float64Array.from(time));
    this.classNames = [...config.classes];
    this.setLabels(config.labels, { silent: true, allowFuture: true });
  }

  get pointCount(): number {
    return this.batches.reduce((s, b) => s + b.count, 0);
  }

  get featureCount(): number {
    return this.featureNames.length;
  }

  /** Unit-cube coordinates of every point, row-major. */
  unitPoints(): Float64Array {
    const d = this.space.dimension;
    const out = new Float64Array(this.pointCount * d);
    for (const b of this.batches) out.set(b.unit, b.first * d);
    return out;
  }

  featureRows(): Float64Array[] {
    const f = this.featureCount;
    return this.batches.flatMap((b) => Array.from({ length: b.count }, (_, i) => b.features.subarray(i * f, (i + 1) * f)));
  }

  parameterRows(): number[][] {
    const d = this.space.dimension;
    return this.batches.flatMap((b) => Array.from({ length: b.count }, (_, i) => Array.from(b.parameters.subarray(i * d, (i + 1) * d))));
  }

  /** Simulate a batch through `executor`; trial i of batch b draws from the stream (seed, b, i), so any executor gives the same features. */
  async runBatch(executor: Executor, options: RunBatchOptions = {}): Promise<BatchSummary> {
    const index = this.batches.length;
    const source = options.source ?? 'design';
    const n = options.n ?? this.config.batchSize;
    if (!Number.isInteger(n) || n < 1) throw new ExplorationError('n', `expected an integer >= 1, got ${n}`);
    const d = this.space.dimension;
    let unit: Float64Array;
    let origin: BatchOrigin;
    if (source === 'design') {
      unit = designPoints(this.space, this.config.design, n, this.config.seed, index, this.designDrawn);
      origin = { kind: 'design', design: this.config.design.kind };
    } else if (source.kind === 'parameters') {
      const values = new Float64Array(source.parameters.length * d);
      source.parameters.forEach((row, i) => {
        if (row.length !== d) throw new ExplorationError(`parameters[${i}]`, `expected ${d} values (${this.space.names.join(', ')}), got ${row.length}`);
        for (let k = 0; k < d; k++) values[i * d + k] = row[k];
      });
      unit = this.space.toUnit(values);
      origin = source.origin ?? { kind: 'points' };
    } else {
      unit = regionPoints(this.space, source, n, this.config.seed, index, this.unitPoints());
      origin = { kind: 'region', region: source };
    }
    const count = unit.length / d;
    if (count === 0) throw new ExplorationError('parameters', 'expected at least one point');
    const parameters = this.space.toParameters(unit);
    const trials: Trial[] = Array.from({ length: count }, (_, i) => ({ index: i, parameters: parameters.subarray(i * d, (i + 1) * d), stream: [index, i] }));
    const results = await executor.map(this.job, trials, { signal: options.signal, onProgress: options.onProgress });
    const f = this.featureCount;
    const features = new Float64Array(count * f);
    const keep = Math.min(this.config.keepTrajectories, count);
    let trajectories: Float64Array | null = null;
    for (const r of results) {
      if (r.features) features.set(r.features, r.index * f);
      if (keep > 0 && r.index < keep && r.trajectories) {
        trajectories ??= new Float64Array(keep * r.trajectories.length);
        trajectories.set(r.trajectories, r.index * r.trajectories.length);
      }
    }
    if (source === 'design') this.designDrawn += count;
    const batch: ExplorationBatch = {
      index,
      origin,
      first: this.pointCount,
      count,
      unit,
      parameters,
      features,
      trajectories,
      trajectoryCount: trajectories ? keep : 0,
    };
    this.batches.push(batch);
    this.invalidatePropagation();
    this.observer?.batchAdded(this, batch);
    return this.batchSummary(batch);
  }

  /** Add a batch simulated elsewhere (restoring from a project). */
  restoreBatch(batch: Omit<ExplorationBatch, 'index' | 'first'> & { storedId?: number }): ExplorationBatch {
    const restored: ExplorationBatch = { ...batch, index: this.batches.length, first: this.pointCount };
    this.batches.push(restored);
    if (restored.origin.kind === 'design') this.designDrawn += restored.count;
    if (restored.origin.kind === 'proposal') this.proposalRound++;
    this.invalidatePropagation();
    return restored;
  }

  batchSummary(batch: ExplorationBatch): BatchSummary {
    return { index: batch.index, first: batch.first, count: batch.count, origin: batch.origin, storedId: batch.storedId };
  }

  private classIndex(label: number | string, field: string): number {
    if (typeof label === 'number') {
      if (!Number.isInteger(label) || label < 0) throw new ExplorationError(field, `expected a class index >= 0 or a class name, got ${label}`);
      while (this.classNames.length <= label) this.classNames.push(`class ${this.classNames.length}`);
      return label;
    }
    let k = this.classNames.indexOf(label);
    if (k < 0) {
      this.classNames.push(label);
      k = this.classNames.length - 1;
    }
    return k;
  }

  /**
   * Set user labels: point index → class index or name (new names become
   * classes); null removes a label. `allowFuture` accepts indices of points
   * not simulated yet (labels in a session file written for a project).
   */
  setLabels(labels: Readonly<Record<string | number, number | string | null>>, options: { silent?: boolean; allowFuture?: boolean } = {}): void {
    for (const [key, label] of Object.entries(labels)) {
      const index = Number(key);
      if (!Number.isInteger(index) || index < 0 || (!options.allowFuture && index >= this.pointCount)) {
        throw new ExplorationError(`labels.${key}`, `no point ${key}; the session has points 0..${this.pointCount - 1}`);
      }
      if (label === null) this.labels.delete(index);
      else this.labels.set(index, this.classIndex(label, `labels.${key}`));
    }
    this.invalidatePropagation();
    if (!options.silent) this.observer?.labelsChanged(this);
  }

  clearLabels(): void {
    this.labels.clear();
    this.invalidatePropagation();
    this.observer?.labelsChanged(this);
  }

  /** User labels as {point: class}. */
  labelRecord(): Record<number, number> {
    return Object.fromEntries([...this.labels].sort((a, b) => a[0] - b[0]));
  }

  /** Labels of the simulated points: class index, or -1 unlabelled. */
  labelArray(): Int32Array {
    const out = new Int32Array(this.pointCount).fill(-1);
    for (const [i, c] of this.labels) if (i < out.length) out[i] = c;
    return out;
  }

  private invalidatePropagation(): void {
    this.propagation = undefined;
    this.state++;
  }

  private async propagated(signal?: AbortSignal): Promise<PropagationResult> {
    if (this.propagation) return this.propagation;
    if (this.pointCount === 0) throw new ExplorationError('batches', 'no points yet: run a batch first');
    const labels = this.labelArray();
    if (!labels.some((l) => l >= 0)) throw new ExplorationError('labels', 'no labelled point yet: label a few points first');
    const state = this.state;
    const features = toDenseMatrix(this.featureRows());
    const options = {
      algorithm: this.config.propagation.algorithm,
      alpha: this.config.propagation.alpha,
      gamma: this.config.propagation.gamma,
      neighbours: this.config.propagation.neighbours,
    };
    const result = await this.compute.run(
      'propagateLabels',
      { features, labels, options },
      { signal, transfer: [features.data.buffer as ArrayBuffer, labels.buffer as ArrayBuffer] },
    );
    if (state === this.state) this.propagation = result;
    return result;
  }

  /** Spread the user's labels over every point (label spreading on the standardised features). */
  async propagate(options: { signal?: AbortSignal } = {}): Promise<PropagationSummary> {
    const p = await this.propagated(options.signal);
    const C = p.classes;
    const names = Array.from({ length: C }, (_, c) => this.classNames[c] ?? `class ${c}`);
    return {
      classes: names,
      soft: Array.from({ length: this.pointCount }, (_, i) => Array.from(p.distributions.subarray(i * C, (i + 1) * C))),
      hard: Array.from(p.hard),
      entropy: Array.from(p.entropy),
      margin: Array.from(p.margin),
      gamma: p.gamma,
      notes: p.notes,
    };
  }

  /** 2-D embedding of every point's features (recomputed over all batches, starting from the last layout of the same method). */
  async embed(
    options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void; method?: Reduction['method'] } = {},
  ): Promise<EmbeddingResult> {
    if (this.pointCount === 0) throw new ExplorationError('batches', 'no points yet: run a batch first');
    const r = this.config.reduction;
    const method = options.method ?? r.method;
    const previous = this.lastEmbedding.get(method);
    const features = toDenseMatrix(this.featureRows());
    const reduceOptions = {
      method,
      previous: previous && previous.length <= this.pointCount * 2 ? previous : undefined,
      seed: this.config.seed,
      featureNames: this.featureNames,
      nNeighbors: r.nNeighbors,
      minDist: r.minDist,
      iterations: r.iterations,
      perplexity: r.perplexity,
    };
    const onProgress = options.onProgress;
    const reduction = await this.compute.run(
      'reduceDimension',
      { features, options: reduceOptions },
      {
        signal: options.signal,
        onProgress: onProgress && (({ done, total }) => onProgress(done, total)),
        transfer: [features.data.buffer as ArrayBuffer],
      },
    );
    const n = this.pointCount;
    this.lastEmbedding.set(reduction.method, reduction.embedding);
    return {
      method: reduction.method,
      x: Array.from({ length: n }, (_, i) => reduction.embedding[2 * i]),
      y: Array.from({ length: n }, (_, i) => reduction.embedding[2 * i + 1]),
      explainedVariance: reduction.explainedVariance,
      notes: reduction.notes,
    };
  }

  /**
   * Propose the next batch by active learning: a kNN soft-vote classifier
   * from unit-cube parameters to the propagated labels (user labels are
   * kept as given) scores a large candidate set (on `compute`); see activeLearning.ts.
   */
  async propose(
    options: {
      n?: number;
      strategy?: ProposalStrategy;
      class?: number | string;
      candidates?: number;
      region?: { lower: Record<string, number>; upper: Record<string, number> };
      signal?: AbortSignal;
    } = {},
  ): Promise<ProposalResult> {
    const p = await this.propagated(options.signal);
    const C = p.classes;
    const soft = Float64Array.from(p.distributions);
    for (const [i, c] of this.labels) {
      if (i >= this.pointCount) continue;
      soft.fill(0, i * C, (i + 1) * C);
      soft[i * C + c] = 1;
    }
    const active = this.config.activeLearning;
    const strategy = options.strategy ?? active.strategy;
    const chosenClass = options.class ?? active.class;
    const classIndex = chosenClass === undefined ? undefined : typeof chosenClass === 'number' ? chosenClass : this.classNames.indexOf(chosenClass);
    if (strategy === 'class' && (classIndex === undefined || classIndex < 0))
      throw new ExplorationError('class', `unknown class ${JSON.stringify(chosenClass)}; classes: ${this.classNames.join(', ')}`);
    const box = options.region ? boxInUnit(this.space, options.region) : undefined;
    const n = options.n ?? active.batchSize ?? this.config.batchSize;
    const proposalOptions = {
      n,
      strategy,
      classIndex,
      candidates: options.candidates ?? active.candidates,
      lower: box?.[0],
      upper: box?.[1],
      seed: this.config.seed,
      round: this.proposalRound++,
    };
    const points = this.unitPoints();
    const proposal = await this.compute.run(
      'proposePoints',
      { points, distributions: soft, dimension: this.space.dimension, classes: C, options: proposalOptions },
      {
        signal: options.signal,
        transfer: [points.buffer as ArrayBuffer, soft.buffer as ArrayBuffer],
      },
    );
    const d = this.space.dimension;
    const values = this.space.toParameters(proposal.unit);
    return {
      strategy,
      parameterNames: [...this.space.names],
      parameters: Array.from({ length: n }, (_, i) => Array.from(values.subarray(i * d, (i + 1) * d))),
      scores: Array.from(proposal.scores),
      predicted: Array.from({ length: n }, (_, i) => Array.from(proposal.predicted.subarray(i * C, (i + 1) * C))),
    };
  }

  /** Run a proposal as the next batch. */
  runProposal(executor: Executor, proposal: ProposalResult, options: Omit<RunBatchOptions, 'source' | 'n'> = {}): Promise<BatchSummary> {
    return this.runBatch(executor, {
      ...options,
      source: { kind: 'parameters', parameters: proposal.parameters, origin: { kind: 'proposal', strategy: proposal.strategy } },
    });
  }

  /** Everything the app shows, as JSON (without the embedding, which is computed on demand). */
  snapshot(): SessionSnapshot {
    return {
      name: this.config.name,
      parameterNames: [...this.space.names],
      bounds: this.space.bounds(),
      featureNames: [...this.featureNames],
      classNames: [...this.classNames],
      batches: this.batches.map((b) => this.batchSummary(b)),
      parameters: this.parameterRows(),
      features: this.featureRows().map((r) => Array.from(r)),
      labels: this.labelRecord(),
    };
  }
}
