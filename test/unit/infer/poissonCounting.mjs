// A JS-module black-box simulator for the tests: a Poisson counting process
// N(t) with rate `rate` (exponential waiting times from xorshift32 uniforms),
// a deterministic function of (parameters, seed, time).
export function simulate({ parameters, seed, time }) {
  let state = seed >>> 0 || 1;
  const uniform = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return (state + 0.5) / 4294967296;
  };
  const counts = new Array(time.length);
  let t = 0;
  let n = 0;
  let g = 0;
  for (;;) {
    t += -Math.log(uniform()) / parameters.rate;
    while (g < time.length && time[g] < t) counts[g++] = n;
    if (g >= time.length) return { species: ['N'], data: [counts] };
    n++;
  }
}
