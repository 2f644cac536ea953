import type { CompiledNetwork } from '../../engine/model/compile.js';
import { evaluateExpression } from '../../engine/model/expression/index.js';
import { Xoshiro128 } from '../../engine/sample/random/Xoshiro128.js';

/**
 * A textbook direct method, written the way one would without code
 * generation: propensities recomputed for every reaction after each event
 * by closures over arrays, Math.log for waiting times. Only a yardstick for
 * the benchmark table; the engine never uses it.
 */
export function naiveDirectMethod(network: CompiledNetwork, grid: Float64Array, out: Float64Array, rng: Xoshiro128): number {
  const nS = network.speciesIds.length;
  const nT = grid.length;
  const x = Float64Array.from(network.initialState);
  const vol = network.volume;
  const p = network.parameterValues;
  const lookupParameter = (name: string) => (name === 'vol' ? vol : p[network.parameterIds.indexOf(name)]);
  const propensity = network.reactions.map((r) => {
    if (r.propensity) {
      const ast = r.propensity;
      const index = new Map(network.speciesIds.map((id, i) => [id, i]));
      return () => evaluateExpression(ast, (name) => (index.has(name) ? x[index.get(name)!] : lookupParameter(name)));
    }
    const c = evaluateExpression(r.rate!, lookupParameter) / Math.pow(vol, r.order - 1);
    return () => {
      let a = c;
      for (const { species, count } of r.reactants) for (let m = 0; m < count; m++) a *= x[species] - m;
      return a;
    };
  });
  const a = new Float64Array(propensity.length);
  let t = 0;
  let g = 0;
  let events = 0;
  for (;;) {
    let total = 0;
    for (let j = 0; j < a.length; j++) total += a[j] = propensity[j]();
    const tn = total > 0 ? t - Math.log(rng.nextOpenDouble()) / total : Infinity;
    while (g < nT && grid[g] < tn) {
      for (let s = 0; s < nS; s++) out[s * nT + g] = x[s];
      g++;
    }
    if (g === nT) return events;
    t = tn;
    let u = rng.nextDouble() * total;
    let j = 0;
    while (j < a.length - 1 && u >= a[j]) u -= a[j++];
    for (const { species, delta } of network.reactions[j].changes) x[species] += delta;
    events++;
  }
}
