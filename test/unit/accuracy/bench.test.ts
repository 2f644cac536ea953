/**
 * The accuracy bench's parts: the KDE resampler (test/bench/accuracy/kdeResample.ts),
 * the sbibm data reader, the runner's arguments and table, and one whole
 * REJ-ABC run through the engine's study path.
 *
 * KDE tolerances: draws of a KDE of particles p_i with bandwidth h have mean
 * mean(p) and variance var(p) + h² (in the unconstrained space); with 20,000
 * draws the mean's SE is sd/141, so 5 SE is below 0.04 sd. The cross-validated
 * bandwidth of 400 standard normal points lies in the grid's range [0.1, 0.5]·sd,
 * and for such a sample Silverman's rule gives 0.42·sd (1.06·n^(−1/5)); CV
 * picks a value of that order, checked as within [0.2, 0.5]·sd.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../../../engine/sample/random/Xoshiro128';
import { rejectionAbc } from '../../bench/accuracy/algorithms';
import { crossValidatedBandwidth, kdeResample, supportTransform } from '../../bench/accuracy/kdeResample';
import { publishedC2st } from '../../bench/accuracy/published';
import { formatTable, parseArguments, summarise, type AccuracyRecord } from '../../bench/accuracy/run';
import { parseNumericCsv, readObservation, readReferenceSamples, SBIBM_DIR } from '../../bench/accuracy/sbibmData';
import { accuracyTask } from '../../bench/accuracy/tasks/index';

describe('kdeResample', () => {
  it('draws with the particles mean and their variance plus h²', () => {
    const rng = Xoshiro128.fromSeed(3);
    const particles = Float64Array.from({ length: 200 }, () => 2 + rng.nextNormal());
    const mean = particles.reduce((a, b) => a + b, 0) / 200;
    const variance = particles.reduce((a, b) => a + (b - mean) ** 2, 0) / 200;
    const { samples, bandwidth } = kdeResample(
      particles,
      undefined,
      [supportTransform({ kind: 'normal', mean: 0, sd: 1 })],
      20_000,
      Xoshiro128.fromSeed(4),
      0.3,
    );
    expect(bandwidth).toBe(0.3);
    const m = samples.reduce((a, b) => a + b, 0) / samples.length;
    const v = samples.reduce((a, b) => a + (b - m) ** 2, 0) / (samples.length - 1);
    const sd = Math.sqrt(variance + 0.09);
    expect(Math.abs(m - mean)).toBeLessThan((5 * sd) / Math.sqrt(20_000));
    expect(Math.abs(v - (variance + 0.09))).toBeLessThan(5 * sd * sd * Math.sqrt(2 / 20_000));
  });

  it('keeps draws inside a bounded or positive support and follows the weights', () => {
    const particles = Float64Array.of(-0.99, 0.5, 0.99, 0.2, 0.01, 3);
    const transforms = [supportTransform({ kind: 'uniform', lower: -1, upper: 1 }), supportTransform({ kind: 'logNormal', mu: 0, sigma: 1 })];
    const { samples } = kdeResample(particles, [1, 0, 0], transforms, 5000, Xoshiro128.fromSeed(5));
    for (let r = 0; r < 5000; r++) {
      expect(samples[2 * r]).toBeGreaterThan(-1);
      expect(samples[2 * r]).toBeLessThan(1);
      expect(samples[2 * r + 1]).toBeGreaterThan(0);
    }
    // Weight 1 on the first particle only: every draw sits around (−0.99, 0.2), left of 0.
    expect(samples.filter((_, i) => i % 2 === 0).every((x) => x < 0)).toBe(true);
  });

  it('chooses a cross-validated bandwidth of the order of the Silverman rule', () => {
    const rng = Xoshiro128.fromSeed(6);
    const z = Float64Array.from({ length: 400 }, () => rng.nextNormal());
    const h = crossValidatedBandwidth(z, 1, Xoshiro128.fromSeed(7));
    expect(h).toBeGreaterThan(0.2);
    expect(h).toBeLessThan(0.5);
  });

  it('names bad input', () => {
    const t = [supportTransform({ kind: 'normal', mean: 0, sd: 1 })];
    expect(() => kdeResample(Float64Array.of(1, 2), [1], t, 5, Xoshiro128.fromSeed(1))).toThrow(/weights: expected 2 weights, got 1/);
    expect(() => kdeResample(Float64Array.of(1, 2), [0, 0], t, 5, Xoshiro128.fromSeed(1), 0.1)).toThrow(/weights: the weights sum to zero/);
    expect(() => kdeResample(Float64Array.of(1, 2), undefined, t, 5, Xoshiro128.fromSeed(1), -1)).toThrow(/bandwidth: expected a number > 0/);
  });
});

describe('sbibm data', () => {
  it('parses sbibm CSV and names the cell that is not a number', () => {
    expect(parseNumericCsv('a,b\n1,2\n3,4\n', 'f.csv')).toEqual({ columns: ['a', 'b'], rows: 2, values: Float64Array.of(1, 2, 3, 4) });
    expect(() => parseNumericCsv('a,b\n1,x\n', 'f.csv')).toThrow(/f.csv: line 2, column 2 \(b\): expected a finite number, got "x"/);
    expect(() => parseNumericCsv('a,b\n1\n', 'f.csv')).toThrow(/line 2: expected 2 values, got 1/);
  });

  it.runIf(existsSync(SBIBM_DIR))('reads an observation and 10,000 reference samples (bzip2)', () => {
    expect(readObservation('sir', 1)).toEqual(Float64Array.of(0, 1, 352, 40, 3, 0, 0, 0, 0, 0));
    const reference = readReferenceSamples('two_moons', 1);
    expect(reference.rows).toBe(10_000);
    expect(reference.columns).toEqual(['parameter_1', 'parameter_2']);
    expect(() => readObservation('sir', 11)).toThrow(/observation: expected an integer in 1..10, got 11/);
  });

  it.runIf(existsSync(SBIBM_DIR))('runs REJ-ABC through the study path on gaussian_linear and lands near the exact posterior mean x_o/2', async () => {
    const task = accuracyTask('gaussian_linear');
    const observed = readObservation(task.name, 1);
    const result = await rejectionAbc.run({ task, observation: 1, observed, budget: 2000, seed: 11 });
    expect(result.simulations).toBe(2000);
    expect(result.particles.length).toBe(100 * 10);
    // The 100 nearest of 2,000 prior draws in 10-D are still wide (ABC at this budget is close to the prior,
    // sd ≤ √0.1 = 0.32); the mean of 100 is within 0.1 of the exact mean x_o/2 on average over coordinates.
    let error = 0;
    for (let k = 0; k < 10; k++) {
      let m = 0;
      for (let r = 0; r < 100; r++) m += result.particles[r * 10 + k] / 100;
      error += Math.abs(m - observed[k] / 2) / 10;
    }
    expect(error).toBeLessThan(0.1);
  });
});

describe('the runner', () => {
  const record = (observation: number, c2st: number, epochs = [40]): AccuracyRecord => ({
    task: 'two_moons',
    algorithm: 'smc-abc',
    budget: 10_000,
    observation,
    c2st,
    c2stFolds: [c2st],
    c2stEpochs: epochs,
    c2stCappedFolds: epochs.filter((e) => e >= 50).length,
    simulations: 10_000,
    particles: 100,
    runSeconds: 1,
    c2stSeconds: 1,
  });

  it('averages over observations and shows sbibm next to it', () => {
    const algorithms = [
      { id: 'smc-abc', label: 'SMC-ABC', compareWith: 'SMC-ABC' as const, run: async () => ({ particles: new Float64Array(), simulations: 0 }) },
    ];
    const rows = summarise([record(1, 0.7), record(2, 0.8, [50])], algorithms);
    expect(rows).toHaveLength(1);
    expect(rows[0].meanC2st).toBeCloseTo(0.75, 12);
    expect(rows[0].published).toBe(0.707);
    expect(rows[0].capped).toBe(1);
    const table = formatTable(rows, algorithms);
    expect(table).toContain('| two_moons | SMC-ABC | 10,000 | 0.750* ± 0.071 (n = 2) | 0.707 | 0.043 |');
    expect(table).toContain('lower bound');
  });

  it('reads its options, with --quick for CI', () => {
    const quick = parseArguments(['--quick']);
    expect(quick.observations).toEqual([1, 2]);
    expect(quick.c2stEvaluateFolds).toBe(1);
    expect(quick.algorithms.map((a) => a.id)).toEqual(['rej-abc', 'smc-abc']);
    const full = parseArguments(['--tasks', 'sir,slcp', '--observations', '1-3,7', '--algorithms', 'smc-abc-1000']);
    expect(full.tasks.map((t) => t.name)).toEqual(['sir', 'slcp']);
    expect(full.observations).toEqual([1, 2, 3, 7]);
    expect(full.c2stEvaluateFolds).toBe(5);
    expect(() => parseArguments(['--tasks', 'moons'])).toThrow(/task: unknown task "moons"/);
    expect(() => parseArguments(['--algorithms', 'npe'])).toThrow(/--algorithms: unknown algorithm "npe"/);
    expect(() => parseArguments(['--fast'])).toThrow(/unknown option --fast/);
    expect(() => parseArguments(['--samples', 'many'])).toThrow(/--samples: expected an integer >= 1, got "many"/);
    expect(publishedC2st('sir', 'NPE', 10_000)).toBe(0.68);
  });
});
