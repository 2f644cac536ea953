/**
 * Priors: the normal-distribution functions against published values,
 * goodness of fit of every sampler (Kolmogorov-Smirnov), densities that
 * integrate to one and agree with the CDF, moments, the joint prior and the
 * registry's error messages.
 *
 * Seeds are fixed. KS thresholds are the alpha = 0.001 critical value
 * 1.949/√n; moment checks use |Z| < 4 (two-sided 6e-5), so a correct sampler
 * fails one of these checks by chance well under 1% of the times a seed changes.
 */
import { describe, expect, it } from 'vitest';
import {
  createIndependentPrior,
  createPrior,
  erfc,
  IndependentPrior,
  LogNormalPrior,
  LogUniformPrior,
  normalCdf,
  normalLogCdf,
  NormalPrior,
  normalQuantile,
  PriorSpecError,
  TruncatedNormalPrior,
  UniformPrior,
  Xoshiro128,
  type Prior,
} from '../../../engine/sample';

const N = 20_000;
const KS_CRITICAL = 1.949 / Math.sqrt(N);

function ksStatistic(sample: Float64Array, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(sample).sort();
  let d = 0;
  for (let i = 0; i < sorted.length; i++) {
    const f = cdf(sorted[i]);
    d = Math.max(d, f - i / sorted.length, (i + 1) / sorted.length - f);
  }
  return d;
}

/** Composite Simpson's rule on [a, b] with n (even) panels. */
function simpson(f: (x: number) => number, a: number, b: number, n = 20_000): number {
  const h = (b - a) / n;
  let s = f(a) + f(b);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}

const CASES: Array<[string, Prior]> = [
  ['uniform [2, 5]', new UniformPrior(2, 5)],
  ['log-uniform [0.01, 100]', new LogUniformPrior(0.01, 100)],
  ['normal (3, 0.5²)', new NormalPrior(3, 0.5)],
  ['log-normal (0, 0.7²)', new LogNormalPrior(0, 0.7)],
  ['truncated normal, wide [-1, 4] (plain rejection)', new TruncatedNormalPrior(1, 1, -1, 4)],
  ['truncated normal, lower bound only [1.5, ∞)', new TruncatedNormalPrior(1, 1, 1.5)],
  ['truncated normal, narrow around the mean [0.8, 1.3]', new TruncatedNormalPrior(1, 1, 0.8, 1.3)],
  ['truncated normal, upper tail [3, ∞) (exponential proposal)', new TruncatedNormalPrior(0, 1, 3)],
  ['truncated normal, short upper-tail interval [2, 2.2] (uniform proposal)', new TruncatedNormalPrior(0, 1, 2, 2.2)],
  ['truncated normal, far lower tail [-9, -7] (mirrored)', new TruncatedNormalPrior(0, 1, -9, -7)],
];

describe('normal distribution functions', () => {
  it('erfc matches published values to 1e-15 relative', () => {
    // Values from Abramowitz & Stegun table 7.1 extended with 30-digit values (Wolfram Alpha).
    /* eslint-disable no-loss-of-precision -- reference values quoted with all their published digits */
    const table: Array<[number, number]> = [
      [0.3, 0.671373240540872583],
      [1, 0.157299207050285130658779364917],
      [2, 0.004677734981047265837930743633],
      [5, 1.5374597944280348501883434853e-12],
      [10, 2.0884875837625447570007862949e-45],
      [-1, 1.842700792949714869341220635083],
    ];
    /* eslint-enable no-loss-of-precision */
    for (const [x, v] of table) expect(Math.abs(erfc(x) - v) / v).toBeLessThan(1e-15);
  });

  it('Φ⁻¹ inverts Φ from 1e-300 to 1 - 1e-16', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 13);
    expect(normalQuantile(0.5)).toBe(0);
    for (const p of [1e-300, 1e-20, 1e-5, 0.01, 0.2, 0.7, 0.999]) {
      // Relative error of Φ(Φ⁻¹(p)) grows with |z| (condition number z·φ(z)/Φ(z)): 1e-12 is ample.
      expect(Math.abs(normalCdf(normalQuantile(p)) - p) / p).toBeLessThan(1e-12);
    }
  });

  it('log Φ stays finite and exact in the far lower tail', () => {
    expect(normalLogCdf(-5.5)).toBeCloseTo(Math.log(normalCdf(-5.5)), 12);
    expect(normalLogCdf(-37)).toBeCloseTo(Math.log(normalCdf(-37)), 10);
    expect(normalCdf(-39)).toBe(0);
    expect(Number.isFinite(normalLogCdf(-39))).toBe(true);
    // Mills ratio asymptotics: log Φ(-x) ≈ -x²/2 - log(x√(2π)) - 1/x² for large x.
    const x = 60;
    expect(normalLogCdf(-x)).toBeCloseTo(-0.5 * x * x - Math.log(x * Math.sqrt(2 * Math.PI)) - 1 / (x * x), 6);
  });
});

describe.each(CASES)('%s', (_label, prior) => {
  const rng = new Xoshiro128([11, 22, 33, 44]);
  const sample = Float64Array.from({ length: N }, () => prior.sample(rng));

  it('samples fit the CDF (Kolmogorov-Smirnov, alpha = 0.001)', () => {
    expect(ksStatistic(sample, (x) => prior.cdf(x))).toBeLessThan(KS_CRITICAL);
  });

  it('every draw lies in the support', () => {
    for (const x of sample) {
      expect(x).toBeGreaterThanOrEqual(prior.bounds[0]);
      expect(x).toBeLessThanOrEqual(prior.bounds[1]);
    }
  });

  it('sample mean and variance agree with mean() and variance() (|Z| < 4)', () => {
    let m = 0;
    for (const x of sample) m += x;
    m /= N;
    let v = 0;
    for (const x of sample) v += (x - m) ** 2;
    v /= N - 1;
    expect(Math.abs(m - prior.mean()) / Math.sqrt(prior.variance() / N)).toBeLessThan(4);
    // Var of the sample variance ≈ 2σ⁴/n for light tails; the log-normal needs its kurtosis, so 15% there.
    const tolerance = prior.kind === 'logNormal' || prior.kind === 'logUniform' ? 0.15 : 4 * Math.sqrt(2 / N);
    expect(Math.abs(v / prior.variance() - 1)).toBeLessThan(tolerance);
  });

  it('the density integrates to one and its integral is the CDF', () => {
    const q = (p: number) => prior.quantile(p);
    const lo = q(1e-12);
    const hi = q(1 - 1e-12);
    // Densities on (0, ∞) spanning decades are integrated over log x (density · x d log x).
    const logScale = prior.kind === 'logUniform' || prior.kind === 'logNormal';
    const density = logScale ? (u: number) => Math.exp(prior.logDensity(Math.exp(u)) + u) : (x: number) => Math.exp(prior.logDensity(x));
    const t = logScale ? Math.log : (x: number) => x;
    // Simpson error is far below 1e-6 for these smooth densities on 20,000 panels; 1e-12 tails are cut.
    expect(simpson(density, t(lo), t(hi))).toBeCloseTo(1, 6);
    const mid = q(0.3);
    expect(simpson(density, t(lo), t(mid))).toBeCloseTo(0.3, 6);
    if (Number.isFinite(prior.bounds[0])) expect(prior.logDensity(prior.bounds[0] - 1e-9)).toBe(-Infinity);
    if (Number.isFinite(prior.bounds[1])) expect(prior.logDensity(prior.bounds[1] + 1e-9)).toBe(-Infinity);
  });

  it('quantile inverts the CDF', () => {
    for (const p of [0.001, 0.1, 0.5, 0.9, 0.999]) expect(prior.cdf(prior.quantile(p))).toBeCloseTo(p, 10);
  });

  it('toJSON rebuilds an identical prior through the registry', () => {
    const rebuilt = createPrior(JSON.parse(JSON.stringify(prior.toJSON())));
    expect(rebuilt.toJSON()).toEqual(prior.toJSON());
    const a = new Xoshiro128([1, 2, 3, 4]);
    const b = new Xoshiro128([1, 2, 3, 4]);
    for (let i = 0; i < 100; i++) expect(rebuilt.sample(a)).toBe(prior.sample(b));
  });
});

describe('IndependentPrior', () => {
  const prior = new IndependentPrior({ k1: new UniformPrior(0, 2), k2: new LogNormalPrior(0, 1), k3: new NormalPrior(-1, 2) });

  it('samples each component from the same stream, in name order, into the given buffer', () => {
    const out = new Float64Array(3);
    const rng = new Xoshiro128([5, 6, 7, 8]);
    expect(prior.sample(rng, out)).toBe(out);
    const replay = new Xoshiro128([5, 6, 7, 8]);
    expect(Array.from(out)).toEqual([prior.components[0].sample(replay), prior.components[1].sample(replay), prior.components[2].sample(replay)]);
  });

  it('log density is the sum of the components and -Infinity outside the support', () => {
    const x = [1, 2, 0];
    expect(prior.logDensity(x)).toBeCloseTo(-Math.log(2) + prior.components[1].logDensity(2) + prior.components[2].logDensity(0), 12);
    expect(prior.logDensity([3, 1, 0])).toBe(-Infinity);
    expect(prior.logDensity([1, -1, 0])).toBe(-Infinity);
  });

  it('round-trips through JSON in both accepted shapes', () => {
    const json = JSON.parse(JSON.stringify(prior.toJSON()));
    expect(json.kind).toBe('independent');
    expect(createIndependentPrior(json).toJSON()).toEqual(prior.toJSON());
    expect(createIndependentPrior(json.parameters).names).toEqual(['k1', 'k2', 'k3']);
  });

  it('rejects duplicate names', () => {
    expect(
      () =>
        new IndependentPrior([
          ['a', new UniformPrior(0, 1)],
          ['a', new UniformPrior(0, 1)],
        ]),
    ).toThrow(/two priors/);
  });
});

describe('prior registry validation', () => {
  function messageOf(spec: unknown): string {
    try {
      createIndependentPrior(spec);
    } catch (error) {
      expect(error).toBeInstanceOf(PriorSpecError);
      return (error as Error).message;
    }
    throw new Error('expected a PriorSpecError');
  }

  it('names the parameter and field, and lists every problem', () => {
    const message = messageOf({
      alphaA: { kind: 'uniform', lower: 0, upper: 0 },
      betaA: { kind: 'normal', mean: 1 },
      gammaA: { kind: 'logUniform', lower: 0, upper: 2 },
      deltaA: { kind: 'gamma', shape: 2 },
      thetaA: { kind: 'uniform', lower: 0, upper: 1, scale: 2 },
      thetaR: [5, 1],
    });
    expect(message.split('\n')).toEqual([
      'priors.alphaA.upper: expected a number > lower (0)',
      'priors.betaA.sd: required: expected a number',
      'priors.gammaA.lower: expected a number > 0 (lower must be positive)',
      'priors.deltaA.kind: unknown prior "gamma"; expected one of uniform, logUniform, normal, logNormal, truncatedNormal',
      'priors.thetaA: unknown field "scale" for a uniform prior',
      'priors.thetaR[1]: expected a number > lower (5)',
    ]);
  });

  it('rejects non-numbers and empty maps', () => {
    expect(messageOf({ a: { kind: 'uniform', lower: '0', upper: 1 } })).toBe('priors.a.lower: expected a finite number');
    expect(messageOf({})).toBe('priors: expected at least one parameter');
    expect(messageOf([1, 2])).toBe('priors: expected an object mapping parameter names to priors');
  });

  it('accepts [lower, upper] as a uniform prior', () => {
    expect(createPrior([0.5, 2]).toJSON()).toEqual({ kind: 'uniform', lower: 0.5, upper: 2 });
  });

  it('truncated normal: infinite ends are omitted from JSON and optional in specs', () => {
    const p = createPrior({ kind: 'truncatedNormal', mean: 0, sd: 1, lower: 0 });
    expect(p.bounds).toEqual([0, Infinity]);
    expect(p.toJSON()).toEqual({ kind: 'truncatedNormal', mean: 0, sd: 1, lower: 0 });
    expect(() => createPrior({ kind: 'truncatedNormal', mean: 0, sd: 1, lower: 2, upper: 1 })).toThrow('prior.upper: expected a number > lower (2)');
  });
});
