import { InvalidArgumentError, type Command } from 'commander';
import { EXAMPLES, exampleNames, getExample } from '../../model/index.js';
import { formatTable } from '../output/finalStateSummary.js';

export function registerExamples(program: Command): void {
  program
    .command('examples')
    .description('list the built-in example models, or print one as JSON to start your own model from')
    .argument('[name]', 'example to print as JSON')
    .action((name?: string) => {
      if (name === undefined) {
        const rows = exampleNames().map((n) => {
          const m = EXAMPLES[n];
          return [n, String(m.species.length), String(m.reactions.length), m.description ?? ''];
        });
        process.stdout.write(formatTable(['name', 'species', 'reactions', 'description'], rows, ['left', 'right', 'right', 'left']) + '\n');
        return;
      }
      const model = getExample(name);
      if (!model) throw new InvalidArgumentError(`unknown example "${name}"; examples: ${exampleNames().join(', ')}`);
      process.stdout.write(JSON.stringify(model, null, 2) + '\n');
    });
}
