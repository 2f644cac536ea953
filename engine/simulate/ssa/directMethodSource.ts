import type { CompiledNetwork } from '../../model/compile.js';
import { LOCAL_NAMES, propensityJs, rateConstantJs } from '../codegen/propensityJs.js';
import { EXPONENTIAL_LOCALS_JS, exponentialJs, uniformJs, XOSHIRO_LOCALS_JS, XOSHIRO_STORE_JS } from '../codegen/xoshiroJs.js';

/**
 * Source of a model-specific Gillespie direct method (Gillespie 1977,
 * "Exact stochastic simulation of coupled chemical reactions", J. Phys. Chem.
 * 81:2340, doi:10.1021/j100540a008).
 *
 * Why generate code: with species counts, propensities, rate constants and
 * the generator state all in function locals, V8 keeps the event loop in
 * registers; each reaction's branch updates its species and recomputes only
 * its dependents (Gibson & Bruck 2000, doi:10.1021/jp993732q) as straight-line
 * code. No allocation happens per event.
 *
 * The total propensity is updated incrementally after each event and
 * recomputed from scratch at every output time, which bounds round-off
 * drift, and whenever its sign is in doubt; if round-off lets the
 * selection run past the last reaction, the last reaction with a positive
 * propensity fires (the sum is exact to within one ulp per term, so this
 * changes nothing measurable).
 *
 * `order` is the sequence in which the selection scans reactions; scanning
 * the most frequent first (Cao, Li & Petzold 2004, "Efficient formulation of
 * the stochastic simulation algorithm", doi:10.1063/1.1778376) shortens the
 * search and does not change the distribution of trajectories.
 *
 * The waiting time is drawn by the ziggurat method (no logarithm in 99% of
 * events; see exponentialZiggurat). The generated factory takes the ziggurat
 * tables (ZX, ZF) and returns a function with the signature
 * (x0, p, vol, rng, grid, out, maxEvents) → events;
 * with countFirings, a Float64Array `fired` follows and counts each reaction.
 */
export function directMethodSource(network: CompiledNetwork, order: readonly number[], countFirings = false): string {
  const nS = network.speciesIds.length;
  const reactions = network.reactions;
  const nR = reactions.length;
  const a = (j: number) => `a${j}`;
  const lines: string[] = ['"use strict";', `return function directMethod(x0, p, vol, rng, grid, out, maxEvents${countFirings ? ', fired' : ''}) {`];

  lines.push(`let ${network.speciesIds.map((_, i) => `s${i}=x0[${i}]`).join(',')};`);
  if (network.parameterIds.length > 0) lines.push(`const ${network.parameterIds.map((_, i) => `p${i}=p[${i}]`).join(',')};`);
  reactions.forEach((r, j) => {
    if (!r.rate) return;
    lines.push(`const c${j}=${rateConstantJs(network, r, LOCAL_NAMES)};`);
    lines.push(
      `if(!(c${j}>=0&&c${j}<Infinity))throw new RangeError(${JSON.stringify(`reaction ${r.id}: rate constant is `)}+c${j}+"; expected a finite value >= 0");`,
    );
  });
  lines.push(`let ${reactions.map((_, j) => `${a(j)}=${propensityJs(network, j, LOCAL_NAMES, 'stochastic')}`).join(',')};`);
  lines.push(XOSHIRO_LOCALS_JS, EXPONENTIAL_LOCALS_JS);
  lines.push(`const nT=grid.length;let g=0,t=0,tn=0,u=0,events=0,total=${balancedSum(nR, a)};`);

  // Record the state at every grid time before tn; recompute the total there.
  const record: string[] = [];
  for (let s = 0; s < nS; s++) record.push(`out[g${s === 0 ? '' : `+${s * 1}*nT`}]=s${s};`);
  const custom = reactions.map((r, j) => (r.propensity ? j : -1)).filter((j) => j >= 0);
  const customCheck = custom.map((j) => `if(!(${a(j)}>=0))throw new RangeError(${JSON.stringify(`reaction ${reactions[j].id}: propensity is `)}+${a(j)}+" at t="+t+"; expected a finite value >= 0");`).join('');

  lines.push('for(;;){');
  // Incremental updates can leave a total that should be 0 at ±1e-17: recompute before trusting its sign.
  lines.push(`if(!(total>0))total=${balancedSum(nR, a)};`);
  lines.push(exponentialJs('u'));
  lines.push('tn=total>0?t+u/total:(total===0?Infinity:NaN);');
  lines.push(`if(grid[g]<tn){${customCheck}do{${record.join('')}g++;}while(g<nT&&grid[g]<tn);if(g===nT)break;total=${balancedSum(nR, a)};}`);
  // Only a negative or non-finite propensity gets here (a zero total ends the run above); name it if we can.
  lines.push(`if(!(total>0)){${customCheck}throw new RangeError("total propensity is "+total+" at t="+t+"; a propensity is negative or not finite");}`);
  lines.push('t=tn;');
  lines.push(uniformJs('u'));
  lines.push('u*=total;');

  const fire = (j: number): string => {
    const r = reactions[j];
    const body: string[] = countFirings ? [`fired[${j}]++;`] : [];
    for (const { species, delta } of r.changes) body.push(delta === 1 ? `s${species}++;` : delta === -1 ? `s${species}--;` : `s${species}+=${delta};`);
    for (const k of network.dependents[j]) {
      body.push(`u=${propensityJs(network, k, LOCAL_NAMES, 'stochastic')};total+=u-${a(k)};${a(k)}=u;`);
    }
    return body.join('');
  };

  order.forEach((j, position) => {
    const test = position === 0 ? `if(u<${a(j)})` : `else if((u-=${a(order[position - 1])})<${a(j)})`;
    lines.push(`${test}{${fire(j)}}`);
  });
  // Round-off fallback: the last reaction in scan order with a positive propensity.
  // If none is positive the running total was pure round-off: recompute it and draw again.
  const fallback = [...order].reverse().map((j, i) => `${i === 0 ? '' : 'else '}if(${a(j)}>0){${fire(j)}}`);
  lines.push(`else{${fallback.join('')}else{total=${balancedSum(nR, a)};continue;}}`);
  lines.push('if(++events>maxEvents)throw new RangeError("more than "+maxEvents+" events before t="+grid[nT-1]+"; stopped at t="+t+" (raise maxEvents if the model is meant to be this busy)");');
  lines.push('}');
  lines.push(XOSHIRO_STORE_JS);
  lines.push('return events;};');
  return lines.join('\n');
}

/** A pairwise sum expression; a balanced tree shortens the add dependency chain. */
function balancedSum(n: number, term: (i: number) => string, lo = 0, hi = n): string {
  if (hi - lo === 0) return '0';
  if (hi - lo === 1) return term(lo);
  const mid = (lo + hi) >> 1;
  return `(${balancedSum(n, term, lo, mid)}+${balancedSum(n, term, mid, hi)})`;
}
