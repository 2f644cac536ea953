import type { BlackBoxInput, BlackBoxOutput } from '../../../../engine/simulate/blackbox/ModuleSimulator.js';

/** A prior as the engine's prior registry reads it (engine/sample/priors/registry.ts). */
export type TaskPriorSpec =
  | { kind: 'uniform'; lower: number; upper: number }
  | { kind: 'normal'; mean: number; sd: number }
  | { kind: 'logNormal'; mu: number; sigma: number };

/**
 * One sbibm task (Lueckmann et al. 2021, arXiv:2101.04653) as a black-box
 * JS-module simulator: its parameters with independent priors, and data
 * returned as `dataDimension` one-point "species" data_1..data_D, so the
 * identity statistics pass the data vector through unchanged (sbibm's ABC
 * compares raw data too).
 */
export interface AccuracyTaskDefinition {
  /** sbibm's name (the folder of ../shared/sbibm). */
  readonly name: string;
  readonly parameters: ReadonlyArray<{ readonly id: string; readonly prior: TaskPriorSpec }>;
  readonly dataDimension: number;
}

export type { BlackBoxInput, BlackBoxOutput };

/** data_1 .. data_D: sbibm's column names of observation.csv. */
export const dataNames = (dimension: number): string[] => Array.from({ length: dimension }, (_, i) => `data_${i + 1}`);

/** The black-box answer for a data vector: one species per data column, one time point each. */
export function asOutput(names: readonly string[], data: Float64Array): BlackBoxOutput {
  return { species: names, data };
}
