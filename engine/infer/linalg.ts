/**
 * Small dense linear algebra for d × d covariance matrices (d = number of
 * parameters, rarely above 20), row-major Float64Arrays.
 */

/** Weighted mean of n row vectors (rows of `x`, n × d). */
export function weightedMean(x: Float64Array, weights: ArrayLike<number>, d: number): Float64Array {
  const n = weights.length;
  const mean = new Float64Array(d);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += weights[i];
    for (let k = 0; k < d; k++) mean[k] += weights[i] * x[i * d + k];
  }
  for (let k = 0; k < d; k++) mean[k] /= total;
  return mean;
}

/** Weighted covariance Σ w_i (x_i − m)(x_i − m)ᵀ / Σ w_i (the biased form pyABC and Beaumont et al. use). */
export function weightedCovariance(x: Float64Array, weights: ArrayLike<number>, d: number): Float64Array {
  const n = weights.length;
  const mean = weightedMean(x, weights, d);
  const cov = new Float64Array(d * d);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    total += w;
    for (let a = 0; a < d; a++) {
      const da = x[i * d + a] - mean[a];
      for (let b = 0; b <= a; b++) cov[a * d + b] += w * da * (x[i * d + b] - mean[b]);
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      cov[a * d + b] /= total;
      cov[b * d + a] = cov[a * d + b];
    }
  }
  return cov;
}

/**
 * Lower Cholesky factor L (L Lᵀ = A) of a symmetric matrix. When A is
 * singular or not quite positive definite (a parameter that no longer
 * varies), a small ridge proportional to its diagonal is added until the
 * factorisation succeeds.
 */
export function cholesky(a: Float64Array, d: number): Float64Array {
  let scale = 0;
  for (let k = 0; k < d; k++) scale = Math.max(scale, Math.abs(a[k * d + k]));
  if (!(scale > 0)) scale = 1;
  for (let ridge = 0, attempt = 0; attempt < 40; attempt++, ridge = ridge === 0 ? 1e-12 * scale : ridge * 10) {
    const l = tryCholesky(a, d, ridge);
    if (l) return l;
  }
  throw new RangeError('covariance matrix is not positive definite');
}

function tryCholesky(a: Float64Array, d: number, ridge: number): Float64Array | null {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j] + (i === j ? ridge : 0);
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return null;
        l[i * d + i] = Math.sqrt(s);
      } else {
        l[i * d + j] = s / l[j * d + j];
      }
    }
  }
  return l;
}

/** log det of L Lᵀ from its Cholesky factor. */
export function logDetFromCholesky(l: Float64Array, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += Math.log(l[k * d + k]);
  return 2 * s;
}

/** Squared Mahalanobis norm ‖L⁻¹ v‖² by forward substitution; `scratch` has length d. */
export function mahalanobisSquared(l: Float64Array, d: number, v: ArrayLike<number>, scratch: Float64Array): number {
  let q = 0;
  for (let i = 0; i < d; i++) {
    let s = v[i];
    for (let k = 0; k < i; k++) s -= l[i * d + k] * scratch[k];
    const y = s / l[i * d + i];
    scratch[i] = y;
    q += y * y;
  }
  return q;
}

export const LOG_2PI = Math.log(2 * Math.PI);

/** x = center + L z with z standard normal (L a lower Cholesky factor, `z` scratch of length d). */
export function drawMultivariateNormal(
  center: ArrayLike<number>,
  l: Float64Array,
  d: number,
  rng: { nextNormal(): number },
  z: Float64Array,
  out: Float64Array,
): void {
  for (let k = 0; k < d; k++) z[k] = rng.nextNormal();
  for (let i = 0; i < d; i++) {
    let s = center[i];
    for (let k = 0; k <= i; k++) s += l[i * d + k] * z[k];
    out[i] = s;
  }
}
