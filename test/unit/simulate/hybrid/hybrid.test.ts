/**
 * The hybrid SSA/ODE method (engine/simulate/hybrid) against closed forms
 * and the exact SSA.
 *
 * Statistics, per output time, fixed seeds: for a mean, Z = (mean_sim − μ) /
 * (s / sqrt(n)) with |Z| < 4 (a series of ~20 points; |Z| > 4 has
 * probability 6e-5 per point, while a bias of a few % of s/sqrt(n)·4 is
 * caught); for a variance where the law is Poisson, Y = sqrt(n/2)(s²/σ² − 1)
 * in (−5, 5) as the DSMTS. Two means from independent ensembles (hybrid
 * vs SSA): Z = (m_h − m_s) / sqrt(s_h²/n_h + s_s²/n_s), |Z| < 4.
 */
import { describe, expect, it } from 'vitest';
import { compileNetwork, validateModel, type ReactionNetworkInput } from '../../../../engine/model';
import { CountConversionError, toMoleculeCounts } from '../../../../engine/model/counts';
import { SimulationBudgetError, SimulationSettingsError } from '../../../../engine/errors';
import { compileHybridModel, createHybridModelSimulator, createHybridSimulator } from '../../../../engine/simulate/hybrid';
import { simulateEnsemble } from '../../../../engine/simulate/ensemble';
import { DirectMethod } from '../../../../engine/simulate/ssa/DirectMethod';
import { uniformTimeGrid } from '../../../../engine/simulate/timeGrid';
import type { Simulator, TrajectoryEnsemble } from '../../../../engine/simulate/types';
import { deriveStreamState } from '../../../../engine/sample/random/seedDerivation';

/** The hybrid simulator typed as a Simulator until 'hybrid' joins SimulationMethod. */
const asSimulator = (simulator: unknown) => simulator as Simulator;

function moments(e: TrajectoryEnsemble, species: string, g: number): { mean: number; variance: number } {
  const s = e.speciesIds.indexOf(species);
  const nS = e.speciesIds.length;
  const nT = e.time.length;
  let sum = 0;
  for (let r = 0; r < e.runs; r++) sum += e.data[(r * nS + s) * nT + g];
  const mean = sum / e.runs;
  let ss = 0;
  for (let r = 0; r < e.runs; r++) ss += (e.data[(r * nS + s) * nT + g] - mean) ** 2;
  return { mean, variance: ss / (e.runs - 1) };
}

/** A gene switching slowly between off and on (one copy) and a protein X made fast (kp·Gon + kb) and degraded (kd·X). */
function geneModel(kp: number, kb: number, x0: number, extra: Partial<ReactionNetworkInput> = {}): ReactionNetworkInput {
  return {
    name: 'two-scale gene',
    species: [
      { id: 'Goff', initial: 1 },
      { id: 'Gon', initial: 0 },
      { id: 'X', initial: x0 },
    ],
    parameters: [
      { id: 'kon', value: 0.2 },
      { id: 'koff', value: 0.2 },
      { id: 'kp', value: kp },
      { id: 'kb', value: kb },
      { id: 'kd', value: 1 },
    ],
    reactions: [
      { id: 'on', reactants: { Goff: 1 }, products: { Gon: 1 }, rate: 'kon' },
      { id: 'off', reactants: { Gon: 1 }, products: { Goff: 1 }, rate: 'koff' },
      { id: 'make', products: { X: 1 }, propensity: 'kp*Gon + kb' },
      { id: 'decay', reactants: { X: 1 }, rate: 'kd' },
    ],
    ...extra,
  };
}

/**
 * E[X(t)] of geneModel from Gon(0) = 0: E[Gon] = ½(1 − e^(−st)), s = kon + koff = 0.4, and
 * dm/dt = kp·E[Gon] + kb − kd·m (linear, so the mean obeys it exactly): m = A + B e^(−t) + C e^(−st),
 * A = kb + kp/2, C = −(kp/2)/(1 − s), B = x0 − A − C (kd = 1).
 */
function geneMean(kp: number, kb: number, x0: number, t: number): number {
  const s = 0.4;
  const A = kb + kp / 2;
  const C = -(kp / 2) / (1 - s);
  return A + (x0 - A - C) * Math.exp(-t) + C * Math.exp(-s * t);
}

describe('hybrid method: determinism', () => {
  it('the same seed gives the same trajectories and stream state bit for bit; another seed differs', () => {
    const simulator = createHybridSimulator(compileNetwork(validateModel(geneModel(3000, 30, 30))));
    const grid = uniformTimeGrid(10, 11);
    const run = (seed: number) => {
      const out = new Float64Array(3 * grid.length);
      const rng = deriveStreamState(seed, 0);
      const work = simulator.simulateInto(out, grid, simulator.defaultParameters, rng);
      return { out, rng, work };
    };
    const a = run(5);
    const b = run(5);
    expect(b.out).toEqual(a.out);
    expect(b.rng).toEqual(a.rng);
    expect(b.work).toBe(a.work);
    expect(run(6).out).not.toEqual(a.out);
  });
});

describe('hybrid method: rate rules', () => {
  // X made at kp·V with dV/dt = −k·V, V(0) = V0: the firings are an inhomogeneous Poisson process, so
  // X(t) ~ Poisson(m(t)), m(t) = kp·V0·(1 − e^(−kt))/k (= 200 (1 − e^(−t/2))): mean and variance m(t).
  it('a production rate set by a decaying continuous variable: X(t) is Poisson with the closed-form mean', () => {
    const simulator = createHybridModelSimulator(
      validateModel({
        name: 'rate rule',
        species: [{ id: 'X', initial: 0 }],
        parameters: [
          { id: 'kp', value: 10 },
          { id: 'V', value: 10 },
          { id: 'k', value: 0.5 },
        ],
        reactions: [{ id: 'make', products: { X: 1 }, propensity: 'kp*V' }],
        rules: [{ type: 'rate', variable: 'V', expression: '-k*V' }],
      }),
    );
    const runs = 2_000;
    const grid = uniformTimeGrid(10, 21);
    const e = simulateEnsemble(asSimulator(simulator), { runs, seed: 11, grid });
    for (let g = 1; g < grid.length; g++) {
      const m = 200 * (1 - Math.exp(-0.5 * grid[g]));
      const { mean, variance } = moments(e, 'X', g);
      expect(Math.abs(mean - m) / Math.sqrt(m / runs), `Z at t=${grid[g]}`).toBeLessThan(4);
      expect(Math.abs(Math.sqrt(runs / 2) * (variance / m - 1)), `Y at t=${grid[g]}`).toBeLessThan(5);
    }
  });

  it('toMoleculeCounts keeps rate rules in count units only when asked, and the hybrid method runs them', () => {
    // Compartment c of size 2; S a concentration (amount 10 → 5 per unit size) with dS/dt = −k·S; A made at kp·S
    // (extent per time, S as a concentration). Over counts: d(count S)/dt = 2 · (−k · count S / 2) = −k · count S,
    // so count S = 10 e^(−kt) exactly, and E[A] = kp · 5 · (1 − e^(−kt)) / k = 200 (1 − e^(−t/2)) with kp = 20, k = 0.5.
    const input: ReactionNetworkInput = {
      name: 'concentration rate rule',
      compartments: [{ id: 'c', size: 2 }],
      species: [
        { id: 'S', initial: 10, compartment: 'c', amountOnly: false, boundary: true },
        { id: 'A', initial: 0, compartment: 'c' },
      ],
      parameters: [
        { id: 'kp', value: 20 },
        { id: 'k', value: 0.5 },
      ],
      reactions: [{ id: 'make', products: { A: 1 }, propensity: 'kp*S' }],
      rules: [{ type: 'rate', variable: 'S', expression: '-k*S' }],
    };
    const model = validateModel(input);
    expect(() => toMoleculeCounts(model)).toThrow(CountConversionError);
    const counts = toMoleculeCounts(model, { rateRules: 'keep' }).model;
    expect(counts.rules.filter((r) => r.type === 'rate').map((r) => r.variable)).toEqual(['S']);
    const { network, rateRules } = compileHybridModel(counts);
    expect(rateRules).toHaveLength(1);
    const runs = 1_000;
    const grid = uniformTimeGrid(8, 9);
    const e = simulateEnsemble(asSimulator(createHybridSimulator(network, { rateRules })), { runs, seed: 12, grid });
    for (let g = 1; g < grid.length; g++) {
      const t = grid[g];
      expect(Math.abs(moments(e, 'S', g).mean / (10 * Math.exp(-0.5 * t)) - 1), `S at t=${t}`).toBeLessThan(1e-5);
      const m = 200 * (1 - Math.exp(-0.5 * t));
      expect(Math.abs(moments(e, 'A', g).mean - m) / Math.sqrt(m / runs), `Z of A at t=${t}`).toBeLessThan(4);
    }
  });
});

describe('toMoleculeCounts with rateRules: keep', () => {
  it('converts a parameter rate rule over a concentration to counts, and still refuses a changing compartment holding concentrations', () => {
    const base: ReactionNetworkInput = {
      name: 'conversion',
      compartments: [{ id: 'c', size: 4, constant: false }],
      species: [{ id: 'S', initial: 8, compartment: 'c', amountOnly: false }],
      parameters: [
        { id: 'V', value: 1, constant: false },
        { id: 'k', value: 1 },
      ],
      reactions: [{ id: 'decay', reactants: { S: 1 }, propensity: 'k*S' }],
    };
    const kept = toMoleculeCounts(validateModel({ ...base, rules: [{ type: 'rate', variable: 'V', expression: 'S' }] }), { rateRules: 'keep' }).model;
    // S in the rule meant a concentration: over counts it reads S / c.
    expect(kept.rules).toEqual([{ type: 'rate', variable: 'V', expression: 'S / c' }]);
    expect(() => toMoleculeCounts(validateModel({ ...base, rules: [{ type: 'rate', variable: 'c', expression: '0.1' }] }), { rateRules: 'keep' })).toThrow(
      /its size is changed by a rate rule/,
    );
  });
});

describe('hybrid method: a two-scale model (fast high-copy production and decay, slow one-copy gene switching)', () => {
  it('matches the SSA mean and the closed form (|Z| < 4) and runs faster', () => {
    const [kp, kb, x0] = [10_000, 2_000, 2_000];
    const network = compileNetwork(validateModel(geneModel(kp, kb, x0)));
    const grid = uniformTimeGrid(10, 11);
    const [nHybrid, nSsa] = [2_000, 200];
    let start = performance.now();
    const hybrid = simulateEnsemble(asSimulator(createHybridSimulator(network)), { runs: nHybrid, seed: 21, grid });
    const hybridMs = (performance.now() - start) / nHybrid;
    start = performance.now();
    const ssa = simulateEnsemble(new DirectMethod(network), { runs: nSsa, seed: 22, grid });
    const ssaMs = (performance.now() - start) / nSsa;
    for (let g = 1; g < grid.length; g++) {
      for (const species of ['X', 'Gon']) {
        const h = moments(hybrid, species, g);
        const s = moments(ssa, species, g);
        expect(Math.abs(h.mean - s.mean) / Math.sqrt(h.variance / nHybrid + s.variance / nSsa), `${species} at t=${grid[g]}: hybrid vs SSA`).toBeLessThan(4);
      }
      const h = moments(hybrid, 'X', g);
      expect(Math.abs(h.mean - geneMean(kp, kb, x0, grid[g])) / Math.sqrt(h.variance / nHybrid), `X at t=${grid[g]}: hybrid vs closed form`).toBeLessThan(4);
    }
    console.log(`two-scale model: SSA ${ssaMs.toFixed(3)} ms per trajectory, hybrid ${hybridMs.toFixed(3)} ms: ${(ssaMs / hybridMs).toFixed(1)}x faster`);
    expect(ssaMs / hybridMs).toBeGreaterThan(3);
  });

  it('a discrete reaction whose propensity reads a continuous species (feedback: X switches the gene off) matches the SSA mean', () => {
    // Gon → Goff at koff·X/5000: the discrete clock integrates a propensity that changes with the continuous X.
    // Not exact (X carries no noise of its own here; its relative noise in the SSA is ~1%), but far inside |Z| < 4 at these n.
    const input = geneModel(10_000, 2_000, 2_000);
    input.reactions![1] = { id: 'off', reactants: { Gon: 1 }, products: { Goff: 1 }, propensity: 'koff*Gon*X/5000' };
    const network = compileNetwork(validateModel(input));
    const grid = uniformTimeGrid(10, 11);
    const [nHybrid, nSsa] = [2_000, 200];
    const hybrid = simulateEnsemble(asSimulator(createHybridSimulator(network)), { runs: nHybrid, seed: 23, grid });
    const ssa = simulateEnsemble(new DirectMethod(network), { runs: nSsa, seed: 24, grid });
    for (let g = 1; g < grid.length; g++) {
      for (const species of ['X', 'Gon']) {
        const h = moments(hybrid, species, g);
        const s = moments(ssa, species, g);
        expect(Math.abs(h.mean - s.mean) / Math.sqrt(h.variance / nHybrid + s.variance / nSsa), `${species} at t=${grid[g]}: hybrid vs SSA`).toBeLessThan(4);
      }
    }
  });

  it('with populations crossing the thresholds both ways (X from 30 to 3,000 and back) the mean stays unbiased', () => {
    // Off: X ≈ kb = 30, discrete. On: X climbs to 3,030 and turns continuous past 1,000 (decay and production);
    // off again, it is continuous down to 500 (hysteresis), then rounded stochastically and discrete.
    const [kp, kb, x0] = [3_000, 30, 30];
    const network = compileNetwork(validateModel(geneModel(kp, kb, x0)));
    const grid = uniformTimeGrid(12, 13);
    const runs = 1_000;
    const e = simulateEnsemble(asSimulator(createHybridSimulator(network)), { runs, seed: 31, grid });
    let fractional = 0;
    for (let g = 1; g < grid.length; g++) {
      const h = moments(e, 'X', g);
      expect(Math.abs(h.mean - geneMean(kp, kb, x0, grid[g])) / Math.sqrt(h.variance / runs), `X at t=${grid[g]}`).toBeLessThan(4);
      for (let r = 0; r < runs; r++) if (!Number.isInteger(e.data[(r * 3 + 2) * grid.length + g])) fractional++;
    }
    // Both regimes occur: continuous (real) values and discrete (whole) ones.
    const total = runs * (grid.length - 1);
    expect(fractional / total).toBeGreaterThan(0.05);
    expect(fractional / total).toBeLessThan(0.95);
  });

  it('events stay exact in the continuous regime: a time event at t = 5 and a state event at X > 9,000', () => {
    const model = validateModel(
      geneModel(10_000, 2_000, 2_000, {
        events: [
          { id: 'pulse', trigger: 't >= 5', assignments: { X: '4000' } },
          { id: 'cap', trigger: 'X > 9000', assignments: { X: '1000' } },
        ],
      }),
    );
    const grid = uniformTimeGrid(10, 41);
    const runs = 200;
    const e = simulateEnsemble(asSimulator(createHybridSimulator(compileNetwork(model))), { runs, seed: 41, grid });
    const g5 = 20; // t = 5: `t >= 5` fires before the output at 5
    for (let r = 0; r < runs; r++) {
      expect(e.data[(r * 3 + 2) * grid.length + g5]).toBe(4000);
      // The state event resets X at the crossing, so no output exceeds 9,000 (beyond the location tolerance).
      for (let g = 0; g < grid.length; g++) expect(e.data[(r * 3 + 2) * grid.length + g]).toBeLessThanOrEqual(9000 * (1 + 1e-6));
    }
  });
});

describe('hybrid method: settings and refusals', () => {
  const network = compileNetwork(validateModel(geneModel(3000, 30, 30)));

  it('refuses bad options with SimulationSettingsError', () => {
    for (const options of [
      { continuousPopulation: 0 },
      { continuousFirings: -1 },
      { hysteresis: 1.5 },
      { window: 0 },
      { rtol: 2 },
      { atol: 0 },
      { maxEvents: 0.5 },
      { partition: 'sometimes' as 'adaptive' },
    ]) {
      expect(() => createHybridSimulator(network, options), JSON.stringify(options)).toThrow(SimulationSettingsError);
    }
  });

  it('stops a trajectory past its budget of firings and steps (EVENT_BUDGET)', () => {
    const simulator = createHybridSimulator(network, { maxEvents: 50 });
    const grid = uniformTimeGrid(10, 11);
    expect(() => simulator.simulateInto(new Float64Array(3 * 11), grid, simulator.defaultParameters, deriveStreamState(1, 0))).toThrow(SimulationBudgetError);
  });

  it('refuses a rate rule on a species that reactions change (validateModel refuses it too; compileHybridModel checks again)', () => {
    const valid = validateModel({
      name: 'bad',
      species: [{ id: 'X', initial: 5 }],
      parameters: [{ id: 'k', value: 1 }],
      reactions: [{ id: 'decay', reactants: { X: 1 }, rate: 'k' }],
    });
    expect(() => compileHybridModel({ ...valid, rules: [{ type: 'rate', variable: 'X', expression: '1' }] })).toThrow(/reactions change it/);
  });

  it("with partition 'discrete' every reaction fires exactly: outputs stay whole numbers", () => {
    const grid = uniformTimeGrid(10, 11);
    const e = simulateEnsemble(asSimulator(createHybridSimulator(network, { partition: 'discrete' })), { runs: 20, seed: 51, grid });
    expect(e.data.every((v) => Number.isInteger(v))).toBe(true);
  });
});
