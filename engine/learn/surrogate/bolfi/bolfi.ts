import { z } from 'zod';
import { MAX_SEED, Xoshiro128 } from '../../../sample/random/index.js';
import { sobol } from '../../../sample/quasiRandom/index.js';
import { GaussianProcess } from '../GaussianProcess.js';
import { KERNEL_KINDS } from '../kernels.js';
import { SurrogateError } from '../SurrogateError.js';
import { choiceSchema, integerSchema, intervalSchema, parseOptions } from '../validation.js';
import { minimiseOverBox } from './minimiseOverBox.js';
import { proposeNext } from './proposeNext.js';

export const bolfiOptionsSchema = z.strictObject({
  /** The prior box: one [lower, upper] per parameter. Proposals stay inside it. */
  bounds: z.array(intervalSchema(), { error: 'expected an array of [lower, upper] pairs' }).min(1, { error: 'expected at least one parameter' }),
  /** Evaluations of the initial quasi-random design (default max(10, 5·d)). */
  initialEvaluations: integerSchema(2).optional(),
  /** Total evaluations, initial design included (default 40). */
  maxEvaluations: integerSchema(2).default(40),
  /** Points proposed and evaluated together after the initial design (default 1). */
  batchSize: integerSchema(1).default(1),
  /** Model log(discrepancy + logOffset) (default, as in the paper's examples) or the discrepancy itself. */
  transform: choiceSchema(['log', 'none']).default('log'),
  /** Added before the logarithm, for discrepancies that can be 0 (default 0). */
  logOffset: z.number({ error: 'expected a number >= 0' }).min(0, { error: 'expected a number >= 0' }).default(0),
  kernel: choiceSchema(KERNEL_KINDS).default('rbf'),
  /** Random restarts of each hyperparameter fit (default 2; the previous optimum is always a start). */
  restarts: integerSchema(0, 100).default(2),
  seed: integerSchema(0, MAX_SEED).default(0),
});

export type BolfiOptions = z.input<typeof bolfiOptionsSchema>;

export interface BolfiProgress {
  evaluations: number;
  /** Current estimate of the minimiser of the modelled discrepancy. */
  minimiser: Float64Array;
}

export interface BolfiResult {
  /** GP of the transformed discrepancy on every evaluation. */
  gp: GaussianProcess;
  /** Minimiser of the GP's posterior mean inside the box. */
  minimiser: Float64Array;
  /** Posterior mean of the discrepancy at the minimiser (back-transformed: exp(μ) − logOffset under "log"). */
  minimum: number;
  /** Every evaluated point and its discrepancy, in evaluation order. */
  thetas: Float64Array[];
  discrepancies: number[];
}

/**
 * Bayesian optimisation for likelihood-free inference, BOLFI (Gutmann &
 * Corander 2016, JMLR 17(125), https://jmlr.org/papers/v17/15-017.html):
 * model the (log) discrepancy between simulated and observed data as a GP
 * over the parameters, and choose each next simulation by the lower
 * confidence bound, so that simulations concentrate where the discrepancy is
 * small. Far fewer simulations than ABC rejection or SMC-ABC reach the
 * region of high posterior mass; the GP then serves as a surrogate likelihood.
 *
 * Loop: a shifted Sobol design of `initialEvaluations` points; then, until
 * `maxEvaluations`, refit the GP (warm-started at the previous
 * hyperparameters), `proposeNext` a batch, evaluate it. `discrepancy` gets a
 * batch of parameter vectors and resolves to one discrepancy each, so an
 * Executor can simulate a batch in parallel.
 */
export async function bolfi(
  discrepancy: (thetas: Float64Array[]) => Promise<number[]>,
  options: BolfiOptions,
  onProgress?: (progress: BolfiProgress) => void,
): Promise<BolfiResult> {
  const o = parseOptions(bolfiOptionsSchema, options, 'bolfi', 'BOLFI options');
  const d = o.bounds.length;
  const initialCount = Math.min(o.initialEvaluations ?? Math.max(10, 5 * d), o.maxEvaluations);
  const rng = Xoshiro128.fromSeed(o.seed, 0);
  const thetas: Float64Array[] = [];
  const discrepancies: number[] = [];
  const targets: number[] = [];

  const evaluate = async (batch: Float64Array[]): Promise<void> => {
    const values = await discrepancy(batch.map((t) => Float64Array.from(t)));
    if (!Array.isArray(values) || values.length !== batch.length) {
      throw new SurrogateError(
        'bolfi',
        'discrepancy',
        `expected ${batch.length} values (one per parameter vector), got ${Array.isArray(values) ? values.length : typeof values}`,
      );
    }
    values.forEach((v, i) => {
      if (!Number.isFinite(v)) throw new SurrogateError('bolfi', 'discrepancy', `expected a finite number, got ${v} at evaluation ${thetas.length + i}`);
      if (o.transform === 'log' && !(v + o.logOffset > 0)) {
        throw new SurrogateError(
          'bolfi',
          'discrepancy',
          `got ${v} at evaluation ${thetas.length + i}; the log transform needs discrepancy + logOffset > 0 (set logOffset, or transform: "none")`,
        );
      }
      thetas.push(batch[i]);
      discrepancies.push(v);
      targets.push(o.transform === 'log' ? Math.log(v + o.logOffset) : v);
    });
  };

  await evaluate(shiftedSobol(initialCount, o.bounds, rng));
  let gp = fitGp(thetas, targets, o, undefined, 0);
  for (let round = 1; thetas.length < o.maxEvaluations; round++) {
    const batch = proposeNext(gp, o.bounds, Math.min(o.batchSize, o.maxEvaluations - thetas.length), rng);
    await evaluate(batch);
    gp = fitGp(thetas, targets, o, gp, round);
    // Own stream, so that asking for progress does not change the proposals.
    if (onProgress) onProgress({ evaluations: thetas.length, minimiser: posteriorMinimum(gp, o.bounds, Xoshiro128.fromSeed(o.seed, 1, round)).x });
  }
  const best = posteriorMinimum(gp, o.bounds, Xoshiro128.fromSeed(o.seed, 2));
  return {
    gp,
    minimiser: best.x,
    minimum: o.transform === 'log' ? Math.exp(best.value) - o.logOffset : best.value,
    thetas,
    discrepancies,
  };
}

type Resolved = z.output<typeof bolfiOptionsSchema>;

function fitGp(thetas: Float64Array[], targets: number[], o: Resolved, previous: GaussianProcess | undefined, round: number): GaussianProcess {
  return GaussianProcess.fit(thetas, targets, {
    kernel: o.kernel,
    bounds: o.bounds.map(([lo, hi]) => [lo, hi] as [number, number]),
    restarts: o.restarts,
    seed: (o.seed + round) % (MAX_SEED + 1),
    initial: previous ? { ...previous.hyperparameters, lengthScales: [...previous.hyperparameters.lengthScales] } : undefined,
  });
}

/** Minimiser of the posterior mean over the box (the point estimate BOLFI reports). */
function posteriorMinimum(gp: GaussianProcess, bounds: ReadonlyArray<readonly [number, number]>, rng: Xoshiro128): { x: Float64Array; value: number } {
  const d = bounds.length;
  return minimiseOverBox(
    (p) => gp.predict(p).mean,
    (p) => gp.predict(p).mean[0],
    bounds,
    rng,
    Math.min(256 * d, 4096),
    5,
  );
}

function shiftedSobol(n: number, bounds: ReadonlyArray<readonly [number, number]>, rng: Xoshiro128): Float64Array[] {
  const d = bounds.length;
  const u = sobol(n, d, { skip: 1 });
  const shift = Array.from({ length: d }, () => rng.nextDouble());
  return Array.from({ length: n }, (_, i) =>
    Float64Array.from(bounds, ([lo, hi], k) => {
      const v = u[i * d + k] + shift[k];
      return lo + (v - Math.floor(v)) * (hi - lo);
    }),
  );
}
