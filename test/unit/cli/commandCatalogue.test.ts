import { Help } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, invokedCommand } from '../../../engine/cli/commandCatalogue.js';
import { buildProgram, createProgram } from '../../../engine/cli/main.js';

/** The program with every command module loaded: what `sciope --help` listed before the catalogue. */
async function fullProgram() {
  const program = createProgram();
  const registers = new Set(await Promise.all(COMMANDS.map((entry) => entry.load())));
  for (const register of registers) register(program, { runCli: async () => 0 });
  return program;
}

describe('the command catalogue', () => {
  it('lists every command with the term and description its module registers, in the same order', async () => {
    const full = await fullProgram();
    const help = new Help();
    expect(full.commands.map((c) => c.name())).toEqual(COMMANDS.map((c) => c.name));
    for (const [i, command] of full.commands.entries()) {
      expect(`${COMMANDS[i].name} ${COMMANDS[i].usage}`.trimEnd()).toBe(help.subcommandTerm(command));
      expect(COMMANDS[i].description).toBe(command.description());
    }
  });

  it('gives the same top-level help as the program with every module loaded', async () => {
    const listed = await buildProgram(['node', 'sciope', '--help']);
    expect(listed.helpInformation()).toBe((await fullProgram()).helpInformation());
  });

  it('finds the command an argument list runs, also after `help`, and none for options or typos', () => {
    expect(invokedCommand(['simulate', 'vilar'])?.name).toBe('simulate');
    expect(invokedCommand(['help', 'sbml-suite'])?.name).toBe('sbml-suite');
    expect(invokedCommand(['resume', '3'])?.name).toBe('resume');
    expect(invokedCommand(['--version'])).toBeUndefined();
    expect(invokedCommand(['help'])).toBeUndefined();
    expect(invokedCommand(['simulat'])).toBeUndefined();
    expect(invokedCommand([])).toBeUndefined();
  });

  it('loads only the command being run', async () => {
    const program = await buildProgram(['node', 'sciope', 'examples']);
    expect(program.commands.map((c) => c.name())).toEqual(['examples']);
  });
});
