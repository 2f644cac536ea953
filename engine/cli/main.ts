import { Command, CommanderError } from 'commander';
import { EngineError } from '../errors/index.js';
import { registerExamples } from './commands/examples.js';
import { registerInfer } from './commands/infer.js';
import { registerImport } from './commands/import.js';
import { registerDsmts } from './commands/dsmts.js';
import { registerSbmlSuite } from './commands/sbmlSuite.js';
import { registerSimulate } from './commands/simulate.js';
import { registerValidate } from './commands/validate.js';
import { registerNodes } from './commands/nodes.js';
import { registerWorker } from './commands/worker.js';
import { registerProject } from './commands/project.js';
import { registerServe } from './commands/serve.js';
import { registerApi } from './commands/api.js';
import { registerExplore } from './commands/explore.js';
import { registerLearn } from './commands/learn.js';
import { registerTrust } from './commands/trust.js';

/** Exit codes: 0 success, 1 failure while running, 2 bad input (arguments, files, models). */
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

export function buildProgram(): Command {
  const program = new Command('sciope')
    .description('Sciope Desktop engine: simulate and fit stochastic models of gene regulatory networks')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerSimulate(program);
  registerInfer(program);
  registerExamples(program);
  registerValidate(program);
  registerNodes(program);
  registerWorker(program);
  registerProject(program);
  registerServe(program);
  registerApi(program);
  registerImport(program);
  registerDsmts(program);
  registerSbmlSuite(program);
  registerExplore(program);
  registerLearn(program);
  registerTrust(program);
  program.commands.forEach((command) => command.exitOverride());
  return program;
}

/** Run the CLI; returns the process exit code instead of exiting, so it is testable. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (usage errors, --help, --version).
      return error.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    }
    if (error instanceof EngineError) {
      // An error that says a run failed (SimulationError: EVENT_BUDGET, RATE_NOT_FINITE; NodesLostError: every SSH node lost mid-run) is not bad input.
      const runFailed = (error as { runFailed?: unknown }).runFailed === true;
      process.stderr.write(`sciope: ${runFailed ? 'run failed' : 'error'}: ${error.message}\n`);
      return runFailed ? EXIT_FAILURE : EXIT_BAD_INPUT;
    }
    if (error instanceof RangeError) {
      // Raised by generated simulators for model failures at run time (negative propensity, runaway growth).
      process.stderr.write(`sciope: simulation failed: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    process.stderr.write(`sciope: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_FAILURE;
  }
}
