import type { TrajectoryEnsemble } from '../../simulate/types.js';
import { FeatureShapeError, PartSpecError } from '../errors.js';
import { pearsonCorrelation } from '../features/pearsonCorrelation.js';
import type { PartSpec, SummaryStatistics } from '../types.js';
import { featureSetNames, type FeatureSetName } from './featureSets.js';
import { parseSeriesFeature, PAIR_CORRELATION, type SeriesFeature } from './seriesFeatureGrammar.js';
import { seriesFeatureEvaluator, type SeriesFeatureEvaluator } from './seriesFeatureEvaluator.js';
import { noNeeds, SeriesWorkspace } from './SeriesWorkspace.js';
import { selectSpecies } from './selectSpecies.js';

/** Options of TimeSeriesFeatures; every one has a default. */
export interface TimeSeriesFeaturesOptions {
  /** Named set, used when `features` is absent. Default 'efficient'. */
  readonly set?: FeatureSetName;
  /** Species to describe, in this order; all, in model order, by default. */
  readonly species?: readonly string[];
  /** Custom per-series feature names (replaces the set), plus `correlation` for the pairwise correlations. */
  readonly features?: readonly string[];
  /** Autocorrelation lags of the set (replaces its default). */
  readonly lags?: readonly number[];
  /** Quantiles of the set (replaces its default). */
  readonly quantiles?: readonly number[];
  /** How runs of an ensemble are combined: the mean over the runs where a feature is defined. */
  readonly ensemble?: 'mean';
}

/** The JSON form of TimeSeriesFeatures, defaults filled in. */
export interface TimeSeriesFeaturesSpec extends PartSpec, TimeSeriesFeaturesOptions {
  readonly kind: 'time-series-features';
  readonly set: FeatureSetName;
  readonly ensemble: 'mean';
}

/** Everything that depends on the ensemble's shape, built on first use and reused while the shape stays. */
interface Layout {
  speciesIds: readonly string[];
  nTime: number;
  species: Int32Array;
  workspace: SeriesWorkspace;
  evaluators: SeriesFeatureEvaluator[];
  dimension: number;
  speciesMeans: Float64Array;
  sums: Float64Array;
  counts: Float64Array;
}

/**
 * Time-series features in the spirit of tsfresh (Christ et al. 2018,
 * Neurocomputing 307:72, doi:10.1016/j.neucom.2018.03.067), per species and
 * trajectory, then averaged over the runs of the ensemble as Sciope's
 * `SummariesTSFRESH` does. Names are `<species>:<feature>` in species-major
 * order, followed by the pairwise correlations `<A>|<B>:correlation`.
 *
 * Ensemble rule: a feature's value is the mean over the runs where it is
 * defined (not NaN), and NaN only when it is undefined in every run (numpy's
 * np.mean, which Sciope uses, would make one constant run poison the mean).
 *
 * Performance: one pass over the ensemble's Float64Array; all buffers are
 * owned by the object and allocated when the first ensemble of a shape
 * arrives, so steady-state compute() allocates nothing.
 */
export class TimeSeriesFeatures implements SummaryStatistics {
  readonly kind = 'time-series-features';
  readonly spec: TimeSeriesFeaturesSpec;
  private readonly seriesFeatures: SeriesFeature[];
  private readonly correlation: boolean;
  private layout: Layout | undefined;

  constructor(spec: TimeSeriesFeaturesOptions = {}) {
    this.spec = { ...spec, kind: 'time-series-features', set: spec.set ?? 'efficient', ensemble: 'mean' };
    const names = this.spec.features ?? featureSetNames(this.spec.set, { lags: this.spec.lags, quantiles: this.spec.quantiles });
    this.correlation = names.includes(PAIR_CORRELATION);
    this.seriesFeatures = [];
    const issues: Array<{ path: string; message: string }> = [];
    const where = (i: number) => (this.spec.features ? `statistics.features[${i}]` : `statistics (set ${this.spec.set})`);
    for (const [i, name] of names.entries()) {
      if (names.indexOf(name) !== i) issues.push({ path: where(i), message: `duplicate feature "${name}"` });
      if (name === PAIR_CORRELATION || names.indexOf(name) !== i) continue;
      const parsed = parseSeriesFeature(name);
      if ('problem' in parsed) issues.push({ path: where(i), message: parsed.problem });
      else this.seriesFeatures.push(parsed.feature);
    }
    if (issues.length > 0) throw new PartSpecError(issues);
  }

  /** Per-series feature names in output order (without species prefix). */
  get seriesFeatureNames(): string[] {
    return this.seriesFeatures.map((f) => f.name);
  }

  featureNames(speciesIds: readonly string[], _time?: Float64Array): string[] {
    const species = Array.from(selectSpecies(speciesIds, this.spec.species), (s) => speciesIds[s]);
    const names: string[] = [];
    for (const id of species) for (const f of this.seriesFeatures) names.push(`${id}:${f.name}`);
    if (this.correlation) {
      for (let i = 0; i < species.length; i++) for (let j = i + 1; j < species.length; j++) names.push(`${species[i]}|${species[j]}:${PAIR_CORRELATION}`);
    }
    return names;
  }

  private layoutFor(ensemble: TrajectoryEnsemble): Layout {
    const cached = this.layout;
    if (cached && cached.speciesIds === ensemble.speciesIds && cached.nTime === ensemble.time.length) return cached;
    const species = selectSpecies(ensemble.speciesIds, this.spec.species);
    const needs = noNeeds();
    const evaluators = this.seriesFeatures.map((f) => seriesFeatureEvaluator(f, needs));
    const pairs = this.correlation ? (species.length * (species.length - 1)) / 2 : 0;
    const dimension = species.length * evaluators.length + pairs;
    this.layout = {
      speciesIds: ensemble.speciesIds,
      nTime: ensemble.time.length,
      species,
      workspace: new SeriesWorkspace(ensemble.time.length, needs),
      evaluators,
      dimension,
      speciesMeans: new Float64Array(species.length),
      sums: new Float64Array(dimension),
      counts: new Float64Array(dimension),
    };
    return this.layout;
  }

  compute(ensemble: TrajectoryEnsemble, out: Float64Array): void {
    const layout = this.layoutFor(ensemble);
    const { species, workspace, evaluators, speciesMeans, sums, counts, dimension } = layout;
    if (out.length !== dimension) throw new FeatureShapeError('time-series features out', dimension, out.length);
    const nTime = layout.nTime;
    const nSpecies = ensemble.speciesIds.length;
    const data = ensemble.data;
    const perSeries = evaluators.length;
    sums.fill(0);
    counts.fill(0);
    for (let run = 0; run < ensemble.runs; run++) {
      let k = 0;
      for (let s = 0; s < species.length; s++) {
        workspace.load(data, (run * nSpecies + species[s]) * nTime);
        speciesMeans[s] = workspace.mean;
        for (let f = 0; f < perSeries; f++, k++) {
          const v = evaluators[f](workspace);
          if (v === v) {
            sums[k] += v;
            counts[k]++;
          }
        }
      }
      if (!this.correlation) continue;
      for (let a = 0; a < species.length; a++) {
        const offsetA = (run * nSpecies + species[a]) * nTime;
        for (let b = a + 1; b < species.length; b++, k++) {
          const offsetB = (run * nSpecies + species[b]) * nTime;
          const v = pearsonCorrelation(data, offsetA, speciesMeans[a], data, offsetB, speciesMeans[b], nTime);
          if (v === v) {
            sums[k] += v;
            counts[k]++;
          }
        }
      }
    }
    for (let k = 0; k < dimension; k++) out[k] = counts[k] > 0 ? sums[k] / counts[k] : NaN;
  }

  toJSON(): TimeSeriesFeaturesSpec {
    return { ...this.spec };
  }
}
