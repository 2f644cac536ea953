import { describe, expect, it } from 'vitest';
import { compileNetwork, validateModel, type ReactionNetworkInput } from '../../../engine/model/index.js';
import { deriveStreamState } from '../../../engine/sample/random/index.js';
import { OdeSolver, type OdeSolverOptions } from '../../../engine/simulate/ode/index.js';

const network = (model: ReactionNetworkInput) => compileNetwork(validateModel(model));

/** Solve on `grid`; returns a reader species(id, g). */
function solve(model: ReactionNetworkInput, grid: Float64Array, options: OdeSolverOptions = {}, parameters?: Float64Array) {
  const solver = new OdeSolver(network(model), options);
  const out = new Float64Array(solver.speciesIds.length * grid.length);
  solver.simulateInto(out, grid, parameters ?? solver.defaultParameters, deriveStreamState(1, 0));
  const at = (id: string, g: number) => out[solver.speciesIds.indexOf(id) * grid.length + g];
  return { solver, out, at };
}

/** Relative 1e-5 (plus 1e-9 absolute): the default rtol 1e-6 keeps the global error below it on these smooth linear problems. */
function expectClose(actual: number, want: number, rel = 1e-5, what = '') {
  expect(Math.abs(actual - want), `${what}: ${actual} vs ${want}`).toBeLessThanOrEqual(rel * Math.abs(want) + 1e-9);
}

const grid51 = Float64Array.from({ length: 51 }, (_, i) => i);

/** DSMTS 00020 immigration-death (alpha = 1, mu = 0.1, X0 = 0) plus `extra` fields. */
const immigrationDeath = (extra: Partial<ReactionNetworkInput> = {}): ReactionNetworkInput => ({
  species: [{ id: 'X', initial: 0 }],
  parameters: [
    { id: 'alpha', value: 1 },
    { id: 'mu', value: 0.1 },
  ],
  reactions: [
    { id: 'immigration', products: { X: 1 }, rate: 'alpha' },
    { id: 'death', reactants: { X: 1 }, rate: 'mu' },
  ],
  ...extra,
});

/** x(t) from x(t0) = x0 with immigration a and death m: a/m + (x0 - a/m) e^{-m (t - t0)}. */
const linear = (a: number, m: number, x0: number, t0: number) => (t: number) => a / m + (x0 - a / m) * Math.exp(-m * (t - t0));

describe('OdeSolver with discrete dynamics', () => {
  it('applies a time event t >= 25 (X = 50) exactly at 25, before recording t = 25', () => {
    const { at } = solve(immigrationDeath({ events: [{ id: 'reset', trigger: 't >= 25', assignments: { X: 50 } }] }), grid51);
    const before = linear(1, 0.1, 0, 0);
    const after = linear(1, 0.1, 50, 25);
    for (let g = 0; g < 51; g++) expectClose(at('X', g), g < 25 ? before(g) : after(g), 1e-5, `t=${g}`);
    expect(at('X', 25)).toBe(50);
  });

  it('applies a strict time event t > 25 after recording t = 25', () => {
    const { at } = solve(immigrationDeath({ events: [{ id: 'reset', trigger: 't > 25', assignments: { X: 50 } }] }), grid51);
    expectClose(at('X', 25), linear(1, 0.1, 0, 0)(25), 1e-5, 't=25');
    for (let g = 26; g < 51; g++) expectClose(at('X', g), linear(1, 0.1, 50, 25)(g), 1e-5, `t=${g}`);
  });

  describe('dimerisation 2P ⇌ P2 (DSMTS 00030) with the state event P2 > 30 → P = 100, P2 = 0', () => {
    // Deterministic: P = 100 - 2z, dz/dt = (k1/2)(100 - 2z)^2 - k2 z = A z^2 + B z + D
    // with A = 0.002, B = -0.21, D = 5, roots z1 < z2; z(s) from z(0) = 0 is
    // (z1 - R z2) / (1 - R), R = (z1/z2) e^{A (z1 - z2) s}. The reset restores
    // the initial state, so events repeat with period t* where z(t*) = 30.
    const A = 0.002;
    const B = -0.21;
    const D = 5;
    const root = Math.sqrt(B * B - 4 * A * D);
    const z1 = (-B - root) / (2 * A);
    const z2 = (-B + root) / (2 * A);
    const z = (s: number) => {
      const R = (z1 / z2) * Math.exp(A * (z1 - z2) * s);
      return (z1 - R * z2) / (1 - R);
    };
    /** Bisection on the closed form: z is increasing on [0, 40] and crosses 30 once. */
    let lo = 0;
    let hi = 40;
    for (let i = 0; i < 200 && hi - lo > 1e-14 * hi; i++) {
      const mid = (lo + hi) / 2;
      if (z(mid) > 30) hi = mid;
      else lo = mid;
    }
    const tStar = hi;
    const model: ReactionNetworkInput = {
      species: [
        { id: 'P', initial: 100 },
        { id: 'P2', initial: 0 },
        // Boundary species set only by the event: the time it last fired and how often.
        { id: 'Tf', initial: 0, boundary: true },
        { id: 'R', initial: 0, boundary: true },
      ],
      parameters: [
        { id: 'k1', value: 0.001 },
        { id: 'k2', value: 0.01 },
      ],
      reactions: [
        { id: 'dimerisation', reactants: { P: 2 }, products: { P2: 1 }, rate: 'k1/2' },
        { id: 'dissociation', reactants: { P2: 1 }, products: { P: 2 }, rate: 'k2' },
      ],
      events: [{ id: 'reset', trigger: 'P2 > 30', assignments: { P: 100, P2: 0, Tf: 't', R: 'R + 1' } }],
    };

    it('closed form: the first event time t* is about 17.96', () => {
      expect(tStar).toBeGreaterThan(17.9);
      expect(tStar).toBeLessThan(18);
      // The analytic inverse agrees with the bisection.
      const analytic = Math.log(((30 - z1) / (30 - z2)) * (z2 / z1)) / (A * (z1 - z2));
      expect(Math.abs(analytic - tStar)).toBeLessThan(1e-9);
    });

    it('locates the crossing where the ODE solution reaches 30 and resets periodically', () => {
      // Tight tolerances: the located time is then limited by the 1e-10 bisection
      // and the integration error (measured 4e-11 relative); 1e-9 leaves a margin.
      const { at } = solve(model, grid51, { rtol: 1e-11, atol: 1e-11 });
      expect(at('R', 50)).toBe(2);
      expectClose(at('Tf', 20), tStar, 1e-9, 'first event');
      expectClose(at('Tf', 50), 2 * tStar, 1e-9, 'second event');
      for (let g = 0; g < 51; g++) {
        const s = g - tStar * Math.floor(g / tStar);
        expectClose(at('P2', g), z(s), 1e-7, `P2 at ${g}`);
        expectClose(at('P', g), 100 - 2 * z(s), 1e-7, `P at ${g}`);
      }
    });

    it('with default tolerances the event time is within 1e-6 relative', () => {
      // rtol 1e-6 bounds the local error in z by about 3e-5, so t* (dz/dt ≈ 0.5 there) to
      // about 6e-5 / 18 ≈ 3e-6 in the worst case; measured 5e-8.
      const { at } = solve(model, grid51);
      expectClose(at('Tf', 20), tStar, 1e-6, 'first event');
      expect(at('R', 50)).toBe(2);
      // The state recorded before the event is the pre-event path; after it, the reset path.
      expectClose(at('P2', 17), z(17), 1e-5, 'P2 at 17');
      expectClose(at('P2', 18), z(18 - tStar), 1e-3, 'P2 at 18');
    });
  });

  it('records a boundary species set by the rule Y = 2 X, and a propensity reading Y sees it', () => {
    const { at } = solve(
      {
        ...immigrationDeath(),
        species: [
          { id: 'X', initial: 30 },
          { id: 'Y', initial: 0, boundary: true },
        ],
        reactions: [
          { id: 'immigration', products: { X: 1 }, rate: 'alpha' },
          { id: 'death', reactants: { X: 1 }, propensity: 'mu * Y / 2' },
        ],
        rules: [{ variable: 'Y', expression: '2 * X' }],
      },
      grid51,
    );
    const x = linear(1, 0.1, 30, 0);
    for (let g = 0; g < 51; g++) {
      expectClose(at('X', g), x(g), 1e-5, `X at ${g}`);
      expect(at('Y', g)).toBe(2 * at('X', g));
    }
  });

  it('evaluates a parameter rule y = 2 X inside the derivative', () => {
    const { at } = solve(
      {
        ...immigrationDeath(),
        parameters: [
          { id: 'alpha', value: 1 },
          { id: 'mu', value: 0.1 },
          { id: 'y', value: 0 },
        ],
        reactions: [
          { id: 'immigration', products: { X: 1 }, rate: 'alpha' },
          { id: 'death', reactants: { X: 1 }, propensity: 'mu * y / 2' },
        ],
        rules: [{ variable: 'y', expression: '2 * X' }],
      },
      grid51,
    );
    const x = linear(1, 0.1, 0, 0);
    for (let g = 0; g < 51; g++) expectClose(at('X', g), x(g), 1e-5, `X at ${g}`);
  });

  it('evaluates an initial expression over parameters, with the parameters passed in', () => {
    const model = immigrationDeath({
      species: [{ id: 'X', initial: 'X0' }],
      parameters: [
        { id: 'alpha', value: 1 },
        { id: 'mu', value: 0.1 },
        { id: 'X0', value: 30 },
      ],
    });
    const { at } = solve(model, grid51);
    for (let g = 0; g < 51; g++) expectClose(at('X', g), linear(1, 0.1, 30, 0)(g), 1e-5, `X at ${g}`);
    const other = solve(model, grid51, {}, Float64Array.from([1, 0.1, 7.5]));
    expect(other.at('X', 0)).toBe(7.5);
    expectClose(other.at('X', 20), linear(1, 0.1, 7.5, 0)(20), 1e-5, 'X at 20');
  });

  it('an event assigning a parameter changes the rate constant from then on; the caller’s parameters are not changed', () => {
    const model = immigrationDeath({ events: [{ id: 'boost', trigger: 't >= 10', assignments: { alpha: 5 } }] });
    const solver = new OdeSolver(network(model));
    const parameters = Float64Array.from(solver.defaultParameters);
    const out = new Float64Array(grid51.length);
    for (let repeat = 0; repeat < 2; repeat++) {
      solver.simulateInto(out, grid51, parameters, deriveStreamState(1, 0));
      const x10 = linear(1, 0.1, 0, 0)(10);
      for (let g = 0; g < 51; g++) expectClose(out[g], g < 10 ? linear(1, 0.1, 0, 0)(g) : linear(5, 0.1, x10, 10)(g), 1e-5, `X at ${g}`);
    }
    expect([...parameters]).toEqual([1, 0.1]);
  });

  it('a state event assigning a parameter: X > 5 → mu = 0.2 holds X at 5 from t = 10 ln 2', () => {
    const { at } = solve(
      immigrationDeath({ events: [{ id: 'faster', trigger: 'X > 5', assignments: { mu: 0.2 } }] }),
      Float64Array.from([0, 5, 6.9, 7, 10, 50]),
    );
    expectClose(at('X', 1), linear(1, 0.1, 0, 0)(5), 1e-5, 'X at 5');
    expectClose(at('X', 2), linear(1, 0.1, 0, 0)(6.9), 1e-5, 'X at 6.9');
    // After the event at 6.93, a / m = 5 = X: a fixed point.
    for (const g of [3, 4, 5]) expectClose(at('X', g), 5, 1e-5, `X at index ${g}`);
  });

  it('a trigger true at t = 0 fires at t = 0 when initialValue is false, and not when it is true', () => {
    const withInitial = (initialValue: boolean) =>
      solve(immigrationDeath({ events: [{ id: 'start', trigger: 'X < 1', assignments: { X: 20 }, initialValue }] }), grid51).at('X', 0);
    expect(withInitial(false)).toBe(20);
    expect(withInitial(true)).toBe(0);
  });
});
