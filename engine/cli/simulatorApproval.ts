import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { BlackBoxSimulatorSpec } from '../simulate/blackbox/spec.js';
import { ApprovalStore } from '../trust/ApprovalStore.js';
import { markApprovedInProcess } from '../trust/approvedInProcess.js';
import { describeForPeople, describeSimulator } from '../trust/describeSimulator.js';
import { UntrustedSimulatorError } from '../trust/errors.js';

/** The user's config folder, shared with `sciope serve`: $XDG_CONFIG_HOME/sciope or ~/.config/sciope. */
export function userConfigDir(): string {
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'sciope');
}

export interface TrustFlags {
  trust?: boolean;
}

/** `--trust` on every command that may run a black-box simulator named in a file. */
export function addTrustOption(command: Command): Command {
  return command.option(
    '--trust',
    'approve the black-box simulator (command or JS module) the file names, after you have read what it runs; the approval is remembered for this file and this exact content',
  );
}

/** The file an approval is tied to (its real path, so a symlink or another spelling is the same scope). */
export function approvalScope(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return resolve(file);
  }
}

/**
 * Let the simulator of `spec` run only when the person at this terminal
 * approved it for `scopeFile` (a study, simulator or project file): already
 * approved (in the user's config), approved now with --trust, or approved at
 * a prompt on an interactive terminal. Otherwise throws
 * UntrustedSimulatorError: nothing was run. See README, "Security".
 */
export async function ensureSimulatorApproved(spec: BlackBoxSimulatorSpec | undefined, scopeFile: string, flags: TrustFlags): Promise<void> {
  if (!spec) return;
  const scope = approvalScope(scopeFile);
  const description = describeSimulator(spec);
  const store = new ApprovalStore(userConfigDir());
  if (store.isApproved(scope, description.fingerprint)) {
    markApprovedInProcess(description.fingerprint);
    return;
  }
  const text = describeForPeople(description, scope);
  if (flags.trust) {
    process.stderr.write(`sciope: approved (--trust):\n${indent(text)}\n`);
  } else if (process.stdin.isTTY && process.stderr.isTTY) {
    process.stderr.write(`sciope: this file runs code on this computer:\n${indent(text)}\n`);
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await prompt.question('Approve and run it? [y/N] ');
      if (!/^y(es)?$/i.test(answer.trim())) throw new UntrustedSimulatorError(scope, description, 'You did not approve it.');
    } finally {
      prompt.close();
    }
  } else {
    throw new UntrustedSimulatorError(scope, description, `Read what it runs (\`sciope trust show ${scopeFile}\`), then pass --trust to approve it.`);
  }
  store.approve(scope, description);
  markApprovedInProcess(description.fingerprint);
}

const indent = (text: string) => text.replace(/^/gm, '  ');
