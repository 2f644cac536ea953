/**
 * The Dormand-Prince RK5(4)7M tableau (Dormand & Prince 1980, "A family of
 * embedded Runge-Kutta formulae", J. Comput. Appl. Math. 6:19-26,
 * doi:10.1016/0771-050X(80)90013-3), with its nodes C, the error weights
 * E = b - b̂ (5th-order weights minus the embedded 4th-order ones) and the
 * dense-output coefficients D of Hairer, Nørsett & Wanner, Solving ODEs I
 * (2nd ed. 1993), §II.6 (DOPRI5). Shared by the classic count-model solver
 * (dormandPrince.ts) and the step-by-step integrator (dormandPrinceIntegrator.ts).
 */
export const C2 = 1 / 5,
  C3 = 3 / 10,
  C4 = 4 / 5,
  C5 = 8 / 9;
export const A21 = 1 / 5;
export const A31 = 3 / 40,
  A32 = 9 / 40;
export const A41 = 44 / 45,
  A42 = -56 / 15,
  A43 = 32 / 9;
export const A51 = 19372 / 6561,
  A52 = -25360 / 2187,
  A53 = 64448 / 6561,
  A54 = -212 / 729;
export const A61 = 9017 / 3168,
  A62 = -355 / 33,
  A63 = 46732 / 5247,
  A64 = 49 / 176,
  A65 = -5103 / 18656;
export const A71 = 35 / 384,
  A73 = 500 / 1113,
  A74 = 125 / 192,
  A75 = -2187 / 6784,
  A76 = 11 / 84;
export const E1 = 71 / 57600,
  E3 = -71 / 16695,
  E4 = 71 / 1920,
  E5 = -17253 / 339200,
  E6 = 22 / 525,
  E7 = -1 / 40;
export const D1 = -12715105075 / 11282082432,
  D3 = 87487479700 / 32700410799,
  D4 = -10690763975 / 1880347072;
export const D5 = 701980252875 / 199316789632,
  D6 = -1453857185 / 822651844,
  D7 = 69997945 / 29380423;
