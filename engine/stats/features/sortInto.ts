/**
 * Copy x[offset .. offset + n) into `out` and sort it ascending (numeric
 * order, NaN last). When `out.length === n` no memory is allocated; a longer
 * `out` is sorted through a subarray view (one small allocation).
 */
export function sortInto(x: Float64Array, offset: number, n: number, out: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) out[i] = x[offset + i];
  return out.length === n ? out.sort() : out.subarray(0, n).sort();
}
