import { describe, expect, it } from 'vitest';
import { InProcessExecutor } from '../../../../engine/compute/InProcessExecutor.js';
import { learnSummaryStatistics } from '../../../../engine/learn/nn/learnStatistics.js';
import { simulateTrainingSet } from '../../../../engine/learn/nn/trainingSet.js';
import { toggleSwitch } from '../../../../engine/model/examples/smallNetworks.js';
import { createIndependentPrior } from '../../../../engine/sample/priors/registry.js';

/**
 * Issue 16, item 4: the DNN on toggle-switch series lost to the prior alone
 * (validation RMSE 0.309 against 0.293 on 2,000 series: it memorised the
 * noise of single trajectories). With its default regularisation (dropout
 * 0.3, L2 1e-3) and the output starting at the prior mean it must beat the
 * prior alone clearly, here on a small, fast case.
 *
 * Setting: the toggle-switch study's prior (uniform on [0.5θ, 2θ] around
 * alpha1 = alpha2 = 1, beta = gamma = 2, mu = 1), SSA on t = 0..50 by 0.5,
 * species U and V, 800 series (160 held out), the DNN's defaults, at most 15
 * epochs: a few seconds of CPU.
 *
 * Margins: three dry runs (training seed 2020, 1, 2; the network seeded
 * alike) gave overall validation RMSE / prior-alone RMSE of 0.80, 0.82 and
 * 0.85, so the bound is 0.9. Per parameter alpha1, alpha2 and mu were learned
 * (ratios 0.67–0.75, 0.68–0.77, 0.55–0.59; bound 0.85), while beta and
 * gamma, the Hill exponents, stayed within 2% of the prior alone in every
 * run (0.99–1.02): a single short trajectory of a few molecules says little
 * about them, which is what the warning must then say.
 */
const prior = createIndependentPrior({ alpha1: [0.5, 2], alpha2: [0.5, 2], beta: [1, 4], gamma: [1, 4], mu: [0.5, 2] }, 'priors');
const TIME = Array.from({ length: 101 }, (_, i) => i / 2);
const SEED = 2020;

describe('the toggle-switch DNN', () => {
  it('beats the prior-alone RMSE clearly, and its warning names only the parameters it did not learn', async () => {
    const set = await simulateTrainingSet({
      model: toggleSwitch,
      method: 'ssa',
      time: TIME,
      prior,
      species: ['U', 'V'],
      n: 800,
      seed: SEED,
      executor: new InProcessExecutor(),
    });
    const learned = await learnSummaryStatistics(set, {
      architecture: { architecture: 'dnn' },
      epochs: 15,
      batchSize: 64,
      learningRate: 1e-3,
      patience: 10,
      plateauPatience: 5,
      seed: SEED,
    });
    const v = learned.validation!;
    expect(v.overallRmse / v.overallPriorRmse, 'overall validation RMSE / prior alone').toBeLessThan(0.9);
    for (const name of ['alpha1', 'alpha2', 'mu']) {
      const k = v.parameters.indexOf(name);
      expect(v.rmse[k] / v.priorRmse[k], `validation RMSE / prior alone of ${name}`).toBeLessThan(0.85);
      expect(v.warning ?? '').not.toContain(name);
    }
    expect(v.warning ?? '').not.toMatch(/^the network is no better/);
  }, 120_000);
});
