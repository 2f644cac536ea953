/** Sum of squares, sum x_i^2 (tsfresh's `abs_energy`). */
export function absEnergy(x: Float64Array, offset: number, n: number): number {
  let s = 0;
  const end = offset + n;
  for (let i = offset; i < end; i++) s += x[i] * x[i];
  return s;
}
