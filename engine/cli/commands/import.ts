import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ReactionNetwork } from '../../model/index.js';
import { InputFileError } from '../jsonFile.js';
import { formatSbmlWarning, importSbmlFile } from '../modelSource.js';

interface ImportOptions {
  out?: string;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import an SBML file (Level 2 or 3 core): print what it maps to and every warning; --out writes the model JSON')
    .argument('<model>', 'path to an SBML file')
    .option('-o, --out <file>', 'write the imported model in the JSON model format')
    .action((file: string, options: ImportOptions) => importCommand(file, options));
}

async function importCommand(file: string, options: ImportOptions): Promise<void> {
  const { model, warnings } = await importSbmlFile(file);
  if (options.out) {
    try {
      writeFileSync(options.out, `${JSON.stringify(model, null, 2)}\n`);
    } catch (error) {
      throw new InputFileError(options.out, `cannot write: ${(error as Error).message}`);
    }
  }
  const lines = [
    `${file}: imported "${model.name}"${model.description ? ` (${shorten(model.description, 80)})` : ''}, volume ${model.volume}`,
    ...summary(model),
  ];
  lines.push(`warnings (${warnings.length})${warnings.length ? ':' : ''}`, ...warnings.map((w) => `  ${formatSbmlWarning(w)}`));
  if (options.out) lines.push(`model written to ${options.out}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

function summary(model: ReactionNetwork): string[] {
  const section = (title: string, items: string[]) => [`${title} (${items.length})${items.length ? ':' : ''}`, ...items.map((item) => `  ${item}`)];
  const side = (counts: Record<string, number | string>) =>
    Object.entries(counts)
      .map(([id, n]) => (n === 1 ? id : typeof n === 'string' ? `(${n}) ${id}` : `${n} ${id}`))
      .join(' + ') || '∅';
  const unit = (u: string | undefined) => (u ? ` ${u}` : '');
  const speciesLine = (s: ReactionNetwork['species'][number]) => {
    const notes = [
      s.compartment ? `in ${s.compartment}` : '',
      s.amountOnly === false ? 'concentration' : '',
      s.boundary ? 'boundary' : '',
      s.constant ? 'constant' : '',
    ].filter(Boolean);
    const meaning = s.amountOnly === false ? '; its name means the concentration' : '';
    return `${s.id}: amount ${s.initial}${unit(s.units)} at t = 0${notes.length || meaning ? ` (${notes.filter((n) => n !== 'concentration').join(', ')}${meaning})` : ''}`;
  };
  const ruleLine = (r: ReactionNetwork['rules'][number]) =>
    r.type === 'rate' ? `d${r.variable}/dt = ${r.expression}` : r.type === 'algebraic' ? `0 = ${r.expression}` : `${r.variable} = ${r.expression}`;
  const eventLine = (e: ReactionNetwork['events'][number]) => {
    const notes = [
      e.initialValue ? '' : 'initialValue false',
      e.delay !== undefined ? `delay ${e.delay}` : '',
      e.priority !== undefined ? `priority ${e.priority}` : '',
      e.persistent ? '' : 'not persistent',
      e.useValuesFromTriggerTime ? '' : 'values at execution',
    ].filter(Boolean);
    return `${e.id}: when ${e.trigger}: ${Object.entries(e.assignments)
      .map(([v, x]) => `${v} = ${x}`)
      .join(', ')}${notes.length ? ` (${notes.join(', ')})` : ''}`;
  };
  return [
    ...(model.compartments.length
      ? section(
          'compartments',
          model.compartments.map((c) => `${c.id} = ${c.size}${unit(c.units)}${c.constant ? '' : ' (varies)'}`),
        )
      : []),
    ...section('species', model.species.map(speciesLine)),
    ...section(
      'parameters',
      model.parameters.map((p) => `${p.id} = ${p.value}${unit(p.units)}`),
    ),
    ...section(
      'reactions',
      model.reactions.map((r) => `${r.id}: ${side(r.reactants)} → ${side(r.products)}, propensity ${r.propensity ?? `mass action ${r.rate}`}`),
    ),
    ...section('rules', model.rules.map(ruleLine)),
    ...(model.initialAssignments.length
      ? section(
          'initial assignments',
          model.initialAssignments.map((a) => `${a.variable} = ${a.expression} at t = 0`),
        )
      : []),
    ...section('events', model.events.map(eventLine)),
  ];
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
