/**
 * Neural posterior estimation against posteriors known exactly.
 *
 * 1. Gaussian linear: θ ~ N(0, I₂), x | θ ~ N(θ, 0.5² I₂), observed
 *    x_o = (1, −0.5). The posterior is N(x_o·s, s·0.25 I) with
 *    s = 1/(1 + 0.25) = 0.8: mean (0.8, −0.4), sd √0.2 = 0.447. With 1,500
 *    simulations and a small flow, the estimator's own error dominates: the
 *    means are checked to 0.1 (0.22 posterior sd) and the sds to 15%; the
 *    Monte Carlo error of 4,000 samples (sd/√4000 = 0.007) is negligible.
 * 2. A narrow posterior in a wide bounded prior: θ ~ U(−2, 2),
 *    x | θ ~ N(θ, 0.05²), x_o = 0.6; the exact posterior (on a grid) is
 *    N(0.6, 0.05²) to within 1e-30 truncation. SNPE (two rounds of 300)
 *    must reach a KL divergence from the exact posterior below 0.01 (q
 *    unnormalised: mass leaked elsewhere in the prior counts against it).
 *    Measured on WASM (seeded, deterministic on a backend): SNPE 0.0057 with
 *    the combined loss, 0.0132 with the atomic loss alone; NPE with the same
 *    600 simulations 0.0030. Here SNPE does not beat NPE: with direct linear
 *    connections the flow already fits this Gaussian from prior draws.
 *    TSNPE (the default for rounds > 1: the prior truncated to round 0's
 *    highest-density region, maximum likelihood on all pairs) is held to the
 *    same KL bound, and on case 1 to the same moment tolerances.
 */
import { describe, expect, it } from 'vitest';
import { InferenceError } from '../../../../engine/infer';
import { NeuralPosterior, npe, type NpeOptions } from '../../../../engine/infer/npe';
import { IndependentPrior, NormalPrior, UniformPrior } from '../../../../engine/sample';
import { FunctionExecutor, PLACEHOLDER_SIMULATION } from '../fixtures';

const smallFlow = { transforms: 2, hidden: 24 } as const;
const quickTraining = { batchSize: 100, learningRate: 3e-3, patience: 10, maxEpochs: 80 } as const;

const gaussian: NpeOptions = {
  prior: new IndependentPrior({ a: new NormalPrior(0, 1), b: new NormalPrior(0, 1) }),
  simulation: PLACEHOLDER_SIMULATION,
  summaries: { kind: 'identity' },
  observed: Float64Array.of(1, -0.5),
  executor: new FunctionExecutor((p, rng) => [p[0] + 0.5 * rng.nextNormal(), p[1] + 0.5 * rng.nextNormal()], 500),
  flow: smallFlow,
  training: quickTraining,
};

const narrow = (budget: number, rounds: number, sequential: NpeOptions['sequential'] = 'truncated'): NpeOptions => ({
  prior: new IndependentPrior({ theta: new UniformPrior(-2, 2) }),
  simulation: PLACEHOLDER_SIMULATION,
  summaries: { kind: 'identity' },
  observed: Float64Array.of(0.6),
  executor: new FunctionExecutor((p, rng) => [p[0] + 0.05 * rng.nextNormal()], 500),
  simulations: budget,
  rounds,
  sequential,
  seed: 17,
  flow: smallFlow,
  training: quickTraining,
});

/** KL(exact ‖ q) on a grid over the exact posterior's mass (±8 sd). */
async function klFromExact(posterior: NeuralPosterior): Promise<number> {
  const points = 801;
  const grid = Float64Array.from({ length: points }, (_, i) => 0.2 + (0.8 * i) / (points - 1));
  const h = grid[1] - grid[0];
  const logQ = await posterior.logDensity(grid);
  let kl = 0;
  for (let i = 0; i < points; i++) {
    const logP = -0.5 * ((grid[i] - 0.6) / 0.05) ** 2 - Math.log(0.05 * Math.sqrt(2 * Math.PI));
    kl += Math.exp(logP) * (logP - logQ[i]) * h;
  }
  return kl;
}

/**
 * The closed-form Gaussian case's posterior, N((0.8, −0.4), 0.2 I), from 4,000 draws: means within 0.1
 * (0.22 posterior sd), sds within 15%, and the 1,500 simulations it was given.
 */
async function expectExactGaussian(posterior: NeuralPosterior): Promise<void> {
  const samples = await posterior.toPosterior(4000, { seed: 1 });
  const mean = samples.mean();
  const sd = samples.sd();
  expect(Math.abs(mean[0] - 0.8)).toBeLessThan(0.1);
  expect(Math.abs(mean[1] + 0.4)).toBeLessThan(0.1);
  for (const s of sd) expect(Math.abs(s / Math.sqrt(0.2) - 1)).toBeLessThan(0.15);
  expect(posterior.simulations).toBe(1500);
}

describe('npe', () => {
  it('recovers the closed-form Gaussian posterior', async () => {
    const posterior = await npe({ ...gaussian, simulations: 1500, seed: 3 });
    await expectExactGaussian(posterior);
    expect(posterior.rounds[0].trainLoss.length).toBeGreaterThan(posterior.rounds[0].bestEpoch - 1);
    posterior.dispose();
  }, 120_000);

  it('gives the same estimator whatever the executor batching, and survives JSON', async () => {
    const settings = { ...gaussian, simulations: 200, seed: 9, training: { ...quickTraining, maxEpochs: 3 } };
    const a = await npe({ ...settings, executor: new FunctionExecutor((p, rng) => [p[0] + 0.5 * rng.nextNormal(), p[1] + 0.5 * rng.nextNormal()], 7) });
    const b = await npe({
      ...settings,
      executor: new FunctionExecutor((p, rng) => [p[0] + 0.5 * rng.nextNormal(), p[1] + 0.5 * rng.nextNormal()], 64),
      batchSize: 50,
    });
    expect(b.estimator.weights).toEqual(a.estimator.weights);
    const json = JSON.parse(JSON.stringify(a.toJSON()));
    const rebuilt = NeuralPosterior.fromJSON(json, gaussian.prior);
    const theta = Float64Array.of(0.5, 0.1, -1, 2);
    expect(Array.from(await rebuilt.logDensity(theta))).toEqual(Array.from(await a.logDensity(theta)));
    expect(Array.from((await rebuilt.sample(5, { seed: 4 })).samples)).toEqual(Array.from((await a.sample(5, { seed: 4 })).samples));
    a.dispose();
    b.dispose();
    rebuilt.dispose();
  }, 60_000);

  it('rejects draws outside a bounded prior and reports the acceptance', async () => {
    const posterior = await npe({ ...narrow(200, 1), training: { ...quickTraining, maxEpochs: 2 } });
    const { samples, acceptance } = await posterior.sample(2000, { seed: 2 });
    expect(samples.every((v) => v >= -2 && v <= 2)).toBe(true);
    expect(acceptance).toBeGreaterThan(0);
    expect(acceptance).toBeLessThanOrEqual(1);
    const outside = await posterior.logDensity(Float64Array.of(2.5, 0));
    expect(outside[0]).toBe(-Infinity);
    expect(outside[1]).toBeGreaterThan(-Infinity);
    posterior.dispose();
  }, 60_000);

  it('SNPE with atomic proposals comes close to the exact posterior (and NPE at the same budget is measured next to it)', async () => {
    const single = await npe(narrow(600, 1));
    const sequential = await npe(narrow(600, 2, 'atomic'));
    const klNpe = await klFromExact(single);
    const klSnpe = await klFromExact(sequential);
    expect(sequential.simulations).toBe(600);
    expect(sequential.rounds).toHaveLength(2);
    expect(klSnpe).toBeLessThan(0.01);
    expect(klNpe).toBeLessThan(0.01);
    single.dispose();
    sequential.dispose();
  }, 180_000);

  it('TSNPE (truncated prior, maximum likelihood on all rounds) comes close to the exact posterior, its region holding it', async () => {
    const truncated = await npe(narrow(600, 2));
    expect(truncated.simulations).toBe(600);
    expect(truncated.config.sequential).toBe('truncated');
    expect(truncated.rounds[0].truncatedPriorMass).toBeUndefined();
    // The exact region at quantile 1e-4 is 0.6 ± 3.89 × 0.05, prior mass 0.389 / 4 = 0.097; round 0's estimate from 300
    // simulations places it roughly: a factor of two either way is accepted, and it must not be the whole prior.
    const mass = truncated.rounds[1].truncatedPriorMass!;
    expect(mass).toBeGreaterThan(0.05);
    expect(mass).toBeLessThan(0.2);
    expect(truncated.rounds[1].proposalAcceptance).toBe(mass);
    // Same bound as the atomic test: KL < 0.01 nats (NPE with 600 prior draws reaches 0.003 here).
    expect(await klFromExact(truncated)).toBeLessThan(0.01);
    truncated.dispose();
  }, 180_000);

  it('TSNPE recovers the closed-form Gaussian posterior in an unbounded prior', async () => {
    const posterior = await npe({ ...gaussian, simulations: 1500, rounds: 3, seed: 3 });
    await expectExactGaussian(posterior);
    // Under N(0, I) the exact posterior's region at 1e-4 (radius √(0.4 · ln 1e4) = 1.92 around (0.8, −0.4)) has
    // prior mass 0.727 (Monte Carlo, 200,000 draws); the estimates' regions must come near it (±0.15).
    for (const round of posterior.rounds.slice(1)) expect(Math.abs(round.truncatedPriorMass! - 0.727)).toBeLessThan(0.15);
    posterior.dispose();
  }, 180_000);

  it('names the field of a bad setting', async () => {
    await expect(npe({ ...gaussian, rounds: 0 })).rejects.toThrow(/rounds: expected an integer >= 1/);
    await expect(npe({ ...gaussian, rounds: 2, sequential: 'apt' as never })).rejects.toThrow(/sequential: expected "truncated" or "atomic", got "apt"/);
    await expect(npe({ ...gaussian, rounds: 2, truncation: { quantile: -1 } })).rejects.toThrow(/truncation.quantile/);
    await expect(npe({ ...gaussian, simulations: 5 })).rejects.toThrow(InferenceError);
    await expect(npe({ ...gaussian, simulations: 100, flow: { transforms: 0 } })).rejects.toThrow(/flow.transforms/);
    await expect(npe({ ...gaussian, simulations: 100, training: { learningRate: -1 } })).rejects.toThrow(/learningRate/);
  });
});
