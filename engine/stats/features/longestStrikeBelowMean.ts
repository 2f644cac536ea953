/** Length of the longest run of consecutive values strictly below `mean` (tsfresh's `longest_strike_below_mean`); 0 if none. */
export function longestStrikeBelowMean(x: Float64Array, offset: number, n: number, mean: number): number {
  let longest = 0;
  let run = 0;
  const end = offset + n;
  for (let i = offset; i < end; i++) {
    if (x[i] < mean) {
      run++;
      if (run > longest) longest = run;
    } else run = 0;
  }
  return longest;
}
