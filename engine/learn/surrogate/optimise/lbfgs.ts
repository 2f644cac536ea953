/**
 * Limited-memory BFGS for smooth unconstrained minimisation (Nocedal &
 * Wright 2006, Numerical Optimization, 2nd ed., alg. 7.4 (two-loop
 * recursion) and 7.5, doi:10.1007/978-0-387-40065-5; Liu & Nocedal 1989,
 * doi:10.1007/BF01589116).
 *
 * Line search: backtracking from the unit step with the Armijo condition
 * (c₁ = 1e-4); a pair (s, y) enters the memory only when sᵀy > 0 (the
 * curvature condition), which keeps the inverse-Hessian approximation
 * positive definite without a full Wolfe search. Non-finite objective values
 * (e.g. a failed Cholesky factorisation) are treated as "step too long".
 */
export interface LbfgsOptions {
  /** Pairs kept (default 8). */
  readonly memory?: number;
  /** Iterations (default 100). */
  readonly maxIterations?: number;
  /** Stop when max |gradient| falls below this (default 1e-6). */
  readonly gradientTolerance?: number;
  /** Stop when the relative decrease of f in one iteration falls below this (default 1e-10). */
  readonly valueTolerance?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

/** Objective: f(x) and its gradient written into `gradient`. */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export function lbfgs(f: Objective, x0: ArrayLike<number>, options: LbfgsOptions = {}): LbfgsResult {
  const m = options.memory ?? 8;
  const maxIterations = options.maxIterations ?? 100;
  const gtol = options.gradientTolerance ?? 1e-6;
  const ftol = options.valueTolerance ?? 1e-10;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let fx = f(x, g);
  let evaluations = 1;
  if (!Number.isFinite(fx)) return { x, value: fx, iterations: 0, evaluations, converged: false };
  const sList: Float64Array[] = [];
  const yList: Float64Array[] = [];
  const rho: number[] = [];
  const direction = new Float64Array(n);
  const alphas = new Float64Array(m);
  const xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (maxAbs(g) < gtol) return { x, value: fx, iterations: iteration, evaluations, converged: true };
    // Two-loop recursion: direction = −H g.
    for (let i = 0; i < n; i++) direction[i] = -g[i];
    for (let j = sList.length - 1; j >= 0; j--) {
      alphas[j] = rho[j] * dot(sList[j], direction);
      axpy(-alphas[j], yList[j], direction);
    }
    if (sList.length > 0) {
      const last = sList.length - 1;
      const gamma = dot(sList[last], yList[last]) / dot(yList[last], yList[last]);
      for (let i = 0; i < n; i++) direction[i] *= gamma;
    } else {
      // First step: a unit-length steepest-descent move, so the scale of g does not matter.
      const norm = Math.sqrt(dot(g, g));
      for (let i = 0; i < n; i++) direction[i] /= Math.max(norm, 1e-12);
    }
    for (let j = 0; j < sList.length; j++) {
      const beta = rho[j] * dot(yList[j], direction);
      axpy(alphas[j] - beta, sList[j], direction);
    }
    let slope = dot(g, direction);
    if (!(slope < 0)) {
      // Not a descent direction (stale memory): restart from steepest descent.
      sList.length = yList.length = rho.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -g[i];
      slope = dot(g, direction);
    }
    let step = 1;
    let fNew = Infinity;
    let accepted = false;
    for (let trial = 0; trial < 40; trial++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * direction[i];
      fNew = f(xNew, gNew);
      evaluations++;
      if (Number.isFinite(fNew) && fNew <= fx + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= Number.isFinite(fNew) ? 0.5 : 0.1;
    }
    if (!accepted) return { x, value: fx, iterations: iteration, evaluations, converged: false };
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (sList.length === m) {
        sList.shift();
        yList.shift();
        rho.shift();
      }
      sList.push(s);
      yList.push(y);
      rho.push(1 / sy);
    }
    const decrease = fx - fNew;
    x = Float64Array.from(xNew);
    const swap = g;
    g = gNew;
    gNew = swap;
    fx = fNew;
    if (decrease <= ftol * Math.max(1, Math.abs(fx))) return { x, value: fx, iterations: iteration + 1, evaluations, converged: true };
  }
  return { x, value: fx, iterations: maxIterations, evaluations, converged: false };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
