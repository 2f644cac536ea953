/**
 * RODAS4: the stiffly accurate L-stable Rosenbrock method of order 4 (3 for
 * the embedded error estimate) with 6 stages, Hairer & Wanner, Solving
 * Ordinary Differential Equations II (2nd ed. 1996, doi:10.1007/978-3-642-05221-7),
 * §VI.4 (the method) and §IV.7 (Rosenbrock methods, in the transformed
 * form that needs no matrix-vector products); coefficients as in their code
 * rodas.f (METH = 1). Stage i solves
 *   (I/(γh) − J) k_i = f(t + c_i h, y + Σ a_ij k_j) + h d_i ∂f/∂t + Σ c_ij k_j / h,
 * the 6th-stage argument is the embedded solution and y1 = it + k6, so k6 is
 * the error estimate. The dense output (rodas.f, CONTRO) is
 *   y(t + θh) = (1−θ) y0 + θ (y1 + (1−θ)(Σ d2j k_j + θ Σ d3j k_j)).
 */
export const GAMMA = 0.25;
export const C2 = 0.386,
  C3 = 0.21,
  C4 = 0.63;
/** γ_i sums: the factors of h ∂f/∂t in stages 1-4 (0 in stages 5 and 6). */
export const D1 = 0.25,
  D2 = -0.1043,
  D3 = 0.1035,
  D4 = -0.3620000000000023e-1;
export const A21 = 0.1544e1;
export const A31 = 0.9466785280815826,
  A32 = 0.2557011698983284;
export const A41 = 0.3314825187068521e1,
  A42 = 0.2896124015972201e1,
  A43 = 0.9986419139977817;
export const A51 = 0.1221224509226641e1,
  A52 = 0.6019134481288629e1,
  A53 = 0.1253708332932087e2,
  A54 = -0.687886036105895;
export const C21 = -0.56688e1;
export const C31 = -0.2430093356833875e1,
  C32 = -0.2063599157091915;
export const C41 = -0.1073529058151375,
  C42 = -0.9594562251023355e1,
  C43 = -0.2047028614809616e2;
export const C51 = 0.7496443313967647e1,
  C52 = -0.1024680431464352e2,
  C53 = -0.3399990352819905e2,
  C54 = 0.117089089320616e2;
export const C61 = 0.8083246795921522e1,
  C62 = -0.7981132988064893e1,
  C63 = -0.3152159432874371e2,
  C64 = 0.1631930543123136e2,
  C65 = -0.6058818238834054e1;
/** Dense output weights. */
export const D21 = 0.1012623508344586e2,
  D22 = -0.7487995877610167e1,
  D23 = -0.3480091861555747e2,
  D24 = -0.7992771707568823e1,
  D25 = 0.1025137723295662e1;
export const D31 = -0.6762803392801253,
  D32 = 0.6087714651680015e1,
  D33 = 0.1643084320892478e2,
  D34 = 0.2476722511418386e2,
  D35 = -0.6594389125716872e1;
