import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { API_METHODS } from '../../api/contract.js';
import { EngineService } from '../../api/EngineService.js';
import { EngineError } from '../../errors/index.js';
import { InputFileError } from '../jsonFile.js';

interface ApiOptions {
  project?: string;
  configDir?: string;
  wait?: boolean;
}

const API_HELP = `
Calls one EngineApi method (the surface the app uses; see engine/api/contract.ts)
and prints its JSON result. The argument is a JSON object, inline or @file.json.
With --project the project is opened first. Examples:
  sciope api models.examples
  sciope api --project p.sciope projects.contents
  sciope api --project p.sciope models.addExample '{"example": "toggle-switch"}'
  sciope api --project p.sciope --wait runs.start '{"studyId": 1}'
Errors print as {"name", "code", "message", "details"} on stderr (exit code 2).
Methods: ${API_METHODS.join(', ')}`;

/** `sciope api <method> [json]`: the CLI's front door onto the EngineApi, for scripts. */
export function registerApi(program: Command): void {
  program
    .command('api')
    .description('call one EngineApi method with a JSON argument and print the JSON result')
    .argument('<method>', 'method name, e.g. projects.contents')
    .argument('[json]', 'the argument object as JSON, or @file.json', '{}')
    .option('--project <file>', 'open this .sciope project first')
    .option('--config-dir <dir>', 'settings folder (default ~/.config/sciope)')
    .option('--wait', 'for runs.start, runs.resume and learn.train: wait until the work ends and print its final event')
    .addHelpText('after', API_HELP)
    .action((method: string, json: string, options: ApiOptions) => callApi(method, json, options));
}

function parseArgument(json: string): unknown {
  const text = json.startsWith('@') ? readText(json.slice(1)) : json;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputFileError(json.startsWith('@') ? json.slice(1) : 'argument', `not valid JSON: ${(error as Error).message}`);
  }
}

function readText(file: string): string {
  if (!existsSync(file)) throw new InputFileError(file, 'no such file');
  return readFileSync(file, 'utf8');
}

async function callApi(method: string, json: string, options: ApiOptions): Promise<void> {
  const args = parseArgument(json);
  const service = new EngineService({ configDir: options.configDir ?? join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'sciope') });
  try {
    if (options.project) {
      const opened = await service.invoke(existsSync(options.project) ? 'projects.open' : 'projects.create', { path: options.project });
      if (!opened.ok) fail(opened.error);
    }
    const finished = options.wait ? waitForEnd(service) : null;
    const outcome = await service.invoke(method, args);
    if (!outcome.ok) fail(outcome.error);
    process.stdout.write(JSON.stringify(outcome.value, null, 2) + '\n');
    if (finished) {
      const id = (outcome.value as { runId?: number; taskId?: number }).runId ?? (outcome.value as { taskId?: number }).taskId;
      if (id !== undefined) process.stdout.write(JSON.stringify(await finished(id), null, 2) + '\n');
    }
  } finally {
    await service.close();
  }
}

/** The final event of a run or a training, whichever the call started. */
function waitForEnd(service: EngineService): (id: number) => Promise<unknown> {
  const ended = new Map<string, unknown>();
  const waiting = new Map<string, (event: unknown) => void>();
  service.onEvent((event) => {
    const key = event.type === 'run.finished' ? `run:${event.runId}` : event.type === 'learn.finished' ? `learn:${event.taskId}` : null;
    if (!key) return;
    ended.set(key, event);
    waiting.get(key)?.(event);
  });
  return (id) =>
    new Promise((resolve) => {
      for (const key of [`run:${id}`, `learn:${id}`]) {
        if (ended.has(key)) return resolve(ended.get(key));
        waiting.set(key, resolve);
      }
    });
}

function fail(error: { name: string; code: string; message: string; details: Record<string, unknown> }): never {
  throw new EngineError(error.code, `${error.message}\n${JSON.stringify(error)}`, error.details);
}
