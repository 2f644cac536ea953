/** cos(2 pi j / n) and sin(2 pi j / n) for j = 0..n-1: the tables the DFT kernels index with (j k) mod n. */
export interface TwiddleFactors {
  readonly n: number;
  readonly cos: Float64Array;
  readonly sin: Float64Array;
}

export function twiddleFactors(n: number): TwiddleFactors {
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const angle = (2 * Math.PI * j) / n;
    cos[j] = Math.cos(angle);
    sin[j] = Math.sin(angle);
  }
  return { n, cos, sin };
}
