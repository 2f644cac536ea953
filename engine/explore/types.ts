import type { BatchOrigin } from './batchPoints.js';
import type { ProposalStrategy } from './activeLearning.js';

/** JSON shapes returned by ExplorationSession (plain arrays and numbers, for the EngineApi). */
export interface BatchSummary {
  readonly index: number;
  readonly first: number;
  readonly count: number;
  readonly origin: BatchOrigin;
  readonly storedId?: number;
}

export interface PropagationSummary {
  readonly classes: string[];
  /** Per point: probability of each class. */
  readonly soft: number[][];
  readonly hard: number[];
  readonly entropy: number[];
  readonly margin: number[];
  readonly gamma: number;
  readonly notes: string[];
}

export interface EmbeddingResult {
  readonly method: 'pca' | 'umap' | 'tsne';
  readonly x: number[];
  readonly y: number[];
  readonly explainedVariance?: [number, number];
  readonly notes: string[];
}

export interface ProposalResult {
  readonly strategy: ProposalStrategy;
  readonly parameterNames: string[];
  readonly parameters: number[][];
  readonly scores: number[];
  readonly predicted: number[][];
}

export interface SessionSnapshot {
  readonly name: string;
  readonly parameterNames: string[];
  readonly bounds: Array<[number, number]>;
  readonly featureNames: string[];
  readonly classNames: string[];
  readonly batches: BatchSummary[];
  readonly parameters: number[][];
  readonly features: number[][];
  readonly labels: Record<number, number>;
}
