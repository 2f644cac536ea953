/**
 * Mean and sample standard deviation across an ensemble of trajectories,
 * point by point: `data` holds `runs` blocks of `block` values (species-major
 * trajectories, as simulators write them), and entry j of the result is the
 * mean (sd) of data[r·block + j] over the runs r. Two passes (mean, then
 * squared deviations), so the sd has no cancellation; the sd of one run is 0.
 * For the band drawn around a preview's mean; the `ensemble-moments`
 * summary statistic (EnsembleMoments) is the feature for inference.
 */
export function trajectoryMeanSd(data: Float64Array, runs: number, block: number): { mean: number[]; sd: number[] } {
  const mean = new Array<number>(block).fill(0);
  const sd = new Array<number>(block).fill(0);
  for (let r = 0; r < runs; r++) for (let j = 0; j < block; j++) mean[j] += data[r * block + j] / runs;
  for (let r = 0; r < runs; r++) for (let j = 0; j < block; j++) sd[j] += (data[r * block + j] - mean[j]) ** 2;
  for (let j = 0; j < block; j++) sd[j] = runs > 1 ? Math.sqrt(sd[j] / (runs - 1)) : 0;
  return { mean, sd };
}
