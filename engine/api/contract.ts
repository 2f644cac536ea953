import { z } from 'zod';
import type { SimulatorDescription as TrustedSimulatorDescription } from '../trust/types.js';
// Free of Node built-ins, like this file: the renderer imports both.
import { SLURM_TIME } from '../compute/slurm/slurmText.js';

/**
 * The EngineApi contract: every method the app may call, with the zod schema
 * of its one argument object and the type of its result, and the events the
 * engine pushes. Three front doors speak it (Electron IPC in main/, HTTP +
 * WebSocket in engine/serve, and the CLI), and the renderer imports only
 * these types, so this file must stay free of Node built-ins.
 *
 * Everything crossing the boundary is plain JSON: typed arrays travel as
 * number arrays, matrices row-major with their shape alongside; non-finite
 * numbers (NaN features) travel as null.
 */

const id = z.number({ error: 'expected a numeric id' }).int({ error: 'expected an integer id' }).positive({ error: 'expected a positive id' });
const name = z
  .string({ error: 'expected a name (string)' })
  .trim()
  .min(1, { error: 'expected a non-empty name' })
  .max(200, { error: 'expected a name of at most 200 characters' });
// A NUL would cut the path short below Node (the checked path is not the opened one); see engine/paths.
const path = z
  .string({ error: 'expected a file path (string)' })
  .min(1, { error: 'expected a non-empty file path' })
  .max(4096, { error: 'file path too long' })
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, { error: 'the path contains a control character (such as NUL or a line break); choose a file name without it' });
const fingerprint = z
  .string({ error: 'expected a simulator fingerprint' })
  .regex(/^[0-9a-f]{64}$/, { error: 'expected a simulator fingerprint (64 hex digits, from trust.list)' });
/** A preview's own id, chosen by the caller, so that it can be cancelled while it runs. */
const previewId = z.string().min(1).max(100);
const seed = z
  .number({ error: 'expected an integer seed' })
  .int({ error: 'expected an integer seed' })
  .min(0, { error: 'expected a seed >= 0' })
  .max(2 ** 31 - 1, { error: 'expected a seed below 2^31' });
/** A run's seed: the whole range the engine's seed derivation takes (engine/sample MAX_SEED), as `sciope infer --seed` accepts it. */
const runSeed = z
  .number({ error: 'expected an integer seed' })
  .int({ error: 'expected an integer seed' })
  .min(0, { error: 'expected a seed >= 0' })
  .max(Number.MAX_SAFE_INTEGER, { error: 'expected a seed below 2^53' });
const positiveInt = (max: number, what: string) =>
  z
    .number({ error: `expected ${what} (an integer)` })
    .int({ error: `expected ${what} (an integer)` })
    .min(1, { error: `expected ${what} >= 1` })
    .max(max, { error: `expected ${what} <= ${max}` });
const finite = z.number({ error: 'expected a number' }).refine(Number.isFinite, { error: 'expected a finite number' });
const method = z.enum(['ssa', 'tau', 'ode', 'hybrid'], { error: 'expected "ssa", "tau", "ode" or "hybrid"' });

const none = z.strictObject({}).optional();
/** A remote run's id as `remote.submit` made it: the study's name, then 6 hex digits (a unique prefix will do). */
const remoteRunId = z
  .string({ error: 'expected a remote run id (string)' })
  .min(1, { error: 'expected a remote run id' })
  .max(100, { error: 'expected a remote run id of at most 100 characters' })
  .regex(/^[a-z0-9-]+$/, { error: 'expected a remote run id: lower-case letters, digits and "-" (see remote.list)' });

/** A prior as a study writes it (validated by engine/sample's registry, which names the bad field). */
const priorSpec = z.union([z.record(z.string(), z.unknown()), z.tuple([z.number(), z.number()])], {
  error: 'expected a prior object like {"kind": "uniform", "lower": 0, "upper": 1} or [lower, upper]',
});
const partSpec = z.looseObject({ kind: z.string({ error: 'expected a "kind"' }) }, { error: 'expected an object with a "kind"' });

export const apiSchemas = {
  'app.info': none,
  'projects.create': z.strictObject({ path }),
  'projects.open': z.strictObject({ path }),
  'projects.close': none,
  'projects.recent': none,
  'projects.contents': none,

  'models.examples': none,
  'models.addExample': z.strictObject({ example: name, name: name.optional() }),
  'models.importSbml': z.strictObject({
    name,
    xml: z
      .string({ error: 'expected the SBML document as text' })
      .min(1, { error: 'the SBML document is empty' })
      .max(50_000_000, { error: 'SBML document larger than 50 MB' }),
  }),
  /** Validate a model as the user types: returns the issues, never throws on a bad model. */
  'models.check': z.strictObject({ model: z.unknown() }),
  /**
   * Store a model. With `id`, the model is replaced in place when no study
   * uses it yet; otherwise a new model is stored (runs keep pointing at the
   * model they simulated).
   */
  'models.save': z.strictObject({ id: id.optional(), name, model: z.unknown() }),
  /** Refused while a study uses the model. */
  'models.delete': z.strictObject({ id }),
  'models.get': z.strictObject({ id }),
  /** A black-box simulator (JS module or external command, see docs/blackbox-protocol.md) used wherever a model is. Paths must be absolute. */
  'models.addSimulator': z.strictObject({ name, simulator: z.unknown() }),

  'simulate.preview': z.strictObject({
    modelId: id,
    runs: positiveInt(1000, 'the number of runs').default(10),
    tEnd: finite.refine((v) => v > 0, { error: 'expected an end time > 0' }).optional(),
    points: positiveInt(100_000, 'the number of time points').min(2, { error: 'expected at least 2 time points' }).default(101),
    /** Default: ssa for a model of molecule counts, ode for a model beyond counts (ModelDetail.countModel). */
    method: method.optional(),
    seed: seed.optional(),
    parameters: z.record(z.string(), finite).optional(),
    previewId: previewId.optional(),
    /** For ssa/tau on a model beyond counts: the substance unit ("mol", "nmol", "item", "1e-9 mole") or molecules per unit; default the model's. */
    substanceUnit: z.union([z.string().min(1).max(64), finite.refine((v) => v > 0, { error: 'expected molecules per unit > 0' })]).optional(),
  }),
  /** Stop a preview in progress (its call then fails with code CANCELLED). */
  'simulate.cancel': z.strictObject({ previewId }),

  'priors.sample': z.strictObject({
    priors: z.record(z.string(), priorSpec),
    n: positiveInt(100_000, 'the number of samples').default(1000),
    seed: seed.optional(),
  }),
  /** Default priors for a model's parameters: uniform over [value / 2, value * 2] ([2·value, value / 2] for a negative value, [0, 1] for zero), as Sciope's examples do. */
  'priors.defaults': z.strictObject({ modelId: id, parameters: z.array(z.string()).optional() }),

  'observed.importCsv': z.strictObject({
    name,
    csv: z.string({ error: 'expected the CSV as text' }).min(1, { error: 'the CSV is empty' }).max(50_000_000, { error: 'CSV larger than 50 MB' }),
    species: z.array(z.string()).optional(),
  }),
  'observed.get': z.strictObject({ id }),

  /** Always stores a new study (runs keep pointing at the study they ran). */
  'studies.save': z.strictObject({
    name,
    modelId: id,
    observedId: id,
    species: z.array(z.string()).optional(),
    priors: z.record(z.string(), priorSpec),
    summaries: partSpec.optional(),
    distance: partSpec.optional(),
    simulation: z.strictObject({ method: method.optional(), runsPerTrial: positiveInt(1000, 'runs per trial').optional() }).optional(),
    algorithm: partSpec.optional(),
    seed: seed.optional(),
    truth: z.record(z.string(), finite).optional(),
  }),
  'studies.get': z.strictObject({ id }),

  /**
   * The app's unsaved study draft for a model (priors, chosen parameters,
   * truth, statistics, algorithm), kept in the project so a reload or
   * another browser finds it again. The engine stores it as given (at most 1 MB of JSON).
   */
  'drafts.get': z.strictObject({ modelId: id }),
  'drafts.save': z.strictObject({ modelId: id, draft: z.record(z.string(), z.unknown(), { error: 'expected the draft as an object' }).nullable() }),

  'runs.start': z.strictObject({
    studyId: id,
    seed: runSeed.optional(),
    populationSize: positiveInt(1_000_000, 'the population size').min(2, { error: 'expected a population size >= 2' }).optional(),
    maxGenerations: positiveInt(1000, 'the number of generations').optional(),
  }),
  'runs.cancel': z.strictObject({ runId: id }),
  'runs.resume': z.strictObject({ runId: id }),
  'runs.list': z.strictObject({ studyId: id.optional() }).optional(),
  'runs.get': z.strictObject({ runId: id }),
  'runs.posterior': z.strictObject({ runId: id, generation: z.number().int().min(0).optional(), kdePoints: positiveInt(1000, 'KDE points').default(100) }),
  'runs.predictive': z.strictObject({ runId: id, samples: positiveInt(200, 'the number of posterior samples').default(20), seed: seed.optional() }),
  'runs.export': z.strictObject({
    runId: id,
    format: z.enum(['csv', 'json'], { error: 'expected "csv" or "json"' }),
    generation: z.number().int().min(0).optional(),
  }),
  'runs.delete': z.strictObject({ runId: id }),
  /** An NPE run's training curves: live while it runs here, else as stored with the run. */
  'runs.training': z.strictObject({ runId: id }),

  'explore.list': none,
  /** A new exploration session on a stored model; `session` is the session JSON of `sciope explore` without "model". */
  'explore.create': z.strictObject({ modelId: id, session: z.record(z.string(), z.unknown(), { error: 'expected the session settings as an object' }) }),
  'explore.open': z.strictObject({ name }),
  'explore.runBatch': z.strictObject({
    name,
    n: positiveInt(100_000, 'the batch size').optional(),
    /** Where the points come from: the session's design (default), a box of parameter values, around selected points, or given parameter rows (a proposal). */
    source: z
      .union(
        [
          z.literal('design'),
          z.strictObject({ kind: z.literal('box'), lower: z.record(z.string(), finite), upper: z.record(z.string(), finite) }),
          z.strictObject({
            kind: z.literal('around'),
            points: z.array(z.number().int().min(0)).min(1, { error: 'select at least one point' }),
            spread: finite.optional(),
          }),
          z.strictObject({ kind: z.literal('parameters'), parameters: z.array(z.array(finite)).min(1), strategy: z.string().optional() }),
        ],
        { error: 'expected "design", {"kind": "box"}, {"kind": "around"} or {"kind": "parameters"}' },
      )
      .optional(),
  }),
  'explore.embed': z.strictObject({ name, method: z.enum(['pca', 'umap', 'tsne'], { error: 'expected "pca", "umap" or "tsne"' }).optional() }),
  /** Point index → class index or name (new names become classes); null removes a label. */
  'explore.label': z.strictObject({
    name,
    labels: z.record(z.string().regex(/^\d+$/, { error: 'expected a point index' }), z.union([z.number().int().min(0), z.string().min(1), z.null()])),
    classes: z.array(z.string().min(1)).optional(),
  }),
  'explore.propagate': z.strictObject({ name }),
  /** Stop the session's batch or embedding in progress (its call then fails with code CANCELLED; finished batches stay). */
  'explore.cancel': z.strictObject({ name }),
  'explore.propose': z.strictObject({
    name,
    n: positiveInt(10_000, 'the number of points').optional(),
    strategy: z.enum(['entropy', 'margin', 'class'], { error: 'expected "entropy", "margin" or "class"' }).optional(),
    class: z.union([z.number().int().min(0), z.string().min(1)]).optional(),
  }),

  /** TensorFlow.js backend that training uses here ("tensorflow" native, "wasm" or "cpu"); loads it. */
  'learn.backend': none,
  /** Train summary statistics for a stored study (in the background; events learn.epoch, learn.finished). */
  'learn.train': z.strictObject({
    studyId: id,
    architecture: z.enum(['cnn', 'dnn', 'pen'], { error: 'expected "cnn", "dnn" or "pen"' }).default('cnn'),
    filters: z.array(positiveInt(1024, 'filters')).min(1).max(8).optional(),
    train: positiveInt(1_000_000, 'the training-set size').min(20, { error: 'expected at least 20 training series' }).default(2000),
    epochs: positiveInt(10_000, 'the number of epochs').default(50),
    batchSize: positiveInt(100_000, 'the batch size').default(64),
    learningRate: finite.refine((v) => v > 0, { error: 'expected a learning rate > 0' }).default(1e-3),
    patience: positiveInt(1000, 'the patience').default(10),
    validationSplit: z
      .number({ error: 'expected a fraction in (0, 1)' })
      .gt(0, { error: 'expected a fraction in (0, 1)' })
      .lt(1, { error: 'expected a fraction in (0, 1)' })
      .default(0.2),
    seed: runSeed.optional(),
    name: name.optional(),
  }),
  'learn.cancel': z.strictObject({ taskId: positiveInt(Number.MAX_SAFE_INTEGER, 'a task id') }),
  'learn.networks': none,

  /**
   * The trust model (README, Security): the black-box simulators of the open
   * project and whether the person at this machine approved each. Nothing
   * here can approve on its own: `trust.request` asks through a channel the
   * renderer cannot drive (a native dialog in Electron; in web mode a code
   * printed on the terminal of `sciope serve`, then given to `trust.approve`).
   */
  'trust.list': none,
  'trust.request': z.strictObject({ fingerprint }),
  'trust.approve': z.strictObject({ fingerprint, code: z.string().min(1).max(20) }),
  'trust.revoke': z.strictObject({ fingerprint }),

  'settings.get': none,
  'settings.setWorkers': z.strictObject({ workers: positiveInt(1024, 'the number of local workers').nullable() }),
  'settings.setNodes': z.strictObject({ nodes: z.array(z.record(z.string(), z.unknown())), executor: z.enum(['local', 'ssh', 'slurm']) }),
  'settings.checkNodes': z.strictObject({ nodes: z.array(z.record(z.string(), z.unknown())).min(1, { error: 'expected at least one node' }) }),
  /** Save the SLURM cluster (null forgets it); `use` makes it where simulations run (else the executor stays, or becomes local if it was slurm). */
  'settings.setSlurm': z.strictObject({ slurm: z.record(z.string(), z.unknown()).nullable(), use: z.boolean() }),
  'settings.checkSlurm': z.strictObject({ slurm: z.record(z.string(), z.unknown()) }),

  /**
   * Detached cluster runs (README, "Detached runs"): a stored study submitted
   * as one SLURM batch job on the cluster saved in Settings, which runs it
   * while this computer may sleep; followed, cancelled, continued and
   * fetched here. Remote runs belong to this computer's user (remote-runs.json
   * in the config folder), not to the open project, so they are listed from
   * any project; their ids come from remote.submit or remote.list.
   */
  'remote.submit': z.strictObject({
    studyId: id,
    seed: runSeed.optional(),
    populationSize: positiveInt(1_000_000, 'the population size').min(2, { error: 'expected a population size >= 2' }).optional(),
    maxGenerations: positiveInt(1000, 'the number of generations').optional(),
  }),
  /** With `refresh`, asks each cluster for the runs still queued or running (a run that ended is asked once); without, answers from what is known here. */
  'remote.list': z.strictObject({ refresh: z.boolean({ error: 'expected refresh: true or false' }).default(false) }).optional(),
  'remote.status': z.strictObject({ id: remoteRunId }),
  /** scancel the run's job; the generations it stored stay (remote.resume continues it). */
  'remote.cancel': z.strictObject({ id: remoteRunId }),
  /** Download the ended run: merged into the open project (default), or written as a project file at `out`. */
  'remote.fetch': z.strictObject({ id: remoteRunId, out: path.optional() }),
  /** A new job continues the run from its last stored generation (after a time limit, a cancel or a failure); `time` is its wall time. */
  'remote.resume': z.strictObject({
    id: remoteRunId,
    time: z
      .string({ error: 'expected a wall time (string)' })
      .regex(SLURM_TIME, { error: 'expected a wall time: minutes, MM:SS, HH:MM:SS or D-HH:MM:SS' })
      .optional(),
  }),
  /** Forget a run that is no longer queued or running (its files on the cluster stay). */
  'remote.forget': z.strictObject({ id: remoteRunId }),
} as const;

export type ApiMethod = keyof typeof apiSchemas;
export type ApiArgs<M extends ApiMethod> = z.input<(typeof apiSchemas)[M]>;
export type ApiParsedArgs<M extends ApiMethod> = z.output<(typeof apiSchemas)[M]>;

// ---- results ----

export interface ProjectSummary {
  readonly path: string;
  readonly name: string;
  readonly bytes: number;
  readonly schemaVersion: number;
}

export interface AppInfo {
  readonly engineVersion: string;
  readonly cores: number;
  readonly workers: number;
  readonly executor: 'local' | 'ssh' | 'slurm';
  readonly project: ProjectSummary | null;
}

export interface ModelListItem {
  readonly id: number;
  readonly name: string;
  readonly format: string;
  readonly createdAt: string;
}

export interface ParameterInfo {
  readonly id: string;
  readonly value: number;
}

export interface ModelDetail {
  readonly id: number;
  readonly name: string;
  readonly format: string;
  /** The model as JSON (engine/model schema); for a black-box simulator its declared interface. */
  readonly model: Record<string, unknown>;
  readonly species: readonly string[];
  readonly parameters: readonly ParameterInfo[];
  /** A sensible preview horizon (the example's, else 100). */
  readonly tEnd: number;
  /** False for a model beyond molecule counts (concentrations, real amounts, rate rules, delays...): ode is its default method, and ssa/tau run it converted to counts. */
  readonly countModel: boolean;
}

export interface ExampleInfo {
  readonly name: string;
  readonly title: string;
  readonly species: number;
  readonly reactions: number;
  readonly parameters: number;
}

export interface Issue {
  readonly path: string;
  readonly message: string;
}

export interface SbmlImportResult {
  readonly model: ModelDetail;
  readonly warnings: readonly { message: string; element?: string; id?: string; line?: number }[];
}

export interface SimulationPreview {
  readonly time: number[];
  readonly species: string[];
  readonly runs: number;
  /** runs × species × time, row-major. */
  readonly data: number[];
  /** species × time. */
  readonly mean: number[];
  readonly sd: number[];
  readonly seed: number;
  readonly events: number;
  readonly seconds: number;
  /** What the conversion to molecule counts did (rounded counts, units, expected work), when a stochastic method ran a model beyond counts. */
  readonly notes?: string[];
}

export interface PriorSample {
  readonly names: string[];
  /** n × names.length, row-major. */
  readonly samples: number[];
  readonly lower: number[];
  readonly upper: number[];
}

export interface ObservedDetail {
  readonly id: number;
  readonly name: string;
  readonly species: string[];
  readonly time: number[];
  readonly trajectories: number;
  /** trajectories × species × time. */
  readonly data: number[];
}

export interface StudyDetail {
  readonly id: number;
  readonly name: string;
  readonly modelId: number | null;
  readonly observedId: number | null;
  readonly config: Record<string, unknown>;
}

export type RunStatus = 'running' | 'completed' | 'interrupted' | 'failed' | 'cancelled';

export interface RunListItem {
  readonly id: number;
  /** How the run is listed: "#3 toggle-switch · smcAbc · seed 12". */
  readonly name: string;
  readonly studyId: number;
  readonly studyName: string;
  readonly algorithm: string;
  readonly status: RunStatus;
  readonly seed: number;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly generations: number;
  readonly simulations: number | null;
  readonly parameterNames: readonly string[];
  readonly error: string | null;
}

export interface GenerationSummary {
  readonly index: number;
  readonly epsilon: number;
  readonly acceptanceRate: number;
  readonly simulations: number;
  readonly ess: number;
  readonly count: number;
}

export interface RunDetail extends RunListItem {
  readonly generationList: readonly GenerationSummary[];
  readonly priors: Record<string, unknown>;
  readonly truth: Record<string, number> | null;
  readonly stopReason: string | null;
}

export interface MarginalSummary {
  readonly parameter: string;
  readonly mean: number;
  readonly median: number;
  readonly sd: number;
  readonly lower: number;
  readonly upper: number;
  /** Prior range shown behind the marginal. */
  readonly priorLower: number;
  readonly priorUpper: number;
  readonly truth: number | null;
  readonly kde: { x: number[]; density: number[] };
}

export interface PosteriorView {
  readonly runId: number;
  readonly generation: number;
  readonly parameterNames: string[];
  readonly count: number;
  /** count × parameters, row-major. */
  readonly particles: number[];
  readonly weights: number[];
  readonly distances: number[];
  readonly marginals: MarginalSummary[];
  readonly epsilons: number[];
}

export interface PredictiveCheck {
  readonly time: number[];
  readonly species: string[];
  readonly samples: number;
  /** samples × species × time: one trajectory per posterior sample. */
  readonly data: number[];
  readonly observed: ObservedDetail;
}

export interface ExportResult {
  readonly fileName: string;
  readonly mimeType: string;
  readonly content: string;
}

export interface ProjectContents {
  readonly project: ProjectSummary;
  readonly models: ModelListItem[];
  readonly observed: Array<{ id: number; name: string; createdAt: string }>;
  readonly studies: Array<{ id: number; name: string; modelId: number | null; observedId: number | null; createdAt: string }>;
  readonly runs: RunListItem[];
}

export interface NodeCheckReport {
  readonly node: string;
  readonly ok: boolean;
  readonly message: string;
  readonly facts: Record<string, unknown> | null;
}

export interface EngineSettings {
  readonly workers: number | null;
  readonly cores: number;
  readonly executor: 'local' | 'ssh' | 'slurm';
  readonly nodes: Array<Record<string, unknown>>;
  /** The SLURM cluster's settings (engine/compute/slurm/slurmSettings.ts), null when none was saved. */
  readonly slurm: Record<string, unknown> | null;
}

/** The pre-flight of a SLURM cluster (login node, SLURM, partition and limits; nothing submitted). */
export interface SlurmCheckReport {
  readonly cluster: string;
  readonly ok: boolean;
  readonly message: string;
  readonly facts: Record<string, unknown> | null;
}

/** An exploration session as the app shows it (points over all batches, in order). */
export interface ExplorationView {
  readonly name: string;
  readonly modelId: number | null;
  readonly parameterNames: string[];
  readonly bounds: Array<[number, number]>;
  /** Output times of the session's simulations. */
  readonly time: number[];
  readonly featureNames: string[];
  readonly classNames: string[];
  readonly batches: Array<{ index: number; first: number; count: number; origin: Record<string, unknown> }>;
  /** points × parameters. */
  readonly parameters: number[][];
  /** points × features (null where a feature is undefined). */
  readonly features: Array<Array<number | null>>;
  /** User labels: point index → class index. */
  readonly labels: Record<string, number>;
}

export interface ExplorationEmbedding {
  readonly method: 'pca' | 'umap' | 'tsne';
  readonly x: number[];
  readonly y: number[];
  readonly explainedVariance?: [number, number];
  readonly notes: string[];
  readonly seconds: number;
}

export interface ExplorationPropagation {
  readonly classes: string[];
  readonly soft: number[][];
  readonly hard: number[];
  readonly entropy: number[];
  readonly margin: number[];
  readonly gamma: number;
  readonly notes: string[];
}

export interface ExplorationProposal {
  readonly strategy: string;
  readonly parameterNames: string[];
  readonly parameters: number[][];
  readonly scores: number[];
  readonly predicted: number[][];
}

export interface NetworkListItem {
  readonly id: number;
  readonly name: string;
  readonly createdAt: string;
  readonly architecture: string | null;
  readonly parameters: string[];
  readonly species: string[];
  readonly backend: string | null;
  readonly trainingSize: number | null;
  readonly bestEpoch: number | null;
  /** Validation RMSE at the best epoch, in [0, 1]-scaled parameter units (1/√12 ≈ 0.29 is what the prior alone gives). */
  readonly validationRmse: number | null;
  /** Set when the network does not beat the prior alone on the validation series, overall or for some parameters (engine/learn/nn/priorReference). */
  readonly warning: string | null;
  readonly trainLoss: number[];
  readonly valLoss: number[];
}

export interface LearnEpochEvent {
  readonly type: 'learn.epoch';
  readonly taskId: number;
  readonly epoch: number;
  readonly epochs: number;
  readonly trainLoss: number;
  readonly valLoss: number;
  readonly learningRate: number;
  readonly elapsedSeconds: number;
  readonly best: boolean;
}

export interface LearnFinishedEvent {
  readonly type: 'learn.finished';
  readonly taskId: number;
  readonly status: 'completed' | 'failed' | 'cancelled';
  readonly networkId: number | null;
  readonly backend: string | null;
  readonly error: WireError | null;
}

export interface TaskProgressEvent {
  readonly type: 'task.progress';
  /** e.g. `explore:<session>` or `learn:<name>`. */
  readonly task: string;
  readonly completed: number;
  readonly total: number;
  readonly message: string;
}

/** A black-box simulator of the project as the person approving it sees it (engine/trust). */
export type { TrustedSimulatorDescription };

export interface TrustListItem {
  /** Null when the simulator cannot be described (e.g. its module is missing): see `problem`. */
  readonly fingerprint: string | null;
  /** Where the project uses it: `model "x"`, `run 3`. */
  readonly usedBy: readonly string[];
  readonly approved: boolean;
  readonly description: TrustedSimulatorDescription | null;
  /** The description in plain lines (what the approval dialog shows). */
  readonly text: string | null;
  readonly problem: string | null;
}

export interface TrustList {
  /** The project file approvals are tied to. */
  readonly scope: string;
  readonly simulators: readonly TrustListItem[];
}

export interface TrustRequestResult {
  readonly approved: boolean;
  /** `dialog`: answered in a native dialog; `code`: `sciope serve` printed a code to give to trust.approve. */
  readonly via: 'dialog' | 'code';
}

/**
 * Where a remote run stands (engine/compute/slurm/batch/remoteOutcome.ts):
 * queued or running in SLURM; completed (fetch it); cancelled, failed or
 * stopped by SLURM before the run did (resume it).
 */
export type RemotePhase = 'queued' | 'running' | 'completed' | 'cancelled' | 'failed' | 'stopped';

/** A detached cluster run as the app lists it: SLURM's view of its job and the run's progress as the job wrote it. */
export interface RemoteRunView {
  readonly id: string;
  readonly study: string;
  /** The cluster's name, or user@host:port. */
  readonly cluster: string;
  readonly createdAt: string;
  /** The job now responsible for the run (the last one submitted), and how many jobs it took so far. */
  readonly jobId: string;
  readonly jobs: number;
  /** The project a fetch merges into by default (where it was submitted from), if any. */
  readonly localProject: string | null;
  /**
   * The run's copy in the open project, added by an earlier fetch and still
   * there (a second fetch into it is refused, naming this run); null: Fetch adds it.
   */
  readonly fetched: { readonly runId: number; readonly project: string } | null;
  readonly cancelledAt: string | null;
  /** SLURM's state of the job (PENDING, RUNNING, COMPLETED, TIMEOUT, CANCELLED...); null until the cluster was asked. */
  readonly state: string | null;
  /** Why a job waits (Priority, Resources...), or how it ended when only that is known. */
  readonly reason: string | null;
  readonly exitCode: number | null;
  readonly phase: RemotePhase | null;
  /** What can be done next: fetch the finished run, or continue it in a new job. */
  readonly action: 'fetch' | 'resume' | null;
  /** The run's status in the remote project; null before its first write. */
  readonly runStatus: RunStatus | null;
  readonly generations: readonly GenerationSummary[];
  /** The last generation's index, tolerance and acceptance rate (null before the first). */
  readonly generation: number | null;
  readonly epsilon: number | null;
  readonly acceptanceRate: number | null;
  readonly simulations: number | null;
  readonly stopReason: string | null;
  readonly error: string | null;
  /** Seconds from submission to now, or to when the last job ended. */
  readonly elapsedSeconds: number | null;
  /** The end of the job's log, for a job that ended without completing the run. */
  readonly logTail: string;
  /** When the cluster was last asked. */
  readonly checkedAt: string | null;
  /** Why the cluster could not be asked (unreachable, host key...); the rest is the last known. */
  readonly problem: string | null;
}

export interface RemoteFetchResult {
  readonly run: RemoteRunView;
  /** The project file written, or merged into. */
  readonly project: string;
  /** The run's id in that project. */
  readonly runId: number;
  readonly merged: boolean;
}

export interface ApiResults {
  'app.info': AppInfo;
  'projects.create': ProjectSummary;
  'projects.open': ProjectSummary;
  'projects.close': null;
  'projects.recent': string[];
  'projects.contents': ProjectContents;
  'models.examples': ExampleInfo[];
  'models.addExample': ModelDetail;
  'models.importSbml': SbmlImportResult;
  'models.check': { issues: Issue[] };
  'models.save': ModelDetail;
  'models.get': ModelDetail;
  'models.delete': null;
  'models.addSimulator': ModelDetail;
  'simulate.preview': SimulationPreview;
  'priors.sample': PriorSample;
  'priors.defaults': { priors: Record<string, { kind: string; lower: number; upper: number }> };
  'observed.importCsv': ObservedDetail;
  'observed.get': ObservedDetail;
  'studies.save': StudyDetail;
  'studies.get': StudyDetail;
  /** The stored draft for the model, or null when there is none. */
  'drafts.get': { draft: Record<string, unknown> | null };
  'drafts.save': null;
  'runs.start': { runId: number };
  'runs.cancel': null;
  'runs.resume': { runId: number };
  'runs.list': RunListItem[];
  'runs.get': RunDetail;
  'runs.posterior': PosteriorView;
  'runs.predictive': PredictiveCheck;
  'runs.export': ExportResult;
  'runs.delete': null;
  'runs.training': RunTraining;
  'explore.list': string[];
  'explore.create': ExplorationView;
  'explore.open': ExplorationView;
  'explore.runBatch': ExplorationView;
  'explore.embed': ExplorationEmbedding;
  'explore.label': ExplorationView;
  'explore.propagate': ExplorationPropagation;
  'explore.cancel': { cancelled: boolean };
  'explore.propose': ExplorationProposal;
  'learn.backend': { backend: string };
  'learn.train': { taskId: number };
  'learn.cancel': null;
  'learn.networks': NetworkListItem[];
  'simulate.cancel': { cancelled: boolean };
  'trust.list': TrustList;
  'trust.request': TrustRequestResult;
  'trust.approve': TrustList;
  'trust.revoke': TrustList;
  'settings.get': EngineSettings;
  'settings.setWorkers': EngineSettings;
  'settings.setNodes': EngineSettings;
  'settings.checkNodes': NodeCheckReport[];
  'settings.setSlurm': EngineSettings;
  'settings.checkSlurm': SlurmCheckReport;
  'remote.submit': RemoteRunView;
  'remote.list': RemoteRunView[];
  'remote.status': RemoteRunView;
  'remote.cancel': RemoteRunView;
  'remote.fetch': RemoteFetchResult;
  'remote.resume': RemoteRunView;
  'remote.forget': null;
}

// ---- events ----

export interface RunProgressEvent {
  readonly type: 'run.progress';
  readonly runId: number;
  readonly phase: 'sampling' | 'generation';
  readonly generation: number;
  readonly epsilon: number;
  readonly accepted: number;
  readonly populationSize: number;
  readonly acceptanceRate: number;
  readonly simulations: number;
  readonly elapsedSeconds: number;
  /** Estimated from the generations so far and maxGenerations; null when unknown. */
  readonly remainingSeconds: number | null;
  readonly maxGenerations: number | null;
}

/** One training epoch of a neural estimator (NPE); losses are null where not finite. */
export interface TrainingEpoch {
  readonly epoch: number;
  readonly trainLoss: number | null;
  readonly validationLoss: number | null;
  readonly best: boolean;
}

/**
 * Epochs of an NPE run's estimator since the last such event (sent at most
 * every 100 ms, and at the end of each round), in order.
 */
export interface RunTrainingEvent {
  readonly type: 'run.training';
  readonly runId: number;
  /** Round from 0 (0 for NPE; later rounds are SNPE-C). */
  readonly round: number;
  readonly epochs: readonly TrainingEpoch[];
  readonly elapsedSeconds: number;
}

/** One round's training as `runs.training` gives it. */
export interface TrainingRoundView {
  readonly round: number;
  /** Simulations of the round; null while the round is still training. */
  readonly simulations: number | null;
  readonly trainLoss: ReadonlyArray<number | null>;
  readonly validationLoss: ReadonlyArray<number | null>;
  /** 1-based epoch whose weights were kept; null while training. */
  readonly bestEpoch: number | null;
}

export interface RunTraining {
  readonly runId: number;
  /** True while the run trains in this engine (later epochs arrive as run.training events). */
  readonly live: boolean;
  /** Empty for a run without a neural estimator (ABC) or before its first epoch. */
  readonly rounds: readonly TrainingRoundView[];
  /** The planned rounds (the study's), when known. */
  readonly plannedRounds: number | null;
  /** The epoch limit per round, for the chart's axis. */
  readonly maxEpochs: number | null;
}

export interface RunFinishedEvent {
  readonly type: 'run.finished';
  readonly runId: number;
  readonly status: RunStatus;
  readonly error: WireError | null;
}

export interface ProjectChangedEvent {
  readonly type: 'project.changed';
  readonly project: ProjectSummary | null;
}

export type EngineEvent =
  | RunProgressEvent
  | RunTrainingEvent
  | RunFinishedEvent
  | ProjectChangedEvent
  | TaskProgressEvent
  | LearnEpochEvent
  | LearnFinishedEvent;

/** An error as it crosses IPC or HTTP: never a stack trace. */
export interface WireError {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly details: Record<string, unknown>;
}

/** The typed surface the renderer programs against (window.sciope in Electron, HTTP/WebSocket in web mode). */
export interface EngineClient {
  call<M extends ApiMethod>(method: M, args?: ApiArgs<M>): Promise<ApiResults[M]>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
}

export const API_METHODS = Object.keys(apiSchemas) as ApiMethod[];

/** What one call returns across IPC (Electron drops an Error's fields, so errors travel as values). */
export type CallOutcome<T = unknown> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: WireError };

/** The one global the Electron preload exposes (window.sciope). */
export interface PreloadBridge {
  readonly version: string;
  readonly platform: string;
  call(method: string, args: unknown): Promise<CallOutcome>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Native dialogs and menu commands, handled by main/ (absent in web mode). */
  openFileDialog?(options: {
    title?: string;
    filters?: Array<{ name: string; extensions: string[] }>;
    save?: boolean;
    defaultPath?: string;
  }): Promise<string | null>;
  onMenuCommand?(listener: (command: string, payload?: unknown) => void): () => void;
}
