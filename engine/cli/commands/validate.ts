import type { Command } from 'commander';
import { loadModelArgument } from '../modelSource.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a model file and print a one-line summary, or every problem found')
    .argument('<model>', 'path to a model JSON or SBML file (or an example name)')
    .action(async (argument: string) => {
      const model = await loadModelArgument(argument);
      process.stdout.write(
        `${argument}: valid model "${model.name}" with ${model.species.length} species, ${model.parameters.length} parameters, ${model.reactions.length} reactions\n`,
      );
    });
}
