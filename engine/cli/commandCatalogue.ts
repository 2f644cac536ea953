import type { Command } from 'commander';

/**
 * The CLI's top-level commands as `sciope --help` lists them, each with the
 * module that defines it in full. main.ts imports only the module of the
 * command being run: `sciope --version` and `sciope --help` load none of them
 * (a command module pulls in the simulators, SQLite, SSH, TensorFlow...).
 *
 * `usage` and `description` repeat what each module registers;
 * test/unit/cli/commandCatalogue.test.ts checks they stay the same.
 */
export interface CommandEntry {
  name: string;
  /** What follows the name in the top-level help (commander's term: `[options]`, then the arguments). */
  usage: string;
  description: string;
  /** The module's register function (one module may define several commands: project and resume). */
  load: () => Promise<(program: Command, cli: CliRunner) => void>;
}

/**
 * The CLI itself, handed to the commands that run other commands (the
 * cluster-side coordinator of a detached run runs `sciope infer`): passed in
 * rather than imported, so no command module imports main.ts back.
 */
export interface CliRunner {
  runCli(argv: string[]): Promise<number>;
}

const project = async () => (await import('./commands/project.js')).registerProject;

/** In the order the top-level help lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'simulate',
    usage: '[options] <model>',
    description: 'simulate a model (built-in example name, model.json or SBML file)',
    load: async () => (await import('./commands/simulate.js')).registerSimulate,
  },
  {
    name: 'infer',
    usage: '[options] <study>',
    description: 'fit model parameters to observed time series with ABC (rejection, SMC-ABC, replenishment SMC-ABC)',
    load: async () => (await import('./commands/infer.js')).registerInfer,
  },
  {
    name: 'examples',
    usage: '[name]',
    description: 'list the built-in example models, or print one as JSON to start your own model from',
    load: async () => (await import('./commands/examples.js')).registerExamples,
  },
  {
    name: 'validate',
    usage: '<model>',
    description: 'check a model file and print a one-line summary, or every problem found',
    load: async () => (await import('./commands/validate.js')).registerValidate,
  },
  {
    name: 'nodes',
    usage: '',
    description: 'remote compute nodes reached over SSH',
    load: async () => (await import('./commands/nodes.js')).registerNodes,
  },
  {
    name: 'worker',
    usage: '[options]',
    description: 'serve simulation batches over stdin/stdout in the framed worker protocol (what SSH nodes run); exits when stdin closes',
    load: async () => (await import('./commands/worker.js')).registerWorker,
  },
  { name: 'project', usage: '', description: 'create and inspect .sciope project files', load: project },
  {
    name: 'resume',
    usage: '[options] <run-id>',
    description: 'continue an interrupted run of a project from its last stored generation (same result as an uninterrupted run)',
    load: project,
  },
  {
    name: 'serve',
    usage: '[options]',
    description: 'run the app in a web browser: serve the renderer and the engine on 127.0.0.1 with a secret token',
    load: async () => (await import('./commands/serve.js')).registerServe,
  },
  {
    name: 'api',
    usage: '[options] <method> [json]',
    description: 'call one EngineApi method with a JSON argument and print the JSON result',
    load: async () => (await import('./commands/api.js')).registerApi,
  },
  {
    name: 'import',
    usage: '[options] <model>',
    description: 'import an SBML file (Level 2 or 3 core): print what it maps to and every warning; --out writes the model JSON',
    load: async () => (await import('./commands/import.js')).registerImport,
  },
  {
    name: 'dsmts',
    usage: '[options] <suite-folder>',
    description: 'run the DSMTS stochastic test suite on its SBML models; exits non-zero when a case fails',
    load: async () => (await import('./commands/dsmts.js')).registerDsmts,
  },
  {
    name: 'sbml-suite',
    usage: '[options] <folder>',
    description: 'run the SBML Test Suite semantic cases (deterministic time courses); exits 1 on a regression against --expect',
    load: async () => (await import('./commands/sbmlSuite.js')).registerSbmlSuite,
  },
  {
    name: 'explore',
    usage: '[options] <session>',
    description: 'explore a parameter space: simulate batches, embed features in 2-D, propagate labels, propose the next batch',
    load: async () => (await import('./commands/explore.js')).registerExplore,
  },
  {
    name: 'learn',
    usage: '[options] <study>',
    description: "learn summary statistics: train a neural network to estimate a study's parameters from its series (Åkesson et al. 2021)",
    load: async () => (await import('./commands/learn.js')).registerLearn,
  },
  {
    name: 'trust',
    usage: '',
    description: 'approve (or revoke) the black-box simulators a project or study may run',
    load: async () => (await import('./commands/trust.js')).registerTrust,
  },
  {
    name: 'remote',
    usage: '',
    description: 'follow, fetch and cancel studies running as SLURM batch jobs (`sciope infer --detach`)',
    load: async () => (await import('./commands/remote.js')).registerRemote,
  },
];

/**
 * The command an argument list runs (`sciope <command> ...` or `sciope help <command>`),
 * or undefined when it names none (no arguments, --version, --help, a typo).
 */
export function invokedCommand(args: readonly string[]): CommandEntry | undefined {
  const name = args[0] === 'help' ? args[1] : args[0];
  return COMMANDS.find((entry) => entry.name === name);
}
