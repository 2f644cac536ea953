import { z } from 'zod';
import type { RandomSource } from '../../../sample/priors/types.js';
import type { GaussianProcess } from '../GaussianProcess.js';
import { SurrogateError } from '../SurrogateError.js';
import { integerSchema, parseOptions } from '../validation.js';
import { lcbExplorationWeight, lowerConfidenceBound } from './acquisition.js';
import { minimiseOverBox, type Bounds } from './minimiseOverBox.js';

export const proposeOptionsSchema = z.strictObject({
  /** Quasi-random candidates scored per proposal (default 256 · d, at most 4096). */
  candidates: integerSchema(1, 1 << 20).optional(),
  /** Best candidates polished by compass search (default 5). */
  refine: integerSchema(0, 1000).default(5),
  /** ε_η of the exploration schedule, in (0, 1) (default 0.1, as in Gutmann & Corander 2016). */
  epsilon: z
    .number({ error: 'expected a number in (0, 1)' })
    .gt(0, { error: 'expected a number in (0, 1)' })
    .lt(1, { error: 'expected a number in (0, 1)' })
    .default(0.1),
  /** Iteration t of the schedule (default: the GP's number of training points). */
  t: integerSchema(1).optional(),
});

export type ProposeOptions = z.input<typeof proposeOptionsSchema>;

/**
 * The next `batchSize` parameter points to simulate, inside the box
 * `bounds` (the prior's support), by minimising the BOLFI lower confidence
 * bound A_t(θ) = μ(θ) − √(η_t² v(θ)) (see acquisition.ts) over a shifted
 * Sobol candidate set with local refinement.
 *
 * Batches: the Kriging believer (Ginsbourger, Le Riche & Carraro 2010,
 * "Kriging is well-suited to parallelize optimization",
 * doi:10.1007/978-3-642-10701-6_6): after each pick the GP is conditioned on
 * its own predicted mean there (same hyperparameters), which collapses the
 * variance around the pick so the next one goes elsewhere; t advances with
 * each pick. The batch can then be simulated in parallel.
 */
export function proposeNext(gp: GaussianProcess, bounds: Bounds, batchSize: number, rng: RandomSource, options: ProposeOptions = {}): Float64Array[] {
  const o = parseOptions(proposeOptionsSchema, options, 'propose', 'proposal options');
  const d = gp.dimension;
  if (bounds.length !== d) throw new SurrogateError('proposeNext', 'bounds', `expected ${d} [lower, upper] pairs (one per parameter), got ${bounds.length}`);
  bounds.forEach(([lo, hi], k) => {
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi))
      throw new SurrogateError('proposeNext', `bounds[${k}]`, `expected finite lower < upper, got [${lo}, ${hi}]`);
  });
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new SurrogateError('proposeNext', 'batchSize', `expected an integer >= 1, got ${batchSize}`);
  const candidates = o.candidates ?? Math.min(256 * d, 4096);
  const proposals: Float64Array[] = [];
  let believer = gp;
  for (let b = 0; b < batchSize; b++) {
    const weight = lcbExplorationWeight((o.t ?? gp.size) + b, d, o.epsilon);
    const model = believer;
    const best = minimiseOverBox(
      (points) => lowerConfidenceBound(model, points, weight),
      (point) => lowerConfidenceBound(model, point, weight)[0],
      bounds,
      rng,
      candidates,
      o.refine,
    );
    proposals.push(best.x);
    if (b + 1 < batchSize) believer = believer.withObservations(best.x, believer.predict(best.x).mean);
  }
  return proposals;
}
