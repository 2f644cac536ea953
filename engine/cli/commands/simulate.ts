import { existsSync } from 'node:fs';
import { addTrustOption, ensureSimulatorApproved, type TrustFlags } from '../simulatorApproval.js';
import { dirname } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { assertCountModel, beyondCounts } from '../../model/countModel.js';
import { describeConversion, toMoleculeCounts } from '../../model/counts/index.js';
import { DEFAULT_MAX_EVENTS } from '../../simulate/budget.js';
import { defaultMethodFor } from '../../simulate/createModelSimulator.js';
import { SIMULATION_METHODS, uniformTimeGrid, type SimulationMethod, type TrajectoryEnsemble } from '../../simulate/index.js';
import type { Executor, SimulationJob, Trial } from '../../compute/executor.js';
import { mapInOrderedChunks } from '../../compute/orderedChunks.js';
import { addExecutorOptions, createExecutor, type ExecutorFlags } from '../executorOptions.js';
import { SimulationSettingsError } from '../../errors/index.js';
import { MAX_SEED } from '../../sample/index.js';
import { loadModelArgument } from '../modelSource.js';
import { readJsonFile } from '../jsonFile.js';
import { blackBoxModel, parseBlackBoxSpec, resolveSpecPaths, type BlackBoxSimulatorSpec } from '../../simulate/blackbox/spec.js';
import { openTrajectoryWriter, type TrajectoryWriter } from '../output/trajectoryWriters.js';
import { FinalStateSummary, formatNumber, formatTable } from '../output/finalStateSummary.js';
import { ProgressBar } from '../progressBar.js';
import { randomSeed } from '../../sample/random/randomSeed.js';

interface SimulateOptions extends ExecutorFlags, TrustFlags {
  /** Absent: 1 for the deterministic ode (every run is the same), else 10. */
  runs?: number;
  seed?: number;
  tEnd?: number;
  points?: number;
  substanceUnit?: string;
  /** Absent: the exact SSA for a count model, ode for a model beyond counts (see defaultMethodFor). */
  method?: SimulationMethod;
  out?: string;
  param: Record<string, number>;
  quiet?: boolean;
}

const integerOption =
  (name: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} expects an integer between ${min} and ${max}, got "${value}"`);
    }
    return n;
  };

const positiveNumber = (name: string) => (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} expects a number > 0, got "${value}"`);
  return n;
};

function parameterOverride(value: string, previous: Record<string, number>): Record<string, number> {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(value);
  const n = match ? Number(match[2]) : NaN;
  if (!match || !Number.isFinite(n)) throw new InvalidArgumentError(`--param expects name=value with a finite number, got "${value}"`);
  return { ...previous, [match[1]]: n };
}

/** Runs per chunk and executor thread, at most: bounds memory when streaming many trajectories to a file. */
const CHUNK_RUNS = 256;
/** Runs per chunk and executor thread, at least: a chunk of a few batches per thread. */
const MIN_CHUNK_RUNS = 8;

/**
 * Trials in chunks for mapInOrderedChunks: each at most a quarter of the runs
 * left, so the chunks shrink towards the end and little is left to write
 * once the last trajectory is simulated. Trajectory i is trial i with the
 * random stream (seed, i, 0), whatever the chunking.
 */
function* trialChunks(runCount: number, concurrency: number, parameters: Float64Array): Generator<Trial[]> {
  for (let first = 0; first < runCount; ) {
    const left = runCount - first;
    const runs = Math.min(left, CHUNK_RUNS * concurrency, Math.max(MIN_CHUNK_RUNS * concurrency, Math.ceil(left / 4)));
    yield Array.from({ length: runs }, (_, i) => ({ index: first + i, parameters, stream: [first + i] }));
    first += runs;
  }
}

export function registerSimulate(program: Command): void {
  const command = program
    .command('simulate')
    .description('simulate a model (built-in example name, model.json or SBML file)')
    .argument(
      '<model>',
      'example name (see `sciope examples`), a model JSON file, an SBML file (.xml, .sbml), or a black-box simulator JSON file ({"simulator": {...}}, see docs/blackbox-protocol.md)',
    )
    .option('-n, --runs <N>', 'number of trajectories (default 10; 1 with --method ode, where every run is the same)', integerOption('--runs', 1, 10_000_000))
    .option('-s, --seed <S>', 'random seed (integer); random if omitted, and printed', integerOption('--seed', 0, MAX_SEED))
    .option('-t, --t-end <T>', "end time (default: the model's time span, else 100)", positiveNumber('--t-end'))
    .option('-p, --points <P>', 'number of output time points including t = 0', integerOption('--points', 2, 10_000_000))
    .option(
      '-m, --method <method>',
      `simulation method: ${SIMULATION_METHODS.join(' | ')} (default: ssa for a model of molecule counts, ode for a model with concentrations, rate rules, delays...)`,
      (v: string) => {
        if (!(SIMULATION_METHODS as readonly string[]).includes(v))
          throw new InvalidArgumentError(`expected one of ${SIMULATION_METHODS.join(', ')}, got "${v}"`);
        return v as SimulationMethod;
      },
    )
    .option('-o, --out <file>', 'write trajectories to a .csv or .json file')
    .option('--param <name=value>', 'override a parameter value (repeatable)', parameterOverride, {})
    .option(
      '--substance-unit <unit>',
      'for ssa/tau on a model in amounts or concentrations: the substance unit (mol, mmol, µmol, item, "1e-9 mole") or molecules per unit; default: the model\'s units',
    )
    .option('-q, --quiet', 'no summary table');
  addTrustOption(command);
  addExecutorOptions(command, 1).action((model: string, options: SimulateOptions) => simulateCommand(model, options));
}

/** A `{"simulator": {...}}` JSON file (a black-box simulator, paths relative to the file), else null. */
function readSimulatorFile(argument: string): BlackBoxSimulatorSpec | null {
  if (!/\.json$/i.test(argument) || !existsSync(argument)) return null;
  const json = readJsonFile(argument) as { simulator?: unknown } | null;
  if (json === null || typeof json !== 'object' || !('simulator' in json)) return null;
  return resolveSpecPaths(parseBlackBoxSpec(json.simulator, argument), dirname(argument));
}

async function simulateCommand(modelArgument: string, options: SimulateOptions): Promise<void> {
  // Started first: the worker threads load while this thread reads and checks the model.
  const executor = await createExecutor(options, 1);
  executor.start?.();
  const interrupted = new AbortController();
  try {
    await simulateOn(executor, modelArgument, options, interrupted);
  } catch (error) {
    if (!interrupted.signal.aborted) throw error;
  } finally {
    await executor.close();
  }
  // Cancelled and cleaned up: end the process as Ctrl-C does (the listener is gone).
  if (interrupted.signal.aborted) process.kill(process.pid, 'SIGINT');
}

async function simulateOn(executor: Executor, modelArgument: string, options: SimulateOptions, interrupted: AbortController): Promise<void> {
  const simulator = readSimulatorFile(modelArgument);
  if (simulator) await ensureSimulatorApproved(simulator, modelArgument, options);
  const loaded = simulator ? null : await loadModelArgument(modelArgument);
  if (options.method === undefined) {
    options.method = loaded ? defaultMethodFor(loaded) : 'ssa';
    if (loaded && options.method === 'ode')
      process.stderr.write(
        `sciope: ${modelArgument} is not a model of molecule counts (${beyondCounts(loaded)[0].message}...); simulating it with --method ode (--method ssa converts it to counts)\n`,
      );
  }
  // A stochastic method on a model in amounts or concentrations: convert to molecule counts here, before any executor
  // starts, and say what the conversion did (or refuse with every reason).
  let counted = loaded;
  if (loaded && options.method !== 'ode' && beyondCounts(loaded).length > 0) {
    const unit =
      options.substanceUnit === undefined ? undefined : Number.isFinite(Number(options.substanceUnit)) ? Number(options.substanceUnit) : options.substanceUnit;
    const conversion = toMoleculeCounts(loaded, {
      substanceUnit: unit,
      endTime: options.tEnd,
      source: modelArgument,
      ...(options.method === 'hybrid' ? { rateRules: 'keep' as const } : {}),
    });
    for (const line of describeConversion(conversion.report)) process.stderr.write(`sciope: ${line}\n`);
    // Far beyond the event budget the exact SSA would only burn minutes before failing: stop now with the number.
    const expected = conversion.report.feasibility.expectedEvents;
    if (options.method === 'ssa' && expected !== null && expected > 10 * DEFAULT_MAX_EVENTS.ssa) {
      throw new SimulationSettingsError(
        '--method',
        `the exact SSA would need about ${expected.toExponential(2)} reaction events per trajectory (budget ${DEFAULT_MAX_EVENTS.ssa.toExponential(0)}); use --method tau or --method ode (or --substance-unit with fewer molecules per unit)`,
      );
    }
    counted = conversion.model;
  } else if (options.substanceUnit !== undefined) {
    throw new SimulationSettingsError(
      '--substance-unit',
      options.method === 'ode'
        ? 'only for --method ssa, tau or hybrid (the ODE simulates amounts and concentrations as they are)'
        : 'the model is already in molecule counts',
    );
  }
  if (counted && options.method !== 'ode' && options.method !== 'hybrid') assertCountModel(counted, options.method);
  const runCount = options.runs ?? (options.method === 'ode' ? 1 : 10);
  const model = counted ?? { ...blackBoxModel(simulator!), name: blackBoxModel(simulator!).name ?? 'simulator' };
  const network = counted
    ? {
        parameterValues: counted.parameters.map((p) => p.value),
        parameterIds: counted.parameters.map((p) => p.id),
        speciesIds: counted.species.map((s) => s.id),
        time: counted.time,
      }
    : {
        parameterValues: simulator!.parameters.map((p) => p.value),
        parameterIds: simulator!.parameters.map((p) => p.id),
        speciesIds: simulator!.species,
        time: undefined,
      };
  const parameters = Float64Array.from(network.parameterValues);
  for (const [name, value] of Object.entries(options.param)) {
    const index = network.parameterIds.indexOf(name);
    if (index < 0)
      throw new SimulationSettingsError('--param', `unknown parameter "${name}"; the model's parameters are ${network.parameterIds.join(', ') || '(none)'}`);
    parameters[index] = value;
  }
  const end = options.tEnd ?? network.time?.end ?? 100;
  const points = options.points ?? (options.tEnd === undefined ? network.time?.points : undefined) ?? 101;
  const grid = uniformTimeGrid(end, points);
  const seed = options.seed ?? randomSeed();
  const speciesIds = network.speciesIds;

  // Trajectory i is trial i of a job: its random stream is (seed, i, 0) whichever executor runs it,
  // so --workers and --executor change the speed, never the numbers.
  const job: SimulationJob = {
    model,
    ...(simulator ? { simulator } : {}),
    method: options.method,
    time: Array.from(grid),
    parameterIds: network.parameterIds,
    runsPerTrial: 1,
    statistics: null,
    returnTrajectories: true,
    seed,
  };
  const runInfo = {
    model: model.name,
    method: options.method,
    seed,
    runs: runCount,
    parameters: Object.fromEntries(network.parameterIds.map((id, i) => [id, parameters[i]])),
  };
  const writer: TrajectoryWriter | undefined = options.out ? openTrajectoryWriter(options.out, runInfo, speciesIds, grid) : undefined;
  const summary = new FinalStateSummary(speciesIds);
  const progress = new ProgressBar(process.stderr, `simulating ${model.name}`);
  const block = speciesIds.length * grid.length;
  let events = 0;
  const started = performance.now();
  // Ctrl-C while simulating stops the simulations and removes the unfinished file.
  const interrupt = () => interrupted.abort();
  process.once('SIGINT', interrupt);
  let finished = false;
  try {
    // The executor simulates the next chunk while this thread writes the last (see mapInOrderedChunks).
    await mapInOrderedChunks(
      executor,
      job,
      trialChunks(runCount, executor.concurrency, parameters),
      (results, trials) => {
        const first = trials[0].index;
        const data = new Float64Array(trials.length * block);
        let chunkEvents = 0;
        for (const r of results) {
          data.set(r.trajectories!, (r.index - first) * block);
          chunkEvents += r.events;
        }
        const chunk: TrajectoryEnsemble = { speciesIds, time: grid, runs: trials.length, data, events: chunkEvents };
        events += chunkEvents;
        summary.add(chunk);
        writer?.write(chunk, first);
      },
      { signal: interrupted.signal, onProgress: (done) => progress.update(done, runCount) },
    );
    finished = true;
  } finally {
    process.removeListener('SIGINT', interrupt);
    progress.done();
    // A failed or cancelled run leaves no partial file: the output gets its name only when complete.
    if (finished) writer?.close();
    else writer?.discard();
  }
  const seconds = (performance.now() - started) / 1000;
  if (options.quiet) return;

  const unit = simulator ? 'simulations' : options.method === 'ssa' ? 'events' : options.method === 'tau' ? 'leaps' : 'steps';
  const lines = [
    `${model.name}: ${runCount} trajector${runCount === 1 ? 'y' : 'ies'}, method ${options.method}, seed ${seed}, t = 0..${end} (${points} points)`,
    '',
    formatTable(
      ['species', `mean at t=${end}`, 'sd'],
      summary.rows().map((r) => [r.species, formatNumber(r.mean), formatNumber(r.sd)]),
    ),
    '',
    `${unit}: ${events.toLocaleString('en-US')} (${formatNumber(events / runCount)} per trajectory)`,
    `wall time: ${seconds.toFixed(3)} s, ${((seconds * 1000) / runCount).toFixed(2)} ms per trajectory, ${formatNumber(events / seconds / 1e6)} M ${unit}/s`,
  ];
  if (options.out) lines.push(`trajectories written to ${options.out}`);
  process.stdout.write(lines.join('\n') + '\n');
}
