/**
 * Test problems for the integrators, with the reference values they are
 * checked against and where those come from.
 */
import type { OdeSystem } from '../../../../engine/simulate/ode/integrator';

/**
 * Robertson's chemical kinetics (k1 = 0.04, k2 = 3e7, k3 = 1e4; y0 = [1, 0, 0]),
 * the classic stiff test: HNW II (2nd ed. 1996), §IV.1, eq. (1.3).
 */
export function robertson(withJacobian: boolean): OdeSystem {
  return {
    size: 3,
    autonomous: true,
    derivative(_t, y, dydt) {
      const slow = 0.04 * y[0];
      const back = 1e4 * y[1] * y[2];
      const fast = 3e7 * y[1] * y[1];
      dydt[0] = -slow + back;
      dydt[1] = slow - back - fast;
      dydt[2] = fast;
    },
    ...(withJacobian
      ? {
          jacobian(_t: number, y: Float64Array, jac: Float64Array) {
            jac[0] = -0.04;
            jac[1] = 1e4 * y[2];
            jac[2] = 1e4 * y[1];
            jac[3] = 0.04;
            jac[4] = -1e4 * y[2] - 6e7 * y[1];
            jac[5] = -1e4 * y[1];
            jac[6] = 0;
            jac[7] = 6e7 * y[1];
            jac[8] = 0;
          },
        }
      : {}),
  };
}

/**
 * Robertson at t = 1e11: the reference solution of the IVP test set
 * (Mazzia & Magherini, Test Set for IVP Solvers, release 2.4, 2008,
 * problem ROBER; https://archimede.uniba.it/~testset/report/rober.pdf).
 */
export const ROBERTSON_1E11 = [0.2083340149701255e-7, 0.8333360770334713e-13, 0.999999979166505];

/**
 * Robertson at t = 40 and t = 1e5. No published values with more than 5
 * digits were at hand (SUNDIALS' cvRoberts_dns prints 7.1583e-01, 9.1855e-06,
 * 2.8416e-01 at t = 40), so these were computed for this test with SciPy 1.17
 * solve_ivp, Radau IIA (5th order) with the analytic Jacobian, rtol = 1e-13,
 * atol = [1e-20, 1e-24, 1e-20]; BDF and LSODA at the same settings agree to
 * 1e-10 relative, and the same Radau run reproduces the test set's values at
 * t = 1e11 to 1e-11 relative.
 */
export const ROBERTSON_40 = [7.158270687194e-1, 9.18553476456e-6, 2.841637457458e-1];
export const ROBERTSON_1E5 = [1.78659211421e-2, 7.27475146844e-8, 9.821340061104e-1];

/**
 * Van der Pol with μ = 1000 in the time-scaled form of the IVP test set
 * (problem VDPOL): y1' = y2, y2' = ((1 − y1²) y2 − y1)/ε with ε = 1/μ² = 1e-6,
 * y(0) = (2, 0), t in [0, 2]; reference y(2) from the test set (computed
 * there with RADAU in extended precision, rtol = atol = 1.1e-18).
 */
export function vanDerPol(): OdeSystem {
  const epsilon = 1e-6;
  return {
    size: 2,
    autonomous: true,
    derivative(_t, y, dydt) {
      dydt[0] = y[1];
      dydt[1] = ((1 - y[0] * y[0]) * y[1] - y[0]) / epsilon;
    },
  };
}
export const VAN_DER_POL_2 = [0.1706167732170483e1, -0.8928097010247975];

/** y1' = −y2, y2' = y1: the circle (cos t, sin t); not stiff. */
export const rotation: OdeSystem = {
  size: 2,
  derivative(_t, y, dydt) {
    dydt[0] = -y[1];
    dydt[1] = y[0];
  },
};

/** y' = cos(t) y, y(0) = 1: y = exp(sin t). Non-autonomous, so a Rosenbrock step needs ∂f/∂t. */
export const periodicGrowth: OdeSystem = {
  size: 1,
  derivative(t, y, dydt) {
    dydt[0] = Math.cos(t) * y[0];
  },
};

/** Lotka-Volterra predator-prey (a = 1.5, b = 1, c = 3, d = 1), y0 = (1, 1): oscillates, not stiff. */
export const lotkaVolterra: OdeSystem = {
  size: 2,
  autonomous: true,
  derivative(_t, y, dydt) {
    dydt[0] = 1.5 * y[0] - y[0] * y[1];
    dydt[1] = -3 * y[1] + y[0] * y[1];
  },
};

/** The Brusselator (A = 1, B = 3), y0 = (1.5, 3): a limit cycle, not stiff (Prigogine & Lefever 1968, doi:10.1063/1.1668896). */
export const brusselator: OdeSystem = {
  size: 2,
  autonomous: true,
  derivative(_t, y, dydt) {
    const production = y[0] * y[0] * y[1];
    dydt[0] = 1 + production - 4 * y[0];
    dydt[1] = 3 * y[0] - production;
  },
};

/**
 * The heat equation u_t = u_xx on (0, 1), u = 0 at both ends, discretised by
 * central differences on n interior points (method of lines): stiff, with
 * eigenvalues from −π² to about −4(n+1)². Started from the lowest discrete
 * eigenvector u_i = sin(π x_i), its exact solution is that vector times
 * exp(λ1 t), λ1 = −4(n+1)² sin²(π/(2(n+1))).
 */
export function heatEquation(n: number): { system: OdeSystem; initial: number[]; exact(t: number): number[] } {
  const inverseDx2 = (n + 1) * (n + 1);
  const initial = Array.from({ length: n }, (_, i) => Math.sin((Math.PI * (i + 1)) / (n + 1)));
  const lambda = -4 * inverseDx2 * Math.sin(Math.PI / (2 * (n + 1))) ** 2;
  return {
    system: {
      size: n,
      autonomous: true,
      derivative(_t, u, dudt) {
        for (let i = 0; i < n; i++) dudt[i] = ((i > 0 ? u[i - 1] : 0) - 2 * u[i] + (i < n - 1 ? u[i + 1] : 0)) * inverseDx2;
      },
    },
    initial,
    exact: (t) => initial.map((u) => u * Math.exp(lambda * t)),
  };
}

/** Integrates to tEnd; returns the final state (a copy). */
export function integrate(
  integrator: { t: number; y: Float64Array; reset(t0: number, y0: Float64Array): void; step(tMax: number): number },
  y0: number[],
  tEnd: number,
): Float64Array {
  integrator.reset(0, Float64Array.from(y0));
  while (integrator.t < tEnd) integrator.step(tEnd);
  return Float64Array.from(integrator.y);
}

/** Largest relative error of y against reference. */
export function maxRelativeError(y: ArrayLike<number>, reference: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < reference.length; i++) worst = Math.max(worst, Math.abs(y[i] - reference[i]) / Math.abs(reference[i]));
  return worst;
}
