import type { TrajectoryEnsemble } from '../../simulate/types.js';
import { FeatureShapeError } from '../errors.js';
import type { PartSpec, SummaryStatistics } from '../types.js';
import { selectSpecies } from './selectSpecies.js';

export type EnsembleMoment = 'mean' | 'variance';

export interface EnsembleMomentsSpec extends PartSpec {
  readonly kind: 'ensemble-moments';
  readonly moments: readonly EnsembleMoment[];
  readonly species?: readonly string[];
}

/**
 * Moments across the runs of an ensemble at every output time (Sciope's
 * `TemporalMean` / `TemporalVariance` taken over an ensemble): for each
 * species, the mean over runs at each time, then the population variance
 * over runs (ddof = 0, so one run gives 0), named
 * `<species>:ensemble_mean_t<time>` and `<species>:ensemble_variance_t<time>`.
 *
 * Method: Welford's one-pass update per (species, time) entry (Welford 1962,
 * doi:10.1080/00401706.1962.10490022), run by run over the ensemble's data.
 */
export class EnsembleMoments implements SummaryStatistics {
  readonly kind = 'ensemble-moments';
  private readonly moments: readonly EnsembleMoment[];
  private readonly species: readonly string[] | undefined;
  private cache: { speciesIds: readonly string[]; nTime: number; rows: Int32Array; mean: Float64Array; m2: Float64Array } | undefined;

  constructor(options: { moments?: readonly EnsembleMoment[]; species?: readonly string[] } = {}) {
    this.moments = options.moments ?? ['mean', 'variance'];
    this.species = options.species;
  }

  featureNames(speciesIds: readonly string[], time: Float64Array): string[] {
    const names: string[] = [];
    for (const s of selectSpecies(speciesIds, this.species)) {
      for (const moment of this.moments) for (const t of time) names.push(`${speciesIds[s]}:ensemble_${moment}_t${t}`);
    }
    return names;
  }

  compute(ensemble: TrajectoryEnsemble, out: Float64Array): void {
    const nTime = ensemble.time.length;
    if (this.cache?.speciesIds !== ensemble.speciesIds || this.cache.nTime !== nTime) {
      const rows = selectSpecies(ensemble.speciesIds, this.species);
      this.cache = { speciesIds: ensemble.speciesIds, nTime, rows, mean: new Float64Array(rows.length * nTime), m2: new Float64Array(rows.length * nTime) };
    }
    const { rows, mean, m2 } = this.cache;
    const expected = rows.length * this.moments.length * nTime;
    if (out.length !== expected) throw new FeatureShapeError('ensemble moments out', expected, out.length);
    mean.fill(0);
    m2.fill(0);
    const nSpecies = ensemble.speciesIds.length;
    for (let run = 0; run < ensemble.runs; run++) {
      for (let k = 0; k < rows.length; k++) {
        const from = (run * nSpecies + rows[k]) * nTime;
        for (let g = 0, i = k * nTime; g < nTime; g++, i++) {
          const v = ensemble.data[from + g];
          const d = v - mean[i];
          mean[i] += d / (run + 1);
          m2[i] += d * (v - mean[i]);
        }
      }
    }
    let o = 0;
    for (let k = 0; k < rows.length; k++) {
      for (const moment of this.moments) {
        for (let g = 0, i = k * nTime; g < nTime; g++, i++) out[o++] = moment === 'mean' ? mean[i] : m2[i] / ensemble.runs;
      }
    }
  }

  toJSON(): EnsembleMomentsSpec {
    const spec: EnsembleMomentsSpec = { kind: 'ensemble-moments', moments: [...this.moments] };
    return this.species ? { ...spec, species: [...this.species] } : spec;
  }
}
