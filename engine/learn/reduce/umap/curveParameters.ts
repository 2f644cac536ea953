/** Parameters of UMAP's low-dimensional similarity 1 / (1 + a·d^(2b)). */
export interface CurveParameters {
  readonly a: number;
  readonly b: number;
}

const SAMPLES = 300;
const MAX_ITERATIONS = 200;

/**
 * Fits a and b of the embedding's similarity curve 1 / (1 + a·x^(2b)) to
 * the target "1 within minDist, exp(−(x − minDist) / spread) beyond" at 300
 * points evenly spaced over [0, 3·spread], by least squares (McInnes,
 * Healy & Melville 2018, arXiv:1802.03426, section 3.2 and appendix C;
 * umap-learn's find_ab_params, which calls scipy's curve_fit).
 *
 * Method: Levenberg-Marquardt (Marquardt 1963, doi:10.1137/0111030) on the
 * two parameters from (1, 1), the damping halved after a step that lowers
 * the residual and multiplied by 4 after one that does not, until a step
 * changes neither parameter by more than 1e-12 relative. Two unknowns, so
 * the normal equations are solved in closed form.
 */
export function fitCurveParameters(spread: number, minDist: number): CurveParameters {
  const xs = new Float64Array(SAMPLES);
  const ys = new Float64Array(SAMPLES);
  for (let s = 0; s < SAMPLES; s++) {
    xs[s] = (3 * spread * s) / (SAMPLES - 1);
    ys[s] = xs[s] < minDist ? 1 : Math.exp(-(xs[s] - minDist) / spread);
  }
  const residual = (a: number, b: number): number => {
    let sum = 0;
    for (let s = 0; s < SAMPLES; s++) {
      const r = 1 / (1 + a * Math.pow(xs[s], 2 * b)) - ys[s];
      sum += r * r;
    }
    return sum;
  };
  let a = 1;
  let b = 1;
  let current = residual(a, b);
  let damping = 1e-3;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    // Gauss-Newton pieces: J^T J (jaa, jab, jbb) and J^T r (ga, gb).
    let jaa = 0;
    let jab = 0;
    let jbb = 0;
    let ga = 0;
    let gb = 0;
    for (let s = 0; s < SAMPLES; s++) {
      const x = xs[s];
      if (x === 0) continue; // f = 1 and both derivatives vanish at x = 0
      const u = Math.pow(x, 2 * b);
      const f = 1 / (1 + a * u);
      const r = f - ys[s];
      const da = -u * f * f;
      const db = -2 * a * u * Math.log(x) * f * f;
      jaa += da * da;
      jab += da * db;
      jbb += db * db;
      ga += da * r;
      gb += db * r;
    }
    let stepped = false;
    while (damping < 1e12) {
      const maa = jaa * (1 + damping);
      const mbb = jbb * (1 + damping);
      const det = maa * mbb - jab * jab;
      const stepA = -(mbb * ga - jab * gb) / det;
      const stepB = -(maa * gb - jab * ga) / det;
      const trial = residual(a + stepA, b + stepB);
      if (Number.isFinite(trial) && trial <= current) {
        a += stepA;
        b += stepB;
        current = trial;
        damping = Math.max(damping / 2, 1e-12);
        stepped = Math.abs(stepA) > 1e-12 * Math.abs(a) || Math.abs(stepB) > 1e-12 * Math.abs(b);
        break;
      }
      damping *= 4;
    }
    if (!stepped) break;
  }
  return { a, b };
}
