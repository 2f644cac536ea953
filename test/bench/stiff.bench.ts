/**
 * `npx tsx test/bench/stiff.bench.ts`: the ODE integrators on stiff and
 * non-stiff problems, one thread.
 *
 * Each case integrates one trajectory from t = 0 to its end with one method
 * (`stiff`: RODAS4; `nonstiff`: Dormand-Prince 5(4); `auto`: Dormand-Prince
 * until its stiffness test fires, then RODAS4) and reports the median wall
 * time over repetitions after warm-up, the steps and the work, and the
 * largest relative error against the reference values of
 * test/unit/simulate/ode/testProblems.ts. The headline is Robertson's
 * problem to t = 1e5 with RODAS4 (bar: under 50 ms after warm-up). An
 * explicit method on a stiff problem runs into its step budget; the row then
 * says how far it got. Prints a table and writes test/bench/results/stiff.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { formatTable } from '../../engine/cli/output/finalStateSummary.js';
import { SimulationBudgetError } from '../../engine/errors/index.js';
import { createIntegrator } from '../../engine/simulate/ode/createIntegrator.js';
import type { IntegratorMethod, IntegratorOptions, OdeIntegrator, OdeSystem } from '../../engine/simulate/ode/integrator.js';
import {
  heatEquation,
  lotkaVolterra,
  maxRelativeError,
  ROBERTSON_1E5,
  ROBERTSON_40,
  robertson,
  VAN_DER_POL_2,
  vanDerPol,
} from '../unit/simulate/ode/testProblems.js';
import { summarise } from './measure.js';

const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 15);
/** Steps an explicit method may spend on a stiff problem before the row reports how far it got. */
const EXPLICIT_BUDGET = 1_000_000;

interface Case {
  problem: string;
  system: OdeSystem;
  y0: number[];
  end: number;
  method: IntegratorMethod;
  options: IntegratorOptions;
  reference: number[] | null;
  headline?: boolean;
}

const robertsonTolerances = (rtol: number): IntegratorOptions => ({ rtol, atol: new Float64Array([rtol * 1e-6, rtol * 1e-10, rtol * 1e-6]) });

const CASES: Case[] = [
  {
    problem: 'Robertson to 1e5, rtol 1e-6',
    system: robertson(false),
    y0: [1, 0, 0],
    end: 1e5,
    method: 'stiff',
    options: robertsonTolerances(1e-6),
    reference: ROBERTSON_1E5,
    headline: true,
  },
  {
    problem: 'Robertson to 1e5, rtol 1e-6, analytic J',
    system: robertson(true),
    y0: [1, 0, 0],
    end: 1e5,
    method: 'stiff',
    options: robertsonTolerances(1e-6),
    reference: ROBERTSON_1E5,
  },
  {
    problem: 'Robertson to 1e5, rtol 1e-6',
    system: robertson(false),
    y0: [1, 0, 0],
    end: 1e5,
    method: 'auto',
    options: robertsonTolerances(1e-6),
    reference: ROBERTSON_1E5,
  },
  {
    problem: 'Robertson to 1e5, rtol 1e-6',
    system: robertson(false),
    y0: [1, 0, 0],
    end: 1e5,
    method: 'nonstiff',
    options: robertsonTolerances(1e-6),
    reference: ROBERTSON_1E5,
  },
  {
    problem: 'Robertson to 1e5, rtol 1e-8',
    system: robertson(false),
    y0: [1, 0, 0],
    end: 1e5,
    method: 'stiff',
    options: robertsonTolerances(1e-8),
    reference: ROBERTSON_1E5,
  },
  {
    problem: 'Robertson to 1e5, rtol 1e-8',
    system: robertson(false),
    y0: [1, 0, 0],
    end: 1e5,
    method: 'auto',
    options: robertsonTolerances(1e-8),
    reference: ROBERTSON_1E5,
  },
  {
    problem: 'Robertson to 40, rtol 1e-6',
    system: robertson(false),
    y0: [1, 0, 0],
    end: 40,
    method: 'stiff',
    options: robertsonTolerances(1e-6),
    reference: ROBERTSON_40,
  },
  {
    problem: 'Robertson to 40, rtol 1e-6',
    system: robertson(false),
    y0: [1, 0, 0],
    end: 40,
    method: 'nonstiff',
    options: robertsonTolerances(1e-6),
    reference: ROBERTSON_40,
  },
  {
    problem: 'van der Pol μ=1000 to 2, rtol 1e-6',
    system: vanDerPol(),
    y0: [2, 0],
    end: 2,
    method: 'stiff',
    options: { rtol: 1e-6, atol: 1e-6 },
    reference: VAN_DER_POL_2,
  },
  {
    problem: 'van der Pol μ=1000 to 2, rtol 1e-6',
    system: vanDerPol(),
    y0: [2, 0],
    end: 2,
    method: 'auto',
    options: { rtol: 1e-6, atol: 1e-6 },
    reference: VAN_DER_POL_2,
  },
  {
    problem: 'van der Pol μ=1000 to 2, rtol 1e-6',
    system: vanDerPol(),
    y0: [2, 0],
    end: 2,
    method: 'nonstiff',
    options: { rtol: 1e-6, atol: 1e-6 },
    reference: VAN_DER_POL_2,
  },
  {
    problem: 'Lotka-Volterra to 20, rtol 1e-6 (non-stiff)',
    system: lotkaVolterra,
    y0: [1, 1],
    end: 20,
    method: 'stiff',
    options: { rtol: 1e-6, atol: 1e-9 },
    reference: null,
  },
  {
    problem: 'Lotka-Volterra to 20, rtol 1e-6 (non-stiff)',
    system: lotkaVolterra,
    y0: [1, 1],
    end: 20,
    method: 'nonstiff',
    options: { rtol: 1e-6, atol: 1e-9 },
    reference: null,
  },
  {
    problem: 'Lotka-Volterra to 20, rtol 1e-6 (non-stiff)',
    system: lotkaVolterra,
    y0: [1, 1],
    end: 20,
    method: 'auto',
    options: { rtol: 1e-6, atol: 1e-9 },
    reference: null,
  },
];
const heat = heatEquation(100);
const heatExact = heat.exact(0.5);
for (const method of ['stiff', 'auto', 'nonstiff'] as const) {
  CASES.push({
    problem: 'heat equation, 100 states, to 0.5, rtol 1e-6',
    system: heat.system,
    y0: heat.initial,
    end: 0.5,
    method,
    options: { rtol: 1e-6, atol: 1e-9 },
    reference: heatExact,
  });
}

interface Row {
  problem: string;
  method: IntegratorMethod;
  milliseconds: number;
  millisecondsMin: number;
  millisecondsMax: number;
  accepted: number;
  rejected: number;
  derivativeCalls: number;
  jacobianCalls: number;
  switchedToStiffAt: number | null;
  /** Where the run ended: `end`, or where the step budget ran out. */
  reached: number;
  finished: boolean;
  maxRelativeError: number | null;
}

/** One trajectory; returns the integrator and whether it reached the end within the budget. */
function run(c: Case): { integrator: OdeIntegrator; finished: boolean } {
  const options = c.method === 'nonstiff' ? { ...c.options, maxSteps: EXPLICIT_BUDGET } : c.options;
  const integrator = createIntegrator(c.system, c.method, options);
  integrator.reset(0, Float64Array.from(c.y0));
  try {
    while (integrator.t < c.end) integrator.step(c.end);
    return { integrator, finished: true };
  } catch (error) {
    if (error instanceof SimulationBudgetError) return { integrator, finished: false };
    throw error;
  }
}

const rows: Row[] = [];
const finalStates = new Map<string, Float64Array>();
for (const c of CASES) {
  // An explicit method that spends its whole budget takes ~0.5 s per run: fewer repetitions.
  const probe = run(c);
  const repetitions = probe.finished ? REPETITIONS : Math.min(REPETITIONS, 3);
  for (let i = 0; i < 2; i++) run(c);
  const milliseconds: number[] = [];
  let last = probe;
  for (let r = 0; r < repetitions; r++) {
    const started = process.hrtime.bigint();
    last = run(c);
    milliseconds.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const t = summarise(milliseconds);
  const { integrator, finished } = last;
  const stats = integrator.stats;
  const error = finished && c.reference ? maxRelativeError(integrator.y, c.reference) : null;
  if (finished) finalStates.set(`${c.problem}/${c.method}`, Float64Array.from(integrator.y));
  rows.push({
    problem: c.problem,
    method: c.method,
    milliseconds: Number(t.median.toFixed(3)),
    millisecondsMin: Number(t.min.toFixed(3)),
    millisecondsMax: Number(t.max.toFixed(3)),
    accepted: stats.accepted,
    rejected: stats.rejected,
    derivativeCalls: stats.derivativeCalls,
    jacobianCalls: stats.jacobianCalls,
    switchedToStiffAt: stats.switchedToStiffAt,
    reached: integrator.t,
    finished,
    maxRelativeError: error === null ? null : Number(error.toExponential(2)),
  });
}

// Non-stiff agreement: the methods against each other on Lotka-Volterra.
const lv = (m: IntegratorMethod) => finalStates.get(`Lotka-Volterra to 20, rtol 1e-6 (non-stiff)/${m}`)!;
const lotkaVolterraStiffVsNonstiff = maxRelativeError(lv('stiff'), lv('nonstiff'));

console.log(`ODE integrators, one thread, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, median of ${REPETITIONS} after 2 warm-up runs\n`);
console.log(
  formatTable(
    ['problem', 'method', 'ms (median)', 'min..max', 'steps', 'rejected', 'f calls', 'J calls', 'stiff from t', 'reached t', 'max rel. error'],
    rows.map((r) => [
      r.problem,
      r.method,
      r.milliseconds.toFixed(2),
      `${r.millisecondsMin.toFixed(2)}..${r.millisecondsMax.toFixed(2)}`,
      String(r.accepted),
      String(r.rejected),
      String(r.derivativeCalls),
      String(r.jacobianCalls),
      r.switchedToStiffAt === null ? '-' : r.switchedToStiffAt.toPrecision(3),
      r.finished ? String(r.reached) : `${r.reached.toPrecision(3)} (budget ${EXPLICIT_BUDGET} steps)`,
      r.maxRelativeError === null ? '-' : r.maxRelativeError.toExponential(1),
    ]),
  ),
);
console.log(`\nLotka-Volterra final state, RODAS4 vs Dormand-Prince: ${lotkaVolterraStiffVsNonstiff.toExponential(2)} relative.`);
const headline = rows.find((_, i) => CASES[i].headline)!;
console.log(
  `Robertson to t = 1e5 with RODAS4 (rtol 1e-6, finite-difference Jacobian): ${headline.milliseconds.toFixed(2)} ms median, ${headline.millisecondsMin.toFixed(2)} ms best, ${headline.accepted} steps (bar: 50 ms).`,
);
console.log(
  `Load average during the run: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(', ')} on ${cpus().length} cores (a busy machine widens min..max).`,
);

const resultsDir = new URL('./results/', import.meta.url);
mkdirSync(resultsDir, { recursive: true });
const report = {
  benchmark: 'stiff',
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, platform: platform(), release: release(), node: process.version, loadAverage: loadavg() },
  repetitions: REPETITIONS,
  explicitStepBudget: EXPLICIT_BUDGET,
  headline: {
    case: `${headline.problem} / ${headline.method}`,
    milliseconds: headline.milliseconds,
    millisecondsMin: headline.millisecondsMin,
    steps: headline.accepted,
    barMilliseconds: 50,
  },
  lotkaVolterraStiffVsNonstiff: Number(lotkaVolterraStiffVsNonstiff.toExponential(2)),
  results: rows,
};
writeFileSync(new URL('stiff.json', resultsDir), JSON.stringify(report, null, 2) + '\n');
console.log('written to test/bench/results/stiff.json');
