import { z } from 'zod';
import type { ReactionNetworkInput } from '../../model/schema.js';
import { zodIssues } from '../../errors/zodIssues.js';
import { BlackBoxSpecError } from './specError.js';

export { BlackBoxSpecError };

/**
 * The JSON description of a black-box simulator, travelling in a study, in
 * a `{"simulator": {...}}` file and in a SimulationJob (so worker threads
 * and remote nodes rebuild it). It declares what the engine cannot ask a
 * black box: its parameters (with default values), in order, and the names
 * of the species it emits, in order.
 *
 * - `module`: a JS/TS module exporting `simulate(input)` (see ModuleSimulator).
 * - `command`: an external program speaking the JSON-lines protocol of
 *   docs/blackbox-protocol.md (see CommandSimulator).
 */
const identifier = z.string({ error: 'expected a name' }).min(1, { error: 'expected a non-empty name' });
/** A path or argument with a NUL would be cut short below Node: what was checked and hashed would not be what runs. */
const noControl = (what: string) =>
  // eslint-disable-next-line no-control-regex
  z.string().regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, { error: `the ${what} contains a control character (such as NUL or a line break)` });
const parameter = z.strictObject({
  id: identifier,
  value: z.number({ error: 'expected a number' }).refine(Number.isFinite, { error: 'expected a finite number' }),
});
const common = {
  name: z.string().optional(),
  parameters: z.array(parameter, { error: 'expected a list of {"id", "value"} parameters' }),
  species: z.array(identifier, { error: 'expected a list of species names' }).min(1, { error: 'expected at least one species' }),
};

export const moduleSimulatorSchema = z.strictObject({
  kind: z.literal('module'),
  /** File of the module (.js, .mjs; .ts where a TypeScript loader runs). Relative to the study file in studies. */
  path: noControl('path').min(1, { error: 'expected the path of the module' }),
  /** Name of the exported function (default "simulate"). */
  export: z.string().min(1).optional(),
  ...common,
});

/**
 * A module simulator as an executor ships it to other machines (the SSH
 * pool): with the module's text and its SHA-256, which the worker stores
 * under a content-hashed name next to itself and imports instead of `path`.
 * Only jobs take this form. Studies, projects and the API never do: code
 * carried inline in a file someone sent would run without a file to approve
 * (see engine/trust).
 */
export const shippedModuleSimulatorSchema = moduleSimulatorSchema.extend({
  source: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const commandSimulatorSchema = z.strictObject({
  kind: z.literal('command'),
  /** Program and arguments, e.g. ["python3", "birth_death.py"]; no shell. */
  // A `sh -c` script may hold line breaks and tabs (shown escaped when approved); nothing else below U+0020.
  command: z
    .array(
      z
        .string()
        // eslint-disable-next-line no-control-regex
        .regex(/^[^\u0000-\u0008\u000b-\u001f\u007f-\u009f]*$/, { error: 'the command contains a control character (such as NUL)' })
        .min(1),
      { error: 'expected the command as a list, e.g. ["python3", "sim.py"]' },
    )
    .min(1, { error: 'expected at least the program' }),
  /** Working directory (default: the study's folder in studies, else the current one). */
  cwd: noControl('working directory').min(1).optional(),
  /** Extra environment variables. */
  env: z.record(z.string(), z.string()).optional(),
  /** Time-out of one simulation in ms (default 30 000). */
  timeoutMs: z.number().int().min(1).optional(),
  /** Time-out of the handshake in ms (default 10 000). */
  startTimeoutMs: z.number().int().min(1).optional(),
  ...common,
});

export const blackBoxSimulatorSchema = z
  .discriminatedUnion('kind', [moduleSimulatorSchema, commandSimulatorSchema], { error: 'expected "kind": "module" or "command"' })
  .superRefine((spec, ctx) => {
    const seen = new Set<string>();
    spec.parameters.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: ['parameters', i, 'id'], message: `parameter "${p.id}" is declared twice` });
      seen.add(p.id);
    });
    const species = new Set<string>();
    spec.species.forEach((s, i) => {
      if (species.has(s)) ctx.addIssue({ code: 'custom', path: ['species', i], message: `species "${s}" is declared twice` });
      species.add(s);
    });
  });

export type ModuleSimulatorSpec = z.output<typeof moduleSimulatorSchema> & { readonly source?: string; readonly sha256?: string };
export type CommandSimulatorSpec = z.output<typeof commandSimulatorSchema>;
export type BlackBoxSimulatorSpec = ModuleSimulatorSpec | CommandSimulatorSpec;

/** Validate a simulator description (the value of a `"simulator"` field in a study, a project or an API call). */
export function parseBlackBoxSpec(json: unknown, source = 'simulator'): BlackBoxSimulatorSpec {
  if (json !== null && typeof json === 'object' && ('source' in json || 'sha256' in json)) {
    throw new BlackBoxSpecError(source, [
      {
        path: `${source}.${'source' in json ? 'source' : 'sha256'}`,
        message: 'a module carried inline is not accepted: give the module as a file ("path"), which must be approved on this computer before it runs',
      },
    ]);
  }
  const parsed = blackBoxSimulatorSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new BlackBoxSpecError(source, zodIssues(parsed.error, { prefix: source }));
}

/** Validate the simulator of a job an executor sent (a module may come inline, see shippedModuleSimulatorSchema). */
export function parseJobSimulatorSpec(json: unknown, source = 'job.simulator'): BlackBoxSimulatorSpec {
  if (json !== null && typeof json === 'object' && (json as { kind?: unknown }).kind === 'module' && 'source' in json) {
    const parsed = shippedModuleSimulatorSchema.safeParse(json);
    if (parsed.success) return parsed.data;
    throw new BlackBoxSpecError(source, zodIssues(parsed.error, { prefix: source }));
  }
  return parseBlackBoxSpec(json, source);
}

const isAbsolute = (path: string) => path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(path);
const join = (base: string, path: string) => (isAbsolute(path) || base === '' ? path : `${base.replace(/[\\/]+$/, '')}/${path}`);

/**
 * Paths made relative to `base` (a study's folder): the module's path, and
 * the command's cwd (which defaults to `base`). The command itself is not
 * touched: it runs in its cwd, found on PATH or relative to the cwd.
 */
export function resolveSpecPaths(spec: BlackBoxSimulatorSpec, base: string): BlackBoxSimulatorSpec {
  if (spec.kind === 'module') return { ...spec, path: join(base, spec.path) };
  return { ...spec, cwd: spec.cwd === undefined ? base || undefined : join(base, spec.cwd) };
}

/**
 * A reaction-network description of the simulator's interface (its species
 * at 0 and declared parameters, no reactions): what code that reads a
 * model's names (runs' stored configuration, parameter lists) sees. It is
 * never simulated.
 */
export function blackBoxModel(spec: BlackBoxSimulatorSpec): ReactionNetworkInput {
  return {
    name: spec.name ?? (spec.kind === 'module' ? spec.path.replace(/^.*[\\/]/, '') : spec.command.join(' ')),
    description: `black-box ${spec.kind} simulator`,
    species: spec.species.map((id) => ({ id, initial: 0 })),
    parameters: spec.parameters.map((p) => ({ id: p.id, value: p.value })),
    reactions: [],
  };
}
