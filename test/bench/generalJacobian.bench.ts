/**
 * `npx tsx test/bench/generalJacobian.bench.ts`: the general simulator's
 * stiff integrator (RODAS4) with the Jacobian generated from the expression
 * trees (engine/simulate/general/analyticJacobian.ts) against finite
 * differences (`analyticJacobian: false`), one thread.
 *
 * Each row simulates one trajectory to the end and reports the wall time of
 * the first run on a fresh compilation (what simulating a model once costs:
 * code generation included, generated code not yet optimised by V8), the
 * median wall time over repetitions after warm-up, steps, f and Jacobian
 * evaluations, the finite-difference / analytic ratios, and the
 * largest relative difference of the two runs' outputs (both within
 * tolerance of the solution, so they agree to about rtol). Models: Robertson
 * as a reaction network, and a 100-species chain of concentration species
 * with saturable forward and mass-action backward steps whose rate constants
 * span six orders of magnitude. Prints a table and writes
 * test/bench/results/generalJacobian.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { formatTable } from '../../engine/cli/output/finalStateSummary.js';
import { reactionNetworkSchema, type ReactionNetwork, type ReactionNetworkInput } from '../../engine/model/index.js';
import { CompiledGeneralModel, simulateCompiled, type GeneralSimulationOptions, type GeneralTrajectory } from '../../engine/simulate/general/index.js';
import type { IntegratorMethod } from '../../engine/simulate/ode/integrator.js';
import { summarise } from './measure.js';

const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 15);
const WARMUP_MS = 1500;

const robertson: ReactionNetworkInput = {
  name: 'robertson',
  species: [
    { id: 'A', initial: 1 },
    { id: 'B', initial: 0 },
    { id: 'C', initial: 0 },
  ],
  parameters: [
    { id: 'k1', value: 0.04 },
    { id: 'k2', value: 3e7 },
    { id: 'k3', value: 1e4 },
  ],
  reactions: [
    { id: 'r1', reactants: { A: 1 }, products: { B: 1 }, propensity: 'k1 * A' },
    { id: 'r2', reactants: { B: 2 }, products: { B: 1, C: 1 }, propensity: 'k2 * B^2' },
    { id: 'r3', reactants: { B: 1, C: 1 }, products: { A: 1, C: 1 }, propensity: 'k3 * B * C' },
  ],
};

/** S0 → S1 → … → S(n−1), forward k_i·S_i/(K + S_i)·V, backward k_i/10·S_(i+1)·V, k_i from 1e-2 to 1e4 in a zigzag; S0 fed, the last one degraded. */
function stiffChain(n: number): ReactionNetworkInput {
  const k = (i: number) => 10 ** (-2 + 6 * (((i * 37) % n) / (n - 1)));
  return {
    name: `chain${n}`,
    compartments: [{ id: 'V', size: 2 }],
    species: Array.from({ length: n }, (_, i) => ({ id: `S${i}`, initial: i === 0 ? 1 : 0, compartment: 'V', amountOnly: false })),
    parameters: [
      ...Array.from({ length: n - 1 }, (_, i) => ({ id: `k${i}`, value: k(i) })),
      { id: 'K', value: 0.5 },
      { id: 'feed', value: 0.1 },
      { id: 'decay', value: 1 },
    ],
    reactions: [
      { id: 'in', reactants: {}, products: { S0: 1 }, propensity: 'feed * V' },
      ...Array.from({ length: n - 1 }, (_, i) => ({
        id: `f${i}`,
        reactants: { [`S${i}`]: 1 },
        products: { [`S${i + 1}`]: 1 },
        propensity: `k${i} * S${i} / (K + S${i}) * V`,
      })),
      ...Array.from({ length: n - 1 }, (_, i) => ({
        id: `b${i}`,
        reactants: { [`S${i + 1}`]: 1 },
        products: { [`S${i}`]: 1 },
        propensity: `k${i} / 10 * S${i + 1} * V`,
      })),
      { id: 'out', reactants: { [`S${n - 1}`]: 1 }, products: {}, propensity: `decay * S${n - 1} * V` },
    ],
  };
}

interface Case {
  problem: string;
  model: ReactionNetwork;
  grid: Float64Array;
  method: IntegratorMethod;
  options: GeneralSimulationOptions;
}

const logGrid = (end: number, points: number) => Float64Array.from({ length: points + 1 }, (_, g) => (g === 0 ? 0 : end * 10 ** (-6 * (1 - g / points))));
const robertsonModel = reactionNetworkSchema.parse(robertson);
const chain = reactionNetworkSchema.parse(stiffChain(100));
const chain50 = reactionNetworkSchema.parse(stiffChain(50));
const CASES: Case[] = [
  { problem: 'Robertson (3 species) to 1e5', model: robertsonModel, grid: logGrid(1e5, 60), method: 'stiff', options: { rtol: 1e-6, atol: 1e-12 } },
  { problem: 'Robertson (3 species) to 1e5', model: robertsonModel, grid: logGrid(1e5, 60), method: 'auto', options: { rtol: 1e-6, atol: 1e-12 } },
  { problem: 'Robertson (3 species) to 1e5, rtol 1e-9', model: robertsonModel, grid: logGrid(1e5, 60), method: 'stiff', options: { rtol: 1e-9, atol: 1e-15 } },
  {
    problem: 'chain of 50 species to 100',
    model: chain50,
    grid: Float64Array.from({ length: 101 }, (_, g) => g),
    method: 'stiff',
    options: { rtol: 1e-6, atol: 1e-10 },
  },
  {
    problem: 'chain of 100 species to 100',
    model: chain,
    grid: Float64Array.from({ length: 101 }, (_, g) => g),
    method: 'stiff',
    options: { rtol: 1e-6, atol: 1e-10 },
  },
  {
    problem: 'chain of 100 species to 100',
    model: chain,
    grid: Float64Array.from({ length: 101 }, (_, g) => g),
    method: 'auto',
    options: { rtol: 1e-6, atol: 1e-10 },
  },
];

interface Measured {
  /** The first trajectory of a freshly compiled model: model code generation (and, analytic, the Jacobian's) included, generated code not yet optimised by V8. */
  firstRunMilliseconds: number;
  milliseconds: number;
  millisecondsMin: number;
  millisecondsMax: number;
  steps: number;
  rejected: number;
  derivativeCalls: number;
  jacobianCalls: number;
}

const KINDS = ['analytic', 'finiteDifference'] as const;
type Kind = (typeof KINDS)[number];

/**
 * Both kinds on one case: a first run each on a fresh compilation, then
 * warm-up (at least WARMUP_MS: V8 optimises a large generated function in the
 * background, which takes up to a second on a busy machine), then
 * REPETITIONS timed runs, the two kinds alternating so that a change of
 * machine load hits both alike.
 */
function measure(c: Case): Record<Kind, { measured: Measured; trajectory: GeneralTrajectory }> {
  const optionsOf = (kind: Kind) => ({ ...c.options, method: c.method, analyticJacobian: kind === 'analytic' });
  const timed = (work: () => GeneralTrajectory): [number, GeneralTrajectory] => {
    const started = process.hrtime.bigint();
    const trajectory = work();
    return [Number(process.hrtime.bigint() - started) / 1e6, trajectory];
  };
  const first = Object.fromEntries(
    KINDS.map((kind) => [kind, timed(() => simulateCompiled(new CompiledGeneralModel(c.model), c.grid, optionsOf(kind)))[0]]),
  ) as Record<Kind, number>;
  const compiled = new CompiledGeneralModel(c.model);
  const warmUpStarted = Date.now();
  for (let i = 0; i < 3 || Date.now() - warmUpStarted < WARMUP_MS; i++) for (const kind of KINDS) simulateCompiled(compiled, c.grid, optionsOf(kind));
  const samples: Record<Kind, number[]> = { analytic: [], finiteDifference: [] };
  const last = {} as Record<Kind, GeneralTrajectory>;
  for (let r = 0; r < REPETITIONS; r++) {
    for (const kind of KINDS) {
      const [ms, trajectory] = timed(() => simulateCompiled(compiled, c.grid, optionsOf(kind)));
      samples[kind].push(ms);
      last[kind] = trajectory;
    }
  }
  const result = {} as Record<Kind, { measured: Measured; trajectory: GeneralTrajectory }>;
  for (const kind of KINDS) {
    const t = summarise(samples[kind]);
    const { stats } = last[kind];
    result[kind] = {
      measured: {
        firstRunMilliseconds: Number(first[kind].toFixed(3)),
        milliseconds: Number(t.median.toFixed(3)),
        millisecondsMin: Number(t.min.toFixed(3)),
        millisecondsMax: Number(t.max.toFixed(3)),
        steps: stats.steps,
        rejected: stats.rejected,
        derivativeCalls: stats.derivativeCalls ?? NaN,
        jacobianCalls: stats.jacobianCalls ?? NaN,
      },
      trajectory: last[kind],
    };
  }
  return result;
}

/** Largest |a − b| / (|b| + 1e-3·max|b|) over every species and output time: how far the two runs' outputs are apart. */
function largestDifference(a: GeneralTrajectory, b: GeneralTrajectory): number {
  let worst = 0;
  for (const [id, want] of b.amounts) {
    const got = a.amounts.get(id)!;
    const floor = 1e-3 * Math.max(...want.map(Math.abs));
    want.forEach((w, g) => (worst = Math.max(worst, Math.abs(got[g] - w) / (Math.abs(w) + floor + 1e-300))));
  }
  return worst;
}

interface Row {
  problem: string;
  method: IntegratorMethod;
  states: number;
  analytic: Measured;
  finiteDifference: Measured;
  firstRunRatio: number;
  timeRatio: number;
  derivativeCallRatio: number;
  outputDifference: number;
}

// The engine's own code warmed up first, so the first case's first runs do not pay for it.
for (const analyticJacobian of [true, false]) simulateCompiled(new CompiledGeneralModel(chain50), Float64Array.of(0, 1), { method: 'stiff', analyticJacobian });

const rows: Row[] = [];
const compileTimes = new Map<string, number>();
for (const c of CASES) {
  const compiled = new CompiledGeneralModel(c.model);
  if (!compileTimes.has(c.model.name)) {
    const started = process.hrtime.bigint();
    const plan = compiled.jacobianPlan;
    compileTimes.set(c.model.name, Number(process.hrtime.bigint() - started) / 1e6);
    if (!plan.jacobian) throw new Error(`${c.problem}: no analytic Jacobian (${plan.fallback})`);
  }
  const { analytic, finiteDifference: numeric } = measure(c);
  rows.push({
    problem: c.problem,
    method: c.method,
    states: compiled.symbols.stateSymbols.length,
    analytic: analytic.measured,
    finiteDifference: numeric.measured,
    firstRunRatio: Number((numeric.measured.firstRunMilliseconds / analytic.measured.firstRunMilliseconds).toFixed(2)),
    timeRatio: Number((numeric.measured.milliseconds / analytic.measured.milliseconds).toFixed(2)),
    derivativeCallRatio: Number((numeric.measured.derivativeCalls / analytic.measured.derivativeCalls).toFixed(2)),
    outputDifference: Number(largestDifference(analytic.trajectory, numeric.trajectory).toExponential(2)),
  });
}

console.log(
  `General simulator, RODAS4 with analytic vs finite-difference Jacobian, one thread, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, median of ${REPETITIONS} (the two kinds alternating) after ${WARMUP_MS / 1000} s of warm-up\n`,
);
console.log(
  formatTable(
    [
      'problem',
      'method',
      'J',
      'first run ms',
      'ms (median)',
      'min..max',
      'steps',
      'rejected',
      'f calls',
      'J calls',
      'FD/analytic: first run',
      'time',
      'f calls',
      'outputs differ by',
    ],
    rows.flatMap((r) =>
      KINDS.map((kind) => {
        const m = r[kind];
        const first = kind === 'analytic';
        return [
          first ? r.problem : '',
          first ? r.method : '',
          first ? 'analytic' : 'finite diff.',
          m.firstRunMilliseconds.toFixed(1),
          m.milliseconds.toFixed(2),
          `${m.millisecondsMin.toFixed(2)}..${m.millisecondsMax.toFixed(2)}`,
          String(m.steps),
          String(m.rejected),
          String(m.derivativeCalls),
          String(m.jacobianCalls),
          first ? `${r.firstRunRatio.toFixed(2)}x` : '',
          first ? `${r.timeRatio.toFixed(2)}x` : '',
          first ? `${r.derivativeCallRatio.toFixed(2)}x` : '',
          first ? r.outputDifference.toExponential(1) : '',
        ];
      }),
    ),
  ),
);
console.log(`\nGenerating the Jacobian (once per model): ${[...compileTimes].map(([name, ms]) => `${name} ${ms.toFixed(1)} ms`).join(', ')}.`);
console.log(
  `Load average during the run: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(', ')} on ${cpus().length} cores (a busy machine widens min..max).`,
);

const resultsDir = new URL('./results/', import.meta.url);
mkdirSync(resultsDir, { recursive: true });
const report = {
  benchmark: 'generalJacobian',
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, platform: platform(), release: release(), node: process.version, loadAverage: loadavg() },
  repetitions: REPETITIONS,
  warmUpMilliseconds: WARMUP_MS,
  jacobianGenerationMilliseconds: Object.fromEntries([...compileTimes].map(([name, ms]) => [name, Number(ms.toFixed(2))])),
  results: rows,
};
writeFileSync(new URL('generalJacobian.json', resultsDir), JSON.stringify(report, null, 2) + '\n');
console.log('written to test/bench/results/generalJacobian.json');
