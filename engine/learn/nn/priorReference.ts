/**
 * How a trained network compares with the prior alone on the validation
 * series. The prior-alone reference predicts every series by one constant,
 * the training targets' mean (the prior mean in [0, 1] units; for a uniform
 * prior its RMSE is about 1/√12 ≈ 0.289): a network is useful as a summary
 * statistic only where it does better than that, since a constant carries no
 * information about the series (Fearnhead & Prangle 2012,
 * doi:10.1111/j.1467-9868.2011.01010.x: the statistic is the regression's
 * estimate of the posterior mean).
 */
export interface ValidationReport {
  readonly parameters: readonly string[];
  /** The network's RMSE per parameter on the validation series, [0, 1]-scaled units. */
  readonly rmse: readonly number[];
  /** The prior-alone reference's RMSE per parameter on the same series. */
  readonly priorRmse: readonly number[];
  /** Over all parameters (the root of the mean of the squared errors): the figures the CLI and the app show. */
  readonly overallRmse: number;
  readonly overallPriorRmse: number;
  /** Set when the network does not beat the prior alone, overall or for some parameters; else null. */
  readonly warning: string | null;
}

/**
 * Below this fraction of the prior-alone RMSE a parameter counts as learned:
 * a network within 2% of the constant has learned nothing that ABC can use
 * (its outputs vary with the series' noise rather than with the parameter).
 */
export const LEARNED_FRACTION = 0.98;

/**
 * Compare predictions with targets ([n, d] row-major, the validation tail)
 * and with the training targets' mean.
 */
export function validationReport(
  parameters: readonly string[],
  predictions: Float32Array,
  targets: Float32Array,
  trainingMean: Float64Array,
): ValidationReport {
  const d = parameters.length;
  const n = targets.length / d;
  const squared = new Float64Array(d);
  const priorSquared = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) {
      const y = targets[i * d + k];
      squared[k] += (predictions[i * d + k] - y) ** 2;
      priorSquared[k] += (trainingMean[k] - y) ** 2;
    }
  }
  const rmse = Array.from(squared, (s) => Math.sqrt(s / n));
  const priorRmse = Array.from(priorSquared, (s) => Math.sqrt(s / n));
  const overallRmse = Math.sqrt(squared.reduce((a, b) => a + b, 0) / (n * d));
  const overallPriorRmse = Math.sqrt(priorSquared.reduce((a, b) => a + b, 0) / (n * d));
  return { parameters, rmse, priorRmse, overallRmse, overallPriorRmse, warning: warningFor(parameters, rmse, priorRmse, overallRmse, overallPriorRmse) };
}

function warningFor(
  parameters: readonly string[],
  rmse: readonly number[],
  priorRmse: readonly number[],
  overall: number,
  overallPrior: number,
): string | null {
  const f = (v: number) => v.toFixed(3);
  const unlearned = parameters.filter((_, k) => !(rmse[k] < LEARNED_FRACTION * priorRmse[k]));
  if (!(overall < LEARNED_FRACTION * overallPrior)) {
    return `the network is no better than the prior alone (validation RMSE ${f(overall)} vs ${f(overallPrior)}): its statistics would not narrow the posterior; try more training series, several runs per series or another architecture`;
  }
  if (unlearned.length === 0) return null;
  const detail = unlearned.map((p) => `${p} ${f(rmse[parameters.indexOf(p)])} vs ${f(priorRmse[parameters.indexOf(p)])}`).join(', ');
  return `no better than the prior alone for ${unlearned.join(', ')} (validation RMSE ${detail}): ABC with this network will not narrow ${unlearned.length === 1 ? 'it' : 'them'}`;
}
