/**
 * The sbibm task simulators (test/bench/accuracy/tasks) against their
 * definitions (sbibm/tasks/<task>/task.py; Lueckmann et al. 2021).
 *
 * Moments are checked on n draws at fixed parameters with tolerances of
 * about five standard errors (a mean's SE is sd/√n; a variance's about
 * var·√(2/n)), so a correct simulator fails with probability < 1e-5 and the
 * fixed seeds make every run identical. The ODE tasks are checked against
 * the model rather than the solver: SIR conserves S + I + R = N and, along
 * the exact solution, S = S₀·exp(−(β/γ)(R − R₀)/N); Lotka-Volterra conserves
 * V = δx − γ ln x + βy − α ln y. At the bench's tolerance (rtol 1e-6) the SIR
 * invariant holds to 1e-6 of N and V to 1e-5 relative (2.5e-6 measured), and
 * the observed points agree with an rtol 1e-12 solution.
 */
import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../../../engine/sample/random/Xoshiro128';
import { ModuleSimulator } from '../../../engine/simulate/blackbox/ModuleSimulator';
import { loadBlackBoxFunction } from '../../../engine/simulate/blackbox/loadModule';
import { createIntegrator } from '../../../engine/simulate/ode/createIntegrator';
import { binomial } from '../../bench/accuracy/tasks/binomial';
import * as gaussianLinear from '../../bench/accuracy/tasks/gaussianLinear';
import { ACCURACY_TASKS, dataNames } from '../../bench/accuracy/tasks/index';
import * as lotkaVolterra from '../../bench/accuracy/tasks/lotkaVolterra';
import * as sir from '../../bench/accuracy/tasks/sir';
import * as slcp from '../../bench/accuracy/tasks/slcp';
import * as twoMoons from '../../bench/accuracy/tasks/twoMoons';

const time = Float64Array.of(0);
const draw = (simulate: typeof gaussianLinear.simulate, parameters: Record<string, number>, n: number, seed = 1) =>
  Array.from({ length: n }, (_, i) => Float64Array.from(simulate({ parameters, seed: (seed * 1_000_003 + i) >>> 0, time }).data as Float64Array));

function moments(rows: Float64Array[], k: number) {
  const mean = rows.reduce((s, r) => s + r[k], 0) / rows.length;
  const variance = rows.reduce((s, r) => s + (r[k] - mean) ** 2, 0) / (rows.length - 1);
  return { mean, variance };
}

describe('gaussian_linear', () => {
  it('draws x ~ N(θ, 0.1 I)', () => {
    const theta = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`theta_${i + 1}`, (i - 5) / 10]));
    const n = 20_000;
    const rows = draw(gaussianLinear.simulate, theta, n);
    for (let k = 0; k < 10; k++) {
      const { mean, variance } = moments(rows, k);
      expect(Math.abs(mean - (k - 5) / 10)).toBeLessThan(5 * Math.sqrt(0.1 / n));
      expect(Math.abs(variance - 0.1)).toBeLessThan(5 * 0.1 * Math.sqrt(2 / n));
    }
    // Coordinates are independent: the correlation of 1 and 2 is within 5/√n of 0.
    const m0 = moments(rows, 0).mean;
    const m1 = moments(rows, 1).mean;
    const cov = rows.reduce((s, r) => s + (r[0] - m0) * (r[1] - m1), 0) / (n - 1);
    expect(Math.abs(cov / 0.1)).toBeLessThan(5 / Math.sqrt(n));
  });

  it('has sbibm prior N(0, 0.1 I): sd √0.1 per parameter', () => {
    expect(gaussianLinear.task.parameters).toHaveLength(10);
    for (const p of gaussianLinear.task.parameters) expect(p.prior).toEqual({ kind: 'normal', mean: 0, sd: Math.sqrt(0.1) });
  });
});

describe('two_moons', () => {
  it('puts x on a half-ring of radius N(0.1, 0.01²) around the folded, rotated θ', () => {
    const n = 20_000;
    const [t1, t2] = [0.3, -0.6];
    const centre = [twoMoons.OFFSET - Math.abs(t1 + t2) / Math.SQRT2, (t2 - t1) / Math.SQRT2];
    const rows = draw(twoMoons.simulate, { theta_1: t1, theta_2: t2 }, n);
    const radii = rows.map((r) => [Math.hypot(r[0] - centre[0], r[1] - centre[1])]).map((r) => Float64Array.from(r));
    const { mean, variance } = moments(radii, 0);
    expect(Math.abs(mean - 0.1)).toBeLessThan(5 * Math.sqrt(1e-4 / n));
    expect(Math.abs(variance - 1e-4)).toBeLessThan(5 * 1e-4 * Math.sqrt(2 / n));
    // The angle a is uniform on (−π/2, π/2): the ring's right half only, and its sine has mean 0 and variance 1/2.
    const angles = rows.map((r) => Math.atan2(r[1] - centre[1], r[0] - centre[0]));
    expect(angles.every((a) => Math.abs(a) <= Math.PI / 2)).toBe(true);
    const sines = angles.map((a) => Float64Array.of(Math.sin(a)));
    expect(Math.abs(moments(sines, 0).mean)).toBeLessThan(5 * Math.sqrt(0.5 / n));
  });

  it('gives the same data for θ and its mirror image across θ₁ = −θ₂ (the second moon)', () => {
    const a = twoMoons.simulate({ parameters: { theta_1: 0.3, theta_2: 0.1 }, seed: 5, time }).data as Float64Array;
    const b = twoMoons.simulate({ parameters: { theta_1: -0.1, theta_2: -0.3 }, seed: 5, time }).data as Float64Array;
    expect(b[0]).toBeCloseTo(a[0], 12);
    expect(b[1]).toBeCloseTo(a[1], 12);
  });
});

describe('slcp', () => {
  it('draws four pairs from N((θ₁, θ₂), [[s₁², ρs₁s₂], [ρs₁s₂, s₂²]]) with s = θ₃², θ₄², ρ = tanh θ₅', () => {
    const theta = { theta_1: 0.7, theta_2: -1.5, theta_3: -1.2, theta_4: 0.9, theta_5: 0.8 };
    const [s1, s2, rho] = [1.44, 0.81, Math.tanh(0.8)];
    const n = 10_000;
    const rows = draw(slcp.simulate, theta, n);
    const pairs = rows.flatMap((r) => [0, 1, 2, 3].map((k) => Float64Array.of(r[2 * k], r[2 * k + 1])));
    const m = pairs.length;
    const x = moments(pairs, 0);
    const y = moments(pairs, 1);
    expect(Math.abs(x.mean - 0.7)).toBeLessThan(5 * Math.sqrt((s1 * s1) / m));
    expect(Math.abs(y.mean + 1.5)).toBeLessThan(5 * Math.sqrt((s2 * s2) / m));
    expect(Math.abs(x.variance - s1 * s1)).toBeLessThan(5 * s1 * s1 * Math.sqrt(2 / m));
    expect(Math.abs(y.variance - s2 * s2)).toBeLessThan(5 * s2 * s2 * Math.sqrt(2 / m));
    const cov = pairs.reduce((s, p) => s + (p[0] - x.mean) * (p[1] - y.mean), 0) / (m - 1);
    // The sample correlation's SE is (1 − ρ²)/√m.
    expect(Math.abs(cov / Math.sqrt(x.variance * y.variance) - rho)).toBeLessThan((5 * (1 - rho * rho)) / Math.sqrt(m));
  });
});

describe('sir', () => {
  const beta = 0.61479264;
  const gamma = 0.19172086;

  it('solves the SIR ODE: S + I + R = N and S = S₀ exp(−(β/γ) R/N) along the solution', () => {
    const system = sir.sirSystem(beta, gamma);
    const integrator = createIntegrator(system, 'nonstiff', { rtol: 1e-6, atol: 1e-9 });
    const s0 = sir.POPULATION - sir.INITIAL_INFECTED;
    integrator.reset(0, Float64Array.of(s0, sir.INITIAL_INFECTED, 0));
    let worst = 0;
    while (integrator.t < 160) {
      integrator.step(160);
      const [s, i, r] = integrator.y;
      expect(Math.abs(s + i + r - sir.POPULATION) / sir.POPULATION).toBeLessThan(1e-9);
      worst = Math.max(worst, Math.abs(s - s0 * Math.exp((-(beta / gamma) * r) / sir.POPULATION)) / sir.POPULATION);
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('observes I at days 0, 17, ..., 153 as an rtol 1e-12 solution does', () => {
    const bench = sir.infectedAtObservationDays(beta, gamma)!;
    const exact = sir.infectedAtObservationDays(beta, gamma, { rtol: 1e-12, atol: 1e-12 })!;
    expect(sir.OBSERVATION_DAYS).toEqual([0, 17, 34, 51, 68, 85, 102, 119, 136, 153]);
    for (let k = 0; k < 10; k++) expect(Math.abs(bench[k] - exact[k]) / sir.POPULATION).toBeLessThan(1e-6);
    // Observation 1 was drawn at these parameters: its day-34 count 352 of 1000 is within 4 binomial sd of 1000·I/N.
    const p = exact[2] / sir.POPULATION;
    expect(Math.abs(352 - 1000 * p)).toBeLessThan(4 * Math.sqrt(1000 * p * (1 - p)));
  });

  it('draws Binomial(1000, I/N) counts: mean and variance at the peak day', () => {
    const exact = sir.infectedAtObservationDays(beta, gamma)!;
    const p = exact[2] / sir.POPULATION;
    const n = 4000;
    const rows = draw(sir.simulate, { beta, gamma }, n);
    const { mean, variance } = moments(rows, 2);
    const v = 1000 * p * (1 - p);
    expect(Math.abs(mean - 1000 * p)).toBeLessThan(5 * Math.sqrt(v / n));
    expect(Math.abs(variance - v)).toBeLessThan(5 * v * Math.sqrt(2 / n));
    expect(rows.every((r) => r.every((c) => Number.isInteger(c) && c >= 0 && c <= 1000))).toBe(true);
  });
});

describe('lotka_volterra', () => {
  const p = { alpha: 0.6859157, beta: 0.10761319, gamma: 0.88789904, delta: 0.116794825 };
  const invariant = (x: number, y: number) => p.delta * x - p.gamma * Math.log(x) + p.beta * y - p.alpha * Math.log(y);

  it('solves the Lotka-Volterra ODE: V = δx − γ ln x + βy − α ln y is conserved', () => {
    const u = lotkaVolterra.populationsAtObservationTimes(p)!;
    const v0 = invariant(30, 1);
    for (let k = 0; k < 10; k++) expect(Math.abs(invariant(u[k], u[10 + k]) - v0) / Math.abs(v0)).toBeLessThan(1e-5);
    const exact = lotkaVolterra.populationsAtObservationTimes(p, { rtol: 1e-12, atol: 1e-12 })!;
    for (let k = 0; k < 20; k++) expect(Math.abs(Math.log(u[k] / exact[k]))).toBeLessThan(1e-4);
    expect(lotkaVolterra.OBSERVATION_TIMES).toEqual([0, 2.1, 4.2, 6.3, 8.4, 10.5, 12.6, 14.7, 16.8, 18.9]);
  });

  it('adds LogNormal(0, 0.1) noise: log(x / u) has mean 0 and sd 0.1', () => {
    const u = lotkaVolterra.populationsAtObservationTimes(p)!;
    const n = 4000;
    const rows = draw(lotkaVolterra.simulate, p, n).map((r) => r.map((x, k) => Math.log(x / u[k])));
    for (const k of [0, 7, 13]) {
      const { mean, variance } = moments(rows, k);
      expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(0.01 / n));
      expect(Math.abs(variance - 0.01)).toBeLessThan(5 * 0.01 * Math.sqrt(2 / n));
    }
  });
});

describe('binomial', () => {
  it.each([
    [1000, 0.352],
    [1000, 0.9],
    [20, 0.05],
  ])('Binomial(%d, %d) has mean np and variance np(1 − p)', (n, prob) => {
    const rng = Xoshiro128.fromSeed(31);
    const draws = 20_000;
    const values = Array.from({ length: draws }, () => Float64Array.of(binomial(n, prob, rng)));
    const { mean, variance } = moments(values, 0);
    const v = n * prob * (1 - prob);
    expect(Math.abs(mean - n * prob)).toBeLessThan(5 * Math.sqrt(v / draws));
    expect(Math.abs(variance - v)).toBeLessThan(5 * v * Math.sqrt(2 / draws) + 1e-9);
  });

  it('returns the bounds for p = 0 and p = 1', () => {
    const rng = Xoshiro128.fromSeed(1);
    expect(binomial(1000, 0, rng)).toBe(0);
    expect(binomial(1000, 1, rng)).toBe(1000);
  });
});

describe('the task modules as black-box simulators', () => {
  it.each(ACCURACY_TASKS.map((t) => [t.name, t] as const))('%s loads through the module interface and returns its data vector', async (_name, task) => {
    const spec = {
      kind: 'module' as const,
      path: task.modulePath,
      parameters: task.parameters.map((p) => ({ id: p.id, value: p.prior.kind === 'logNormal' ? Math.exp(p.prior.mu) : 0 })),
      species: dataNames(task.dataDimension),
    };
    const simulator = new ModuleSimulator(await loadBlackBoxFunction(spec), spec);
    const out = new Float64Array(task.dataDimension);
    simulator.simulateInto(out, time, simulator.defaultParameters, new Uint32Array([1, 2, 3, 4]));
    expect(out.every(Number.isFinite)).toBe(true);
    const again = new Float64Array(task.dataDimension);
    simulator.simulateInto(again, time, simulator.defaultParameters, new Uint32Array([1, 2, 3, 4]));
    expect(again).toEqual(out);
  });
});
