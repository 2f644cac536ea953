/**
 * Stationary covariance functions of the scaled distance
 * r² = Σ_k ((x_k − x'_k) / ℓ_k)² (ARD length scales), as profiles of r²:
 * k(x, x') = σ_f² κ(r²). Rasmussen & Williams 2006, GPML, §4.2, eqs. 4.9
 * (squared exponential) and 4.17 (Matérn ν = 3/2, 5/2),
 * http://gaussianprocess.org/gpml/.
 *
 * For the gradient of the marginal likelihood each profile also returns
 * η(r²) = −2 dκ/d(r²), so that ∂κ/∂log ℓ_k = η(r²) · ((x_k − x'_k)/ℓ_k)²;
 * for the Matérn kernels the 1/r of the chain rule cancels, so η is finite at r = 0.
 */
export const KERNEL_KINDS = ['rbf', 'matern32', 'matern52'] as const;
export type KernelKind = (typeof KERNEL_KINDS)[number];

export interface KernelProfile {
  /** κ(r²), with κ(0) = 1. */
  value(r2: number): number;
  /** η(r²) = −2 dκ/d(r²). */
  lengthScaleFactor(r2: number): number;
}

const SQRT3 = Math.sqrt(3);
const SQRT5 = Math.sqrt(5);

const rbf: KernelProfile = {
  value: (r2) => Math.exp(-0.5 * r2),
  lengthScaleFactor: (r2) => Math.exp(-0.5 * r2),
};

const matern32: KernelProfile = {
  value: (r2) => {
    const s = SQRT3 * Math.sqrt(r2);
    return (1 + s) * Math.exp(-s);
  },
  lengthScaleFactor: (r2) => 3 * Math.exp(-SQRT3 * Math.sqrt(r2)),
};

const matern52: KernelProfile = {
  value: (r2) => {
    const s = SQRT5 * Math.sqrt(r2);
    return (1 + s + (5 / 3) * r2) * Math.exp(-s);
  },
  lengthScaleFactor: (r2) => {
    const s = SQRT5 * Math.sqrt(r2);
    return (5 / 3) * (1 + s) * Math.exp(-s);
  },
};

export function kernelProfile(kind: KernelKind): KernelProfile {
  switch (kind) {
    case 'rbf':
      return rbf;
    case 'matern32':
      return matern32;
    case 'matern52':
      return matern52;
  }
}

/** Rows of `x` (n × d, row-major) divided by the length scales: z = x / ℓ. */
export function scaleByLengths(x: Float64Array, n: number, d: number, lengthScales: ArrayLike<number>, out = new Float64Array(n * d)): Float64Array {
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) out[i * d + k] = x[i * d + k] / lengthScales[k];
  return out;
}

/** σ_f² κ(|z_i − z_j|²) for the rows of z (already divided by ℓ): the n × n noise-free covariance. */
export function covarianceMatrix(
  profile: KernelProfile,
  z: Float64Array,
  n: number,
  d: number,
  signalVariance: number,
  out = new Float64Array(n * n),
): Float64Array {
  for (let i = 0; i < n; i++) {
    out[i * n + i] = signalVariance;
    for (let j = 0; j < i; j++) {
      let r2 = 0;
      for (let k = 0; k < d; k++) {
        const t = z[i * d + k] - z[j * d + k];
        r2 += t * t;
      }
      const v = signalVariance * profile.value(r2);
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
  return out;
}

/** Cross-covariance (m × n, row-major) between the rows of za (m × d) and zb (n × d), both already divided by ℓ. */
export function crossCovariance(
  profile: KernelProfile,
  za: Float64Array,
  m: number,
  zb: Float64Array,
  n: number,
  d: number,
  signalVariance: number,
  out = new Float64Array(m * n),
): Float64Array {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let r2 = 0;
      for (let k = 0; k < d; k++) {
        const t = za[i * d + k] - zb[j * d + k];
        r2 += t * t;
      }
      out[i * n + j] = signalVariance * profile.value(r2);
    }
  }
  return out;
}
