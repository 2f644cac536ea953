/**
 * `sciope sbml-suite <folder>`: the SBML Test Suite's semantic cases
 * (sbmlteam/sbml-test-suite, cases/semantic) imported and simulated with the
 * general deterministic simulator, each compared with its expected results
 * (|simulated − expected| <= absolute + relative·|expected| at every output
 * time; see engine/sbmlSuite). One line per case, then totals by outcome, the
 * pass rate over TimeCourse cases, pass/total per componentTag and testTag
 * and the commonest refusals.
 *
 * Cases run in `--jobs` worker processes: this same CLI started with the
 * hidden `--worker` flag, reading case ids on stdin and answering one JSON
 * line per case (see engine/sbmlSuite/workerPool.ts).
 *
 * Exit codes: 0 ok; 1 a case listed in `--expect` no longer passes (without
 * `--expect` and `--write-expect`: any TimeCourse case does not pass); 2 bad
 * usage (arguments, folder, expectation file).
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { EngineError } from '../../errors/index.js';
import {
  checkExpectations,
  formatCaseSelection,
  formatSuiteSummary,
  listCaseIds,
  parseCaseHeader,
  parseCaseSelection,
  readCaseFile,
  readExpectations,
  resolveCasesFolder,
  runCasesInWorkers,
  runSuiteCase,
  summarizeSuite,
  SuiteFailedError,
  writeExpectations,
  CASE_TIME_LIMIT_MS,
  type CaseOutcome,
  type ExpectationCheck,
} from '../../sbmlSuite/index.js';
import { libsbmlWasmPath } from '../modelSource.js';
import { ProgressBar } from '../progressBar.js';

/** A worker that reports nothing for this long is killed (the case's own limit is CASE_TIME_LIMIT_MS). */
const WATCHDOG_MS = 40_000;

interface SbmlSuiteOptions {
  cases?: string[];
  jobs: number;
  json?: boolean;
  expect?: string;
  writeExpect?: string;
  worker?: boolean;
}

const positiveInteger = (name: string) => (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${name} expects an integer >= 1, got "${value}"`);
  return n;
};

const caseSelection = (value: string) => {
  try {
    return parseCaseSelection(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

export function registerSbmlSuite(program: Command): void {
  program
    .command('sbml-suite')
    .description('run the SBML Test Suite semantic cases (deterministic time courses); exits 1 on a regression against --expect')
    .argument('<folder>', "the suite's cases/semantic folder (NNNNN/NNNNN-sbml-lXvY.xml, -settings.txt, -results.csv, -model.m), or a folder holding semantic/")
    .addOption(new Option('-c, --cases <list>', 'cases to run, e.g. 1-1821 or 1-50,77,100-120 (default: every case in the folder)').argParser(caseSelection))
    .addOption(new Option('-j, --jobs <N>', 'worker processes').argParser(positiveInteger('--jobs')).default(availableParallelism(), 'all cores'))
    .option('--json', 'print one JSON document (cases, summary, expectations) instead of text')
    .option('--expect <file>', 'list of case ids expected to pass: exit 1 when one of them does not')
    .option('--write-expect <file>', 'write the ids of the cases that pass to this file')
    .addOption(new Option('--worker', 'run as a worker: case ids on stdin, one JSON outcome per line on stdout').hideHelp())
    .action((folder: string, options: SbmlSuiteOptions) => (options.worker ? workerCommand(folder) : sbmlSuiteCommand(folder, options)));
}

/** Worker mode: each line of stdin is a case id; answer each with one JSON line. */
async function workerCommand(folder: string): Promise<void> {
  const [{ importSbml }, { simulateGeneral }] = await Promise.all([import('../../model/sbml/index.js'), import('../../simulate/general/index.js')]);
  const wasm = libsbmlWasmPath();
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    const id = line.trim();
    if (!id) continue;
    const outcome = await runSuiteCase(folder, id, { wasm, importModel: importSbml, simulate: simulateGeneral, timeLimitMs: CASE_TIME_LIMIT_MS });
    process.stdout.write(`${JSON.stringify(outcome)}\n`);
  }
}

async function sbmlSuiteCommand(folderArgument: string, options: SbmlSuiteOptions): Promise<void> {
  const folder = resolveCasesFolder(folderArgument);
  const present = listCaseIds(folder);
  const presentSet = new Set(present);
  const requested = options.cases;
  const selected = requested ? requested.filter((id) => presentSet.has(id)) : present;
  const notFound = requested ? requested.filter((id) => !presentSet.has(id)) : [];
  if (selected.length === 0)
    throw new EngineError(
      'SBML_SUITE_CASES',
      `${folder}: none of the selected cases is there${requested ? ` (asked for ${formatCaseSelection(requested)})` : ''}`,
    );
  const expected = options.expect !== undefined ? readExpectations(options.expect) : undefined;

  const text = !options.json;
  const out = (line: string) => {
    if (text) process.stdout.write(`${line}\n`);
  };
  const jobs = Math.min(options.jobs, selected.length);
  out(
    `SBML Test Suite, ${selected.length} case${selected.length === 1 ? '' : 's'} from ${folder}, ${jobs} worker${jobs === 1 ? '' : 's'}, ${CASE_TIME_LIMIT_MS / 1000} s per case; pass: |sim − exp| <= absolute + relative·|exp| at every output time`,
  );
  if (notFound.length > 0) out(`not in the folder (not run): ${formatCaseSelection(notFound)}`);

  // Lines come out in case order, each as soon as every earlier case has finished.
  const finished = new Map<string, CaseOutcome>();
  let next = 0;
  const progress = new ProgressBar(process.stderr, 'sbml-suite');
  const onOutcome = (outcome: CaseOutcome) => {
    finished.set(outcome.id, outcome);
    progress.update(finished.size, selected.length);
    for (; next < selected.length && finished.has(selected[next]); next++) out(caseLine(finished.get(selected[next]) as CaseOutcome));
  };
  // The same node, flags and entry script as this process (bin/sciope.js registers tsx); not a debugger's port, which a worker could not share.
  const nodeArgs = [...process.execArgv.filter((a) => !a.startsWith('--inspect')), process.argv[1]];
  let outcomes: CaseOutcome[];
  try {
    outcomes = await runCasesInWorkers(selected, {
      jobs,
      watchdogMs: WATCHDOG_MS,
      startWorker: () => spawn(process.execPath, [...nodeArgs, 'sbml-suite', folder, '--worker'], { stdio: 'pipe', env: process.env }),
      describeCase: (id) => {
        const { text: header, file } = readCaseFile(folder, id, 'model.m');
        return parseCaseHeader(header, file);
      },
      onOutcome,
      onStrayOutput: (line) => process.stderr.write(`sciope: worker: ${line}\n`),
    });
  } finally {
    progress.done();
  }
  outcomes.sort((a, b) => a.id.localeCompare(b.id));
  const summary = summarizeSuite(outcomes);
  const requestedSet = new Set(requested);
  const selectedForCheck = (id: string) => !requested || requestedSet.has(id);
  const check: ExpectationCheck | undefined = expected ? checkExpectations(expected, outcomes, selectedForCheck) : undefined;
  if (options.writeExpect !== undefined) {
    const passing = writeExpectations(
      options.writeExpect,
      outcomes,
      `Written by \`sciope sbml-suite\` on ${new Date().toISOString().slice(0, 10)} from ${selected.length} cases (${formatCaseSelection(selected)}).`,
    );
    out(`wrote ${passing.length} passing case ids to ${options.writeExpect}`);
  }

  if (options.json) {
    process.stdout.write(`${JSON.stringify({ folder, cases: outcomes, notFound, summary, ...(check ? { expectations: check } : {}) }, null, 2)}\n`);
  } else {
    process.stdout.write(formatSuiteSummary(summary));
    if (check) {
      if (check.newlyPassing.length > 0)
        out(`newly passing (${check.newlyPassing.length}): ${check.newlyPassing.join(', ')}; update with --write-expect ${options.expect}`);
      if (check.regressions.length > 0) {
        out(`REGRESSIONS: ${check.regressions.length} case${check.regressions.length === 1 ? '' : 's'} in ${options.expect} no longer pass:`);
        for (const r of check.regressions) out(`  ${r.id}  ${r.outcome}${r.reason ? `  ${r.reason}` : ''}`);
      } else {
        out(`no regressions against ${options.expect} (${expected?.size ?? 0} cases expected to pass)`);
      }
    }
  }

  if (check) {
    const n = check.regressions.length;
    if (n > 0)
      throw new SuiteFailedError(`${n} case${n === 1 ? '' : 's'} expected to pass no longer pass: ${check.regressions.map((r) => r.id).join(', ')}`, {
        regressions: check.regressions,
      });
  } else if (options.writeExpect === undefined && summary.counts.pass < summary.timeCourse) {
    throw new SuiteFailedError(`${summary.timeCourse - summary.counts.pass} of ${summary.timeCourse} TimeCourse cases do not pass`);
  }
}

/** `00001  pass`, `00002  refused          <reason>`. */
function caseLine(o: CaseOutcome): string {
  return `${o.id}  ${o.outcome.padEnd(15)}${o.reason ? `  ${o.reason}` : ''}`.trimEnd();
}
