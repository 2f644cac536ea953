import { dirname, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { RemoteNodeError } from '../../errors/index.js';
import { checkNodes, DEFAULT_KNOWN_HOSTS, parseNodesFile, type NodeReport, type NodeSettings, type NodesFile } from '../../compute/ssh/index.js';
import { InputFileError, readJsonFile } from '../jsonFile.js';
import { parseStudy } from '../../infer/study.js';
import { absoluteSpec } from '../../simulate/blackbox/fingerprint.js';
import { parseBlackBoxSpec, resolveSpecPaths, type BlackBoxSimulatorSpec } from '../../simulate/blackbox/spec.js';
import { formatTable } from '../output/finalStateSummary.js';

const NODES_FORMAT = `
Nodes file (JSON): an array of nodes, or {"knownHosts": path, "nodes": [...]}; each node:
  host, user        required
  port              default 22
  privateKey        key file (relative to the nodes file or ~/...), or
  agent             true (use $SSH_AUTH_SOCK) or an ssh-agent socket path
  passphrase        for an encrypted key (asked on the terminal when missing)
  workers           threads on the node (default: its cores)
  remoteDir         worker cache on the node (default ~/.cache/sciope)
  nodePath          how to start Node there (default "node" on the PATH of a
                    non-interactive login; an absolute path otherwise)
  name              shown in reports (default user@host:port)
Host keys are checked against ~/.ssh/known_hosts (or --known-hosts, or "knownHosts").

Example: [{"host": "compute1.lab", "user": "ana", "privateKey": "~/.ssh/id_ed25519", "workers": 8}]`;

/** Read and validate a nodes file (JSON syntax errors with line and column). */
export function readNodesFile(file: string): NodesFile {
  return parseNodesFile(readJsonFile(file), file, dirname(resolve(file)));
}

/** Ask for a key's passphrase on the terminal without echoing it. */
export function promptPassphrase(node: NodeSettings): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY)
    return Promise.reject(
      new Error(
        `the key ${node.privateKey} is encrypted and there is no terminal to ask its passphrase: give "passphrase" in the nodes file or use an ssh-agent`,
      ),
    );
  return new Promise((resolveAnswer, reject) => {
    process.stderr.write(`passphrase for ${node.privateKey}: `);
    let answer = '';
    stdin.setRawMode(true);
    stdin.resume();
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0003') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.removeListener('data', onData);
          process.stderr.write('\n');
          return ch === '\u0003' ? reject(new Error('passphrase entry interrupted')) : resolveAnswer(answer);
        }
        answer = ch === '\u007f' || ch === '\b' ? answer.slice(0, -1) : answer + ch;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * The black-box simulator of `--simulator`: a study whose model is
 * `{"simulator": ...}`, a `{"simulator": {...}}` file, or a bare spec;
 * paths relative to the file, made absolute.
 */
export function readSimulatorArgument(file: string): BlackBoxSimulatorSpec {
  const json = readJsonFile(file) as Record<string, unknown> | null;
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new InputFileError(file, 'expected a study, a {"simulator": {...}} file or a simulator spec (a JSON object)');
  const base = dirname(resolve(file));
  if ('model' in json && 'observed' in json) {
    const study = parseStudy(json, resolve(file));
    if (!study.simulator) throw new InputFileError(file, 'the study\'s model is not a black-box simulator ({"simulator": {...}}); nothing to check');
    return absoluteSpec(study.simulator);
  }
  const spec = 'simulator' in json ? parseBlackBoxSpec(json.simulator, file) : parseBlackBoxSpec(json, file);
  return absoluteSpec(resolveSpecPaths(spec, base));
}

function table(reports: readonly NodeReport[], withSimulator: boolean): string {
  const rows = reports.map((r) => [
    r.node,
    r.ok ? 'ok' : (r.error?.reason ?? 'failed'),
    r.nodeVersion ?? '-',
    r.cores === undefined || r.cores === null ? '-' : String(r.cores),
    r.workers === undefined ? '-' : String(r.workers),
    r.connectMs === undefined ? '-' : `${Math.round(r.connectMs)} ms`,
    r.hostKey ?? '-',
    ...(withSimulator ? [r.simulator ?? '-'] : []),
  ]);
  return formatTable(['node', 'status', 'node.js', 'cores', 'workers', 'connect', 'host key', ...(withSimulator ? ['simulator'] : [])], rows, [
    'left',
    'left',
    'left',
    'right',
    'right',
    'right',
    'left',
    ...(withSimulator ? (['left'] as const) : []),
  ]);
}

export function registerNodes(program: Command): void {
  const nodes = program.command('nodes').description('remote compute nodes reached over SSH');
  nodes
    .command('check')
    .description('pre-flight every node of a nodes file: connect (host key verified), Node.js version, cores')
    .argument('<nodes>', 'nodes JSON file (format below)')
    .option('--known-hosts <file>', `known_hosts file to verify host keys against (default ${DEFAULT_KNOWN_HOSTS})`)
    .option('--timeout <ms>', 'connection timeout per node', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`--timeout expects a positive integer (ms), got "${v}"`);
      return n;
    })
    .option(
      '--simulator <file>',
      'also check that each node can run this black-box simulator: a study, a {"simulator": {...}} file or a spec (a command: its program on PATH, its cwd and script files; a module is shipped with the jobs)',
    )
    .option('--json', 'print the reports as JSON')
    .addHelpText('after', NODES_FORMAT)
    .action(async (file: string, options: { knownHosts?: string; timeout?: number; json?: boolean; simulator?: string }) => {
      const settings = readNodesFile(file);
      const simulator = options.simulator !== undefined ? readSimulatorArgument(options.simulator) : undefined;
      const knownHosts = options.knownHosts ?? settings.knownHosts ?? DEFAULT_KNOWN_HOSTS;
      const reports = await checkNodes(
        settings.nodes,
        { knownHosts, promptPassphrase, ...(options.timeout ? { connectTimeoutMs: options.timeout } : {}) },
        simulator,
      );
      const failed = reports.filter((r) => !r.ok);
      if (options.json) {
        process.stdout.write(
          JSON.stringify(
            reports.map((r) => ({ ...r, error: r.error?.toJSON() })),
            null,
            2,
          ) + '\n',
        );
      } else {
        process.stdout.write(`${table(reports, simulator !== undefined)}\n`);
        for (const r of failed) process.stdout.write(`\n${r.error!.message}\n`);
        const workers = reports.reduce((n, r) => n + (r.ok ? (r.workers ?? 0) : 0), 0);
        const checked = simulator
          ? `; simulator ${simulator.kind === 'module' ? `module ${simulator.path} (shipped with the jobs)` : `command ${JSON.stringify(simulator.command.join(' '))} (cwd ${simulator.cwd})`}`
          : '';
        process.stdout.write(
          `\n${reports.length - failed.length} of ${reports.length} node(s) ready, ${workers} worker(s); host keys checked against ${knownHosts}${checked}\n`,
        );
      }
      if (failed.length > 0) {
        throw new RemoteNodeError(
          failed.length === 1 ? failed[0].node : `${failed.length} nodes`,
          'preflight',
          `${failed.length} of ${reports.length} node(s) failed the pre-flight check: ${failed.map((r) => r.node).join(', ')}`,
        );
      }
    });
}
