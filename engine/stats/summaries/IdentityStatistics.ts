import type { TrajectoryEnsemble } from '../../simulate/types.js';
import { FeatureShapeError } from '../errors.js';
import type { PartSpec, SummaryStatistics } from '../types.js';
import { selectSpecies } from './selectSpecies.js';

export interface IdentityStatisticsSpec extends PartSpec {
  readonly kind: 'identity';
  readonly species?: readonly string[];
}

/**
 * The raw series as features (Sciope's `Identity`): species-major, each
 * species' values at every output time, named `<species>:value_t<time>`;
 * with several runs, the mean trajectory. A series of a single time point
 * is a pre-computed summary (a black-box simulator returning its own
 * summaries delivers each as a one-point "species"): it passes through
 * under the bare species name.
 */
export class IdentityStatistics implements SummaryStatistics {
  readonly kind = 'identity';
  private readonly species: readonly string[] | undefined;
  private cache: { speciesIds: readonly string[]; rows: Int32Array } | undefined;

  constructor(options: { species?: readonly string[] } = {}) {
    this.species = options.species;
  }

  featureNames(speciesIds: readonly string[], time: Float64Array): string[] {
    const names: string[] = [];
    for (const s of selectSpecies(speciesIds, this.species)) {
      if (time.length === 1) names.push(speciesIds[s]);
      else for (const t of time) names.push(`${speciesIds[s]}:value_t${t}`);
    }
    return names;
  }

  compute(ensemble: TrajectoryEnsemble, out: Float64Array): void {
    if (this.cache?.speciesIds !== ensemble.speciesIds) {
      this.cache = { speciesIds: ensemble.speciesIds, rows: selectSpecies(ensemble.speciesIds, this.species) };
    }
    const rows = this.cache.rows;
    const nTime = ensemble.time.length;
    const nSpecies = ensemble.speciesIds.length;
    if (out.length !== rows.length * nTime) throw new FeatureShapeError('identity statistics out', rows.length * nTime, out.length);
    out.fill(0);
    const { data, runs } = ensemble;
    for (let run = 0; run < runs; run++) {
      for (let k = 0; k < rows.length; k++) {
        const from = (run * nSpecies + rows[k]) * nTime;
        const to = k * nTime;
        for (let g = 0; g < nTime; g++) out[to + g] += data[from + g];
      }
    }
    if (runs > 1) for (let i = 0; i < out.length; i++) out[i] /= runs;
  }

  toJSON(): IdentityStatisticsSpec {
    return this.species ? { kind: 'identity', species: [...this.species] } : { kind: 'identity' };
  }
}
