import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, type Command } from 'commander';
import { EngineError } from '../../errors/index.js';
import { checkPathText } from '../../paths/index.js';
import { startEngineServer } from '../../serve/EngineServer.js';
import { serveEngineProcess } from '../../serve/engineProcess.js';
import { terminalApprovalChannel } from '../../serve/terminalApprovalChannel.js';

interface ServeOptions {
  port: number;
  project?: string;
  workers?: number;
  configDir?: string;
}

const SERVE_HELP = `
Web mode: serves the app (the built renderer, out/renderer) and the engine on
127.0.0.1 only. Open the printed URL: it carries a random token, without which
the engine answers nothing, so other users of this machine and other web pages
cannot drive it. To use a workstation's engine from a laptop, tunnel the port:
  ssh -L 8630:127.0.0.1:8630 workstation 'npx sciope serve --port 8630'
and open the printed URL on the laptop. Stop with Ctrl-C: a run in progress is
cancelled and stays resumable in its project.`;

const portOption = (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535) throw new InvalidArgumentError(`--port expects an integer between 0 and 65535, got "${value}"`);
  return n;
};
const workersOption = (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 1024) throw new InvalidArgumentError(`--workers expects an integer between 1 and 1024, got "${value}"`);
  return n;
};

/** Settings folder shared with the desktop app's conventions: $XDG_CONFIG_HOME/sciope or ~/.config/sciope. */
function defaultConfigDir(): string {
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'sciope');
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the app in a web browser: serve the renderer and the engine on 127.0.0.1 with a secret token')
    .option('-p, --port <port>', 'port (0 picks a free one)', portOption, 8630)
    .option('--project <file>', 'open (or create) this .sciope project at start')
    .option('-w, --workers <N>', 'local worker threads (default: the saved setting, else one per core)', workersOption)
    .option('--config-dir <dir>', 'settings folder (workers, SSH nodes, recent projects)')
    .addHelpText('after', SERVE_HELP)
    .action((options: ServeOptions) => serve(options));
}

async function serve(options: ServeOptions): Promise<void> {
  // The paths the server itself reads are checked before any file call: after a control character the checked path is not the opened one.
  if (options.project !== undefined) checkPathText(options.project, '--project');
  if (options.configDir !== undefined) checkPathText(options.configDir, '--config-dir');
  // Approvals of black-box simulators: the code goes to this terminal, never to the browser,
  // so a page or script holding only the web token cannot approve code on its own.
  // The engine runs in its own process, so this one's loop only serves HTTP and events (engine/serve/engineProcess.ts).
  const service = serveEngineProcess({
    configDir: options.configDir ?? defaultConfigDir(),
    workers: options.workers,
    approvalChannel: terminalApprovalChannel(process.stderr),
  });
  if (options.project) {
    const method = existsSync(options.project) ? 'projects.open' : 'projects.create';
    try {
      await service.call(method, { path: options.project });
    } catch (error) {
      await service.close();
      throw error;
    }
  }
  const staticDir = fileURLToPath(new URL('../../../out/renderer', import.meta.url));
  let server: Awaited<ReturnType<typeof startEngineServer>>;
  try {
    server = await startEngineServer({ service, port: options.port, staticDir });
  } catch (error) {
    await service.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new EngineError(
        'PORT_IN_USE',
        `port ${options.port} on 127.0.0.1 is in use (another \`sciope serve\`?); choose another with --port, or --port 0 for a free one`,
        { port: options.port },
      );
    if (code === 'EACCES')
      throw new EngineError('PORT_DENIED', `port ${options.port} needs privileges; use a port above 1023, or --port 0 for a free one`, { port: options.port });
    throw error;
  }
  // The first line is a contract: tests and scripts read the URL from it.
  process.stdout.write(`Sciope Desktop engine serving ${server.url}\n`);
  if (!existsSync(join(staticDir, 'index.html')))
    process.stderr.write('sciope: the app is not built (no out/renderer): run `npm run build`; the API is served meanwhile\n');
  await new Promise<void>((resolveStop) => {
    const stop = () => {
      process.stderr.write('sciope: stopping (cancelling runs in progress)\n');
      resolveStop();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await service.close();
}
