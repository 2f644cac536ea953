import { dirname, join } from 'node:path';
import { parseStudy, runStudy, type AlgorithmSettings } from '../../../engine/infer/study.js';
import type { ObservedData } from '../../../engine/infer/observedData.js';
import type { Posterior } from '../../../engine/infer/Posterior.js';
import { blackBoxModel } from '../../../engine/simulate/blackbox/spec.js';
import { markApprovedInProcess } from '../../../engine/trust/approvedInProcess.js';
import { describeSimulator } from '../../../engine/trust/describeSimulator.js';
import type { PartSpec } from '../../../engine/stats/types.js';
import { dataNames, type AccuracyTask, type TaskPriorSpec } from './tasks/index.js';
import type { PublishedAlgorithm } from './published.js';

/** What an algorithm gets for one run: a task, one observation, a simulation budget, a seed. */
export interface AlgorithmRunContext {
  readonly task: AccuracyTask;
  /** sbibm's observation number, 1..10. */
  readonly observation: number;
  /** The observed data x_o (task.dataDimension values). */
  readonly observed: Float64Array;
  /** Simulations the run may use. */
  readonly budget: number;
  readonly seed: number;
  readonly signal?: AbortSignal;
}

/** A posterior sample: rows of the task's parameters (in task.parameters order), weighted or not. */
export interface AlgorithmRunResult {
  readonly particles: Float64Array;
  /** Importance weights (any positive scale); absent: equal weights. */
  readonly weights?: Float64Array;
  /** Simulations the run used. */
  readonly simulations: number;
  /** Whatever the algorithm wants recorded in accuracy.json (generations, epsilon, stop reason...). */
  readonly details?: Record<string, unknown>;
}

/**
 * One row family of the table: an algorithm with its settings. To add one
 * (NPE, SNPE, SMC-ABC with other options), add an entry to ALGORITHMS, or
 * pass your own list to runAccuracyBenchmark; `--algorithms` picks by id.
 */
export interface AccuracyAlgorithm {
  /** Short id for the command line and the JSON, e.g. "smc-abc". */
  readonly id: string;
  /** Label in the table. */
  readonly label: string;
  /** sbibm's published algorithm to show next to it. */
  readonly compareWith?: PublishedAlgorithm;
  /**
   * How its particles become the 10,000 rows C2ST compares: `kde` (a Gaussian
   * KDE with cross-validated bandwidth, what sbibm did for its ABC rows; see
   * kdeResample.ts) or `weights` (multinomial resampling of the particles; for
   * algorithms that return 10,000 posterior draws already). Default weights.
   */
  readonly resample?: 'kde' | 'weights';
  readonly run: (context: AlgorithmRunContext) => Promise<AlgorithmRunResult>;
}

const priorMean = (p: TaskPriorSpec) => (p.kind === 'uniform' ? (p.lower + p.upper) / 2 : p.kind === 'normal' ? p.mean : Math.exp(p.mu));

/** The observed vector as the engine's observed data: one single-point series per data column. */
export function observedData(task: AccuracyTask, observed: Float64Array): ObservedData {
  return { speciesIds: dataNames(task.dataDimension), time: Float64Array.of(0), runs: 1, data: Float64Array.from(observed), events: 0, labels: ['x_o'] };
}

/**
 * The study of one task and observation, as a user would write it: the
 * task's module as a black-box simulator, its priors, identity statistics
 * (the data are the statistics, as in sbibm's ABC), a distance and an
 * algorithm. sbibm's ABC uses the plain L2 distance on the raw data.
 */
export function taskStudyJson(context: AlgorithmRunContext, algorithm: AlgorithmSettings, distance: PartSpec = { kind: 'euclidean' }): Record<string, unknown> {
  const { task } = context;
  return {
    name: `${task.name} observation ${context.observation}`,
    model: {
      simulator: {
        kind: 'module',
        name: task.name,
        path: task.modulePath,
        parameters: task.parameters.map((p) => ({ id: p.id, value: priorMean(p.prior) })),
        species: dataNames(task.dataDimension),
      },
    },
    observed: 'x_o',
    priors: Object.fromEntries(task.parameters.map((p) => [p.id, p.prior])),
    summaries: { kind: 'identity' },
    distance,
    algorithm,
    seed: context.seed,
  };
}

/** Run a study of the task through the engine's public study path (parseStudy, runStudy) and return its posterior. */
export async function runTaskStudy(context: AlgorithmRunContext, algorithm: AlgorithmSettings, distance?: PartSpec): Promise<Posterior> {
  const source = join(dirname(context.task.modulePath), `${context.task.name}-observation-${context.observation}.json`);
  const study = parseStudy(taskStudyJson(context, algorithm, distance), source);
  // The task modules are this repository's own code: running the benchmark is approving them, as `--trust` does.
  markApprovedInProcess(describeSimulator(study.simulator!).fingerprint);
  return runStudy(study, blackBoxModel(study.simulator!), observedData(context.task, context.observed), { signal: context.signal });
}

/** The last generation of a posterior, its columns in the task's parameter order. */
export function lastPopulation(task: AccuracyTask, posterior: Posterior): { particles: Float64Array; weights: Float64Array } {
  const last = posterior.last;
  const d = task.parameters.length;
  const columns = task.parameters.map((p) => posterior.parameterNames.indexOf(p.id));
  const missing = task.parameters.filter((_, k) => columns[k] < 0).map((p) => p.id);
  if (missing.length > 0) throw new Error(`${task.name}: the posterior lacks parameter(s) ${missing.join(', ')}`);
  const particles = new Float64Array(last.count * d);
  for (let r = 0; r < last.count; r++) for (let k = 0; k < d; k++) particles[r * d + k] = last.particles[r * last.dimension + columns[k]];
  return { particles, weights: Float64Array.from(last.weights) };
}

function fromPosterior(task: AccuracyTask, posterior: Posterior): AlgorithmRunResult {
  const generations = posterior.generations;
  return {
    ...lastPopulation(task, posterior),
    simulations: posterior.simulations,
    details: {
      stopReason: posterior.stopReason,
      generations: generations.length,
      epsilon: generations[generations.length - 1].epsilon,
      ess: generations[generations.length - 1].ess,
    },
  };
}

/**
 * REJ-ABC as sbibm ran it (sbibm/algorithms/sbi/mcabc.py): the whole
 * budget from the prior, the 100 nearest in L2 on the raw data kept
 * (num_top_samples = 100), equal weights, smoothed by a KDE (sbibm's
 * kde_bandwidth "cv", in its main-paper configuration rej-abc.yaml).
 */
export const rejectionAbc: AccuracyAlgorithm = {
  id: 'rej-abc',
  label: 'REJ-ABC',
  compareWith: 'REJ-ABC',
  resample: 'kde',
  run: async (context) => fromPosterior(context.task, await runTaskStudy(context, { kind: 'abcRejection', budget: context.budget, k: 100 })),
};

/**
 * SMC-ABC with sbibm's population sizes (sbibm/algorithms/sbi/smcabc.py:
 * 100 particles up to 10,000 simulations, 1,000 beyond), L2 distance, the
 * engine's defaults otherwise (median-quantile epsilon, Gaussian kernel with
 * twice the weighted covariance unless `kernel` says otherwise, regression
 * adjustment as every study),
 * stopped by the budget; the last population smoothed by a weighted KDE
 * (sbibm: kde_bandwidth "cv"; see kdeResample.ts for ours).
 */
export function smcAbcAlgorithm(
  options: {
    id?: string;
    label?: string;
    resample?: 'kde' | 'weights';
    populationSize?: (budget: number) => number;
    distance?: PartSpec;
    /** The perturbation kernel for a task's parameter count and the population size (default: the engine's). */
    kernel?: (parameters: number, populationSize: number) => PartSpec;
    settings?: Partial<Extract<AlgorithmSettings, { kind: 'smcAbc' }>>;
  } = {},
): AccuracyAlgorithm {
  const population = options.populationSize ?? ((budget: number) => (budget > 10_000 ? 1000 : 100));
  return {
    id: options.id ?? 'smc-abc',
    label: options.label ?? 'SMC-ABC',
    compareWith: 'SMC-ABC',
    resample: options.resample ?? 'kde',
    run: async (context) => {
      const populationSize = population(context.budget);
      const settings: AlgorithmSettings = {
        kind: 'smcAbc',
        populationSize,
        maxSimulations: context.budget,
        maxGenerations: 1000,
        minAcceptanceRate: 0,
        ...(options.kernel ? { kernel: options.kernel(context.task.parameters.length, populationSize) } : {}),
        ...options.settings,
      };
      return fromPosterior(context.task, await runTaskStudy(context, settings, options.distance));
    },
  };
}

/**
 * The kernel of the table's SMC-ABC: the engine's nearest-neighbour kernel
 * (`{"kind": "nearestNeighbour"}`: each particle moves with the covariance
 * of its 25 % nearest neighbours; pyABC's local transition, Klinger et al.
 * 2018, doi:10.1093/bioinformatics/bty361) when those neighbours are at
 * least five per parameter, else the engine's default global kernel (twice
 * the weighted covariance). This is the algorithm's setting, not the
 * benchmark's protocol: a user picks the kernel the same way in a study or
 * the Inference view. Why local: the global kernel proposes across the gaps
 * of curved and multimodal posteriors; on two_moons (10,000 simulations,
 * observations 1-3) it ends at epsilon 0.05-0.06 after 8-9 generations,
 * the local one at 0.02 after 11-12, and C2ST (2 of 5 folds, <= 300
 * epochs) drops from 0.705 to 0.601 on average. Why not always: with 100
 * particles in 10-D (gaussian_linear) 25 neighbours estimate a local
 * covariance badly, the proposal density is very uneven and the importance
 * weights collapse (ESS 1.7 and 4.7 of about 90 on observations 1-2).
 * sbibm, too, chose its SMC-ABC's kernel and schedule.
 */
export function smcAbcKernel(parameters: number, populationSize: number): PartSpec {
  return 0.25 * populationSize >= 5 * parameters ? { kind: 'nearestNeighbour' } : { kind: 'multivariateNormal' };
}

/** Every algorithm `--algorithms` can name. */
export const ALGORITHMS: readonly AccuracyAlgorithm[] = [
  rejectionAbc,
  smcAbcAlgorithm({ kernel: smcAbcKernel }),
  // The engine's default kernel (twice the global weighted covariance) on every task, for comparison.
  smcAbcAlgorithm({ id: 'smc-abc-global', label: 'SMC-ABC (global kernel)' }),
  // The brief's alternative: 1,000 particles at every budget (sbibm's rule uses 100 up to 10,000 simulations).
  smcAbcAlgorithm({ id: 'smc-abc-1000', label: 'SMC-ABC (1,000 particles)', populationSize: () => 1000, kernel: smcAbcKernel }),
  // The same runs without the KDE: what resampling the particles themselves scores.
  { ...rejectionAbc, id: 'rej-abc-particles', label: 'REJ-ABC (particles)', resample: 'weights' },
  smcAbcAlgorithm({ id: 'smc-abc-particles', label: 'SMC-ABC (particles)', resample: 'weights', kernel: smcAbcKernel }),
];

/** What `npm run bench:accuracy` runs when no --algorithms is given. */
export const DEFAULT_ALGORITHMS: readonly string[] = ['rej-abc', 'smc-abc'];
