import { closeSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { EngineError } from '../../errors/index.js';
import { parseBlackBoxSpec, resolveSpecPaths, type BlackBoxSimulatorSpec } from '../../simulate/blackbox/spec.js';
import { ProjectStore } from '../../store/ProjectStore.js';
import { TrustManager } from '../../api/TrustManager.js';
import { ApprovalStore } from '../../trust/ApprovalStore.js';
import { describeForPeople, describeSimulator } from '../../trust/describeSimulator.js';
import type { SimulatorDescription } from '../../trust/types.js';
import { approvalScope, userConfigDir } from '../simulatorApproval.js';
import { readJsonFile } from '../jsonFile.js';

const TRUST_HELP = `
A project, study or simulator file may name a black-box simulator: a command
or a JavaScript module that runs with your user account. Sciope runs it only
after you approved that exact content (command line, folder, environment and
the SHA-256 of every file it runs) for that file. Approvals live in
${'$'}XDG_CONFIG_HOME/sciope/approvals.json (~/.config/sciope), never in a project.

  sciope trust show my.sciope        what the file would run, and whether it is approved
  sciope trust approve my.sciope     show it, ask, and remember the approval (--yes: do not ask)
  sciope trust revoke my.sciope      forget every approval of the file
  sciope trust list                  every approval on this computer
`;

interface FoundSimulator {
  readonly usedBy: string;
  readonly description: SimulatorDescription | null;
  readonly problem: string | null;
}

export function registerTrust(program: Command): void {
  const trust = program
    .command('trust')
    .description('approve (or revoke) the black-box simulators a project or study may run')
    .addHelpText('after', TRUST_HELP);
  trust
    .command('show')
    .description('what the file would run, and whether each simulator is approved')
    .argument('<file>', 'a project (.sciope), a study JSON or a simulator JSON')
    .action((file: string) => {
      process.stdout.write(`${showText(file)}\n`);
    });
  trust
    .command('approve')
    .description('show what the file runs, ask, and remember the approval for this file and this content')
    .argument('<file>', 'a project (.sciope), a study JSON or a simulator JSON')
    .option('-y, --yes', 'approve without asking (after reading `sciope trust show`)')
    .action((file: string, options: { yes?: boolean }) => approveCommand(file, options));
  trust
    .command('revoke')
    .description('forget every approval of a file')
    .argument('<file>', 'a project, study or simulator file')
    .action((file: string) => {
      const removed = new ApprovalStore(userConfigDir()).revoke(approvalScope(file));
      process.stdout.write(`${approvalScope(file)}: ${removed} approval${removed === 1 ? '' : 's'} removed\n`);
    });
  trust
    .command('list')
    .description('every approval on this computer')
    .action(() => {
      const approvals = new ApprovalStore(userConfigDir()).list();
      if (approvals.length === 0) process.stdout.write('no approvals\n');
      for (const a of approvals) process.stdout.write(`${a.scope}\n  ${a.fingerprint}  approved ${a.approvedAt}\n`);
    });
}

/** The simulators a file names: a project's models and runs, or the `simulator` of a study, session or simulator file. */
function simulatorsOf(file: string): FoundSimulator[] {
  if (isSqlite(file)) {
    const store = ProjectStore.open(file, { readonly: true });
    try {
      return new TrustManager(userConfigDir(), undefined)
        .list(store)
        .map((item) => ({ usedBy: item.usedBy.join(', '), description: item.description, problem: item.problem }));
    } finally {
      store.close();
    }
  }
  const json = readJsonFile(file) as { simulator?: unknown; model?: { simulator?: unknown } } | null;
  const raw = json?.simulator ?? (json?.model && typeof json.model === 'object' ? json.model.simulator : undefined);
  if (raw === undefined) return [];
  const spec: BlackBoxSimulatorSpec = resolveSpecPaths(parseBlackBoxSpec(raw, file), dirname(file));
  try {
    return [{ usedBy: file, description: describeSimulator(spec), problem: null }];
  } catch (error) {
    return [{ usedBy: file, description: null, problem: (error as Error).message }];
  }
}

function showText(file: string): string {
  const scope = approvalScope(file);
  const found = simulatorsOf(file);
  if (found.length === 0) return `${scope}: no black-box simulator: nothing to approve`;
  const store = new ApprovalStore(userConfigDir());
  return found
    .map((f) => {
      if (!f.description) return `${f.usedBy}: cannot be described: ${f.problem}`;
      const state = store.isApproved(scope, f.description.fingerprint) ? 'APPROVED' : 'NOT APPROVED';
      return `${f.usedBy} [${state}]\n${describeForPeople(f.description, scope).replace(/^/gm, '  ')}`;
    })
    .join('\n\n');
}

async function approveCommand(file: string, options: { yes?: boolean }): Promise<void> {
  const scope = approvalScope(file);
  const found = simulatorsOf(file).filter((f) => f.description !== null);
  if (found.length === 0) {
    process.stdout.write(`${scope}: no black-box simulator that can be approved\n`);
    return;
  }
  process.stderr.write(`${showText(file)}\n`);
  if (!options.yes) {
    if (!process.stdin.isTTY) throw new EngineError('NOT_CONFIRMED', 'not approved: no terminal to ask on; read `sciope trust show` and pass --yes');
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await prompt.question(`Approve ${found.length === 1 ? 'it' : `these ${found.length}`} for ${scope}? [y/N] `);
      if (!/^y(es)?$/i.test(answer.trim())) throw new EngineError('NOT_CONFIRMED', 'not approved');
    } finally {
      prompt.close();
    }
  }
  const store = new ApprovalStore(userConfigDir());
  for (const f of found) store.approve(scope, f.description!);
  process.stdout.write(`${scope}: ${found.length} simulator${found.length === 1 ? '' : 's'} approved\n`);
}

/** A project is an SQLite file: its first 16 bytes say so (read without opening it as a database). */
function isSqlite(file: string): boolean {
  const header = Buffer.alloc(16);
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    return readSync(fd, header, 0, 16, 0) === 16 && header.toString('latin1') === 'SQLite format 3\u0000';
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
