import { Command, CommanderError, Help } from 'commander';
import { COMMANDS, invokedCommand, type CliRunner } from './commandCatalogue.js';
import { EXIT_BAD_INPUT, errorLine, exitCodeFor } from './exitCode.js';

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
export async function buildProgram(argv: readonly string[], cli: CliRunner = { runCli: main }): Promise<Command> {
  const program = createProgram();
  const entry = invokedCommand(argv.slice(2));
  if (entry) {
    (await entry.load())(program, cli);
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
    process.stderr.write(`${errorLine(error)}\n`);
    return exitCodeFor(error);
  }
}
