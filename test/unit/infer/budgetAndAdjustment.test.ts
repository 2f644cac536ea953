/**
 * SMC-ABC on a simulation budget: the run spends exactly maxSimulations, the
 * generation that reaches it ends the run with its acceptances (or the
 * nearest trials), identically on every executor and when resumed; and the
 * issue's failing case, a Poisson counting process fitted with the default
 * statistics at a budget of 5,000 simulations, now lands on the exact posterior.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPoolExecutor } from '../../../engine/compute/pool/WorkerPoolExecutor.js';
import { ListEpsilon, parseObservedCsv, parseStudy, runStudy, smcAbc, type Generation, type Posterior } from '../../../engine/infer';
import { IndependentPrior, NormalPrior, UniformPrior } from '../../../engine/sample';
import type { BlackBoxSimulatorSpec } from '../../../engine/simulate/blackbox/spec.js';
import { approveInProcess } from '../trustForTests.js';
import { FunctionExecutor, meanSd, PLACEHOLDER_SIMULATION } from './fixtures';

const twoParameters = {
  prior: new IndependentPrior({ a: new UniformPrior(-3, 3), b: new NormalPrior(0, 1) }),
  simulation: PLACEHOLDER_SIMULATION,
  summaries: { kind: 'identity' },
  observed: Float64Array.of(0.5, -0.2),
};
const noisy = (batchSize = 7) => new FunctionExecutor((p, rng) => [p[0] + 0.3 * rng.nextNormal(), p[1] + 0.3 * rng.nextNormal()], batchSize);

function snapshot(posterior: Posterior) {
  return {
    stopReason: posterior.stopReason,
    simulations: posterior.simulations,
    generations: posterior.generations.map((g) => ({
      epsilon: g.epsilon,
      count: g.count,
      particles: Array.from(g.particles),
      weights: Array.from(g.weights),
      distances: Array.from(g.distances),
      simulations: g.simulations,
    })),
  };
}

describe('a simulation budget is spent exactly', () => {
  it.each([1500, 2345, 4000])('maxSimulations %i: the run uses exactly that many trials and ends with a usable final generation', async (budget) => {
    const posterior = await smcAbc({ ...twoParameters, executor: noisy(50), populationSize: 200, maxSimulations: budget, seed: 4 });
    expect(posterior.stopReason).toBe('maxSimulations');
    expect(posterior.simulations).toBe(budget);
    const last = posterior.last;
    expect(last.count).toBeGreaterThanOrEqual(100); // minFinalPopulation = ⌈200 / 2⌉
    expect(last.distances.every((d) => d <= last.epsilon)).toBe(true);
    expect(last.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
    // The last generation ran every remaining trial and kept every acceptance: all trials are in some generation.
    expect(posterior.generations.reduce((s, g) => s + g.simulations, 0)).toBe(budget);
    expect(last.count).not.toBe(200);
  });

  it('the final generation, of whatever size, is the same whatever the executor batching', async () => {
    const run = (executorBatch: number, batchSize?: number) =>
      smcAbc({ ...twoParameters, executor: noisy(executorBatch), populationSize: 150, maxSimulations: 2000, seed: 21, batchSize });
    const reference = snapshot(await run(1));
    expect(reference.generations.at(-1)!.count).not.toBe(150);
    expect(snapshot(await run(7))).toEqual(reference);
    expect(snapshot(await run(7, 13))).toEqual(reference);
    expect(snapshot(await run(64, 1000))).toEqual(reference);
  });

  it('resuming from any stored generation gives the bit-identical run, the final generation included', async () => {
    const stored: Generation[] = [];
    const options = { ...twoParameters, populationSize: 150, maxSimulations: 2000, seed: 21 };
    const full = await smcAbc({ ...options, executor: noisy(), onGeneration: (g) => void stored.push(g) });
    expect(stored.at(-1)!.count).not.toBe(150);
    for (let k = 1; k <= stored.length; k++) {
      const added: Generation[] = [];
      const resumed = await smcAbc({ ...options, executor: noisy(), resumeFrom: { generations: stored.slice(0, k) }, onGeneration: (g) => void added.push(g) });
      expect(snapshot(resumed)).toEqual(snapshot(full));
      expect(added.map((g) => g.index)).toEqual(stored.slice(k).map((g) => g.index));
    }
  });

  it('with too few acceptances, the final generation is the trials nearest to the observed statistics', async () => {
    // Same seed and budget: the trials of the last generation are the same, only the choice among them differs.
    // Budget 4000: the sixth generation gets the last 790 trials and accepts only 95 at its planned threshold.
    const options = { ...twoParameters, executor: noisy(50), populationSize: 200, maxSimulations: 4000, seed: 4 };
    const accepted = (await smcAbc({ ...options, minFinalPopulation: 2 })).last;
    const nearest = (await smcAbc({ ...options, minFinalPopulation: 200 })).last;
    expect(accepted.count).toBeLessThan(200);
    expect(nearest.count).toBe(200);
    expect(nearest.index).toBe(accepted.index);
    expect(nearest.simulations).toBe(accepted.simulations);
    // The nearest 200 are the accepted ones and then the next nearest: a threshold above the planned one.
    expect(nearest.epsilon).toBeGreaterThan(accepted.epsilon);
    expect(Math.max(...nearest.distances)).toBe(nearest.epsilon);
    const key = (g: Generation, i: number) => `${g.particles[2 * i]},${g.particles[2 * i + 1]}`;
    const nearestSet = new Set(Array.from({ length: nearest.count }, (_, i) => key(nearest, i)));
    for (let i = 0; i < accepted.count; i++) expect(nearestSet.has(key(accepted, i))).toBe(true);
  });

  it('the final generation is weighted correctly: it matches the ABC posterior at its threshold (closed form)', async () => {
    // θ ~ N(0, 2²), s ~ N(θ, 0.2²), observed 1, fixed thresholds 2, 1, 0.5; the budget makes the generation at ε = 1
    // the last: it runs the remaining 4,522 trials and keeps all 1,872 acceptances.
    // The ABC posterior at ε is ∝ N(θ; 0, 4)·[Φ((1 + ε − θ)/0.2) − Φ((1 − ε − θ)/0.2)]: its mean and sd by quadrature.
    const epsilon = 1;
    const posterior = await smcAbc({
      prior: new IndependentPrior({ theta: new NormalPrior(0, 2) }),
      simulation: PLACEHOLDER_SIMULATION,
      summaries: { kind: 'identity' },
      observed: Float64Array.of(1),
      distance: { kind: 'euclidean' },
      executor: new FunctionExecutor((p, rng) => [p[0] + 0.2 * rng.nextNormal()], 500),
      epsilon: new ListEpsilon([2, epsilon, 0.5]),
      populationSize: 1000,
      maxSimulations: 8000,
      seed: 3,
    });
    const last = posterior.last;
    expect(last.epsilon).toBe(epsilon);
    expect(last.count).toBeGreaterThan(1000);
    expect(posterior.simulations).toBe(8000);
    const exact = abcPosteriorMoments(epsilon);
    const { mean, sd } = meanSd(posterior.values(0), last.weights);
    // Monte Carlo error with ESS > 1500: 4·sd/√ESS ≈ 0.062 on the mean (sd = 0.593), 4/√(2·ESS) ≈ 7.3% on the sd.
    // (Seed 3: ESS 1859, mean 0.924 against 0.911, sd 0.603 against 0.593.)
    expect(last.ess).toBeGreaterThan(1500);
    expect(Math.abs(mean - exact.mean)).toBeLessThan(0.062);
    expect(Math.abs(sd / exact.sd - 1)).toBeLessThan(0.073);
  });
});

/** Mean and sd of ∝ N(θ; 0, 4)·P(|θ + 0.2 Z − 1| <= ε) by the midpoint rule on [−8, 8]. */
function abcPosteriorMoments(epsilon: number): { mean: number; sd: number } {
  const phi = (x: number) => 0.5 * erfc(-x / Math.SQRT2);
  let z = 0;
  let m1 = 0;
  let m2 = 0;
  const h = 1e-3;
  for (let t = -8 + h / 2; t < 8; t += h) {
    const w = Math.exp(-(t * t) / 8) * (phi((1 + epsilon - t) / 0.2) - phi((1 - epsilon - t) / 0.2));
    z += w;
    m1 += w * t;
    m2 += w * t * t;
  }
  const mean = m1 / z;
  return { mean, sd: Math.sqrt(m2 / z - mean * mean) };
}

/** Complementary error function (Numerical Recipes' erfcc, relative error < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/**
 * Issue 16's failing case. A Poisson counting process N(t) with rate λ,
 * observed at t = 0, 0.5, ..., 10 with 37 events by t = 10; prior λ ~ U(0, 10).
 * The likelihood of a path is λ^N(10) e^(−10λ), so the exact posterior is
 * Gamma(38, rate 10) (truncation at 10 is negligible): mean 3.8, sd √38/10 = 0.616.
 * Fitted as a new user would: a JS-module black box, the default statistics
 * (49 time-series features) and distance (adaptive), SMC-ABC with a budget of
 * 5,000 simulations and every other setting at its default. Before, the
 * posterior sd was 1.1 to 1.4; with the study defaults (population from
 * the budget, final generation regression-adjusted) it is the exact one.
 * Tolerances: over seeds 1-5 the adjusted sd was 0.57-0.64 and the mean
 * 3.74-3.95 (final ESS about 100-150: Monte Carlo error of the mean about
 * 0.06); we allow 15% on the sd and 0.3 on the mean, and ask the unadjusted
 * sd to be at least 1.4 times the exact one (what the issue saw) so the
 * test shows the difference. Seed 3: generations of 313 particles and a
 * final one of 157, unadjusted mean 4.06 and sd 1.10, adjusted 3.71 and 0.62.
 */
describe('a Poisson counting process with the default statistics at 5,000 simulations (issue 16)', () => {
  const spec: BlackBoxSimulatorSpec = {
    kind: 'module',
    path: fileURLToPath(new URL('./poissonCounting.mjs', import.meta.url)),
    parameters: [{ id: 'rate', value: 1 }],
    species: ['N'],
  };
  const time = Array.from({ length: 21 }, (_, i) => i * 0.5);
  const counts = time.map((t) => (t === 10 ? 37 : Math.floor(3.7 * t)));
  const observed = parseObservedCsv(`time,N\n${time.map((t, i) => `${t},${counts[i]}`).join('\n')}\n`, { source: 'poisson.csv' });
  const study = (algorithm: Record<string, unknown>) =>
    parseStudy(
      { model: { simulator: spec }, observed: 'poisson.csv', priors: { rate: { kind: 'uniform', lower: 0, upper: 10 } }, algorithm, seed: 3 },
      'poisson/study.json',
    );
  const EXACT = { mean: 3.8, sd: Math.sqrt(38) / 10 };
  let pool: WorkerPoolExecutor;
  beforeAll(() => {
    approveInProcess(spec);
    pool = new WorkerPoolExecutor({ workers: 2, batchSize: 50 });
  });
  afterAll(() => pool.close());

  it('lands on the exact posterior with the study defaults', async () => {
    const posterior = await runStudy(study({ kind: 'smcAbc', maxSimulations: 5000 }), {} as never, observed);
    expect(posterior.simulations).toBe(5000);
    expect(posterior.config).toMatchObject({ populationSize: 313, regressionAdjustment: { kind: 'localLinear', lower: [0], upper: [10] } });
    expect(posterior.unadjusted.featureCount).toBe(49);
    const raw = meanSd(Float64Array.from(posterior.unadjusted.particles), posterior.unadjusted.weights);
    const { mean, sd } = meanSd(posterior.values(0), posterior.last.weights);
    expect(raw.sd).toBeGreaterThan(1.4 * EXACT.sd);
    expect(Math.abs(mean - EXACT.mean)).toBeLessThan(0.3);
    expect(Math.abs(sd / EXACT.sd - 1)).toBeLessThan(0.15);
  });

  it('gives the same budget-limited run in-process and on the worker pool', async () => {
    const s = study({ kind: 'smcAbc', maxSimulations: 1200 });
    const inProcess = await runStudy(s, {} as never, observed);
    const pooled = await runStudy(s, {} as never, observed, { executor: pool });
    expect(inProcess.simulations).toBe(1200);
    expect(snapshot(pooled)).toEqual(snapshot(inProcess));
    expect(Array.from(pooled.last.particles)).toEqual(Array.from(inProcess.last.particles));
  });
});
