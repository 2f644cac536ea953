import { describe, expect, it } from 'vitest';
import { LEARNED_FRACTION, validationReport } from '../../../../engine/learn/nn/priorReference.js';

/**
 * validationReport on hand-made predictions: four validation series, two
 * parameters with targets (0, 1, 0, 1) and (0.2, 0.4, 0.6, 0.8), and the
 * training mean (0.5, 0.5). The prior alone then errs by 0.5 on every
 * series of the first (RMSE 0.5) and by 0.3, 0.1, 0.1, 0.3 on the second
 * (RMSE √0.05 ≈ 0.2236).
 */
const targets = Float32Array.from([0, 0.2, 1, 0.4, 0, 0.6, 1, 0.8]);
const mean = Float64Array.from([0.5, 0.5]);
const parameters = ['a', 'b'];

describe('validationReport', () => {
  it('measures the network and the prior alone per parameter and overall', () => {
    const predictions = Float32Array.from([0.1, 0.2, 0.9, 0.4, 0.1, 0.6, 0.9, 0.8]);
    const report = validationReport(parameters, predictions, targets, mean);
    expect(report.rmse[0]).toBeCloseTo(0.1, 6);
    expect(report.rmse[1]).toBeCloseTo(0, 6);
    expect(report.priorRmse[0]).toBeCloseTo(0.5, 6);
    expect(report.priorRmse[1]).toBeCloseTo(Math.sqrt(0.05), 6);
    expect(report.overallRmse).toBeCloseTo(Math.sqrt(0.01 / 2), 6);
    expect(report.overallPriorRmse).toBeCloseTo(Math.sqrt((0.25 + 0.05) / 2), 6);
    expect(report.warning).toBeNull();
  });

  it('warns, naming the parameters, when some are no better than the prior alone', () => {
    // b predicted by its mean plus noise: errors 0.4, 0.1, 0.2, 0.1, RMSE √0.055 ≈ 0.235, worse than the constant.
    const predictions = Float32Array.from([0.1, 0.6, 0.9, 0.3, 0.1, 0.4, 0.9, 0.7]);
    const report = validationReport(parameters, predictions, targets, mean);
    expect(report.rmse[1]).toBeGreaterThan(LEARNED_FRACTION * report.priorRmse[1]);
    expect(report.warning).toMatch(/^no better than the prior alone for b \(validation RMSE b 0\.235 vs 0\.224\)/);
    expect(report.warning).not.toMatch(/\ba\b.*vs/);
  });

  it('warns that the whole network is useless when it does not beat the prior overall', () => {
    const report = validationReport(parameters, Float32Array.from([1, 0.8, 0, 0.2, 1, 0.4, 0, 0.6]), targets, mean);
    expect(report.overallRmse).toBeGreaterThan(report.overallPriorRmse);
    expect(report.warning).toMatch(/^the network is no better than the prior alone \(validation RMSE \d\.\d{3} vs 0\.387\)/);
  });

  it('counts a network within 2% of the prior alone as not learned', () => {
    const good = validationReport(['a'], Float32Array.from([0.005, 0.995, 0.005, 0.995]), Float32Array.from([0, 1, 0, 1]), Float64Array.from([0.5]));
    expect(good.rmse[0] / good.priorRmse[0]).toBeCloseTo(0.01, 5);
    expect(good.warning).toBeNull();
    // Predictions 0.505 / 0.495 on targets 0 / 1 err by 0.505: 1.01 times the prior alone's 0.5.
    const close = validationReport(['a'], Float32Array.from([0.505, 0.495, 0.505, 0.495]), Float32Array.from([0, 1, 0, 1]), Float64Array.from([0.5]));
    expect(close.rmse[0] / close.priorRmse[0]).toBeCloseTo(1.01, 5);
    expect(close.warning).toMatch(/no better than the prior alone/);
  });
});
