import { Command, CommanderError, Help } from 'commander';
import { EngineError } from '../errors/index.js';
import { COMMANDS, invokedCommand } from './commandCatalogue.js';

/** Exit codes: 0 success, 1 failure while running, 2 bad input (arguments, files, models). */
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

/** The program without its commands: name, description, version, error handling. */
export function createProgram(): Command {
  return new Command('sciope')
    .description('Sciope Desktop engine: simulate and fit stochastic models of gene regulatory networks')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
}

/**
 * The program for one argument list: the command it runs, loaded in full, or
 * (for --version, --help, no command, a typo) every command as a name and a
 * description only, so that these answer without loading any command module.
 */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = createProgram();
  const entry = invokedCommand(argv.slice(2));
  if (entry) {
    (await entry.load())(program);
  } else {
    const terms = new Map(COMMANDS.map((c) => [c.name, `${c.name} ${c.usage}`.trimEnd()]));
    program.configureHelp({ subcommandTerm: (command) => terms.get(command.name()) ?? new Help().subcommandTerm(command) });
    for (const listed of COMMANDS) program.command(listed.name).description(listed.description);
  }
  program.commands.forEach((command) => command.exitOverride());
  return program;
}

/** Run the CLI; returns the process exit code instead of exiting, so it is testable. */
export async function main(argv: string[]): Promise<number> {
  try {
    await (await buildProgram(argv)).parseAsync(argv);
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
