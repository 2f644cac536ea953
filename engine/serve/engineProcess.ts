import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EngineHostClient } from '../api/host/EngineHostClient.js';
import { launchChildProcessHost } from '../api/host/childProcessHost.js';
import type { ApprovalChannel } from '../trust/types.js';

export interface ServeEngineOptions {
  readonly configDir: string;
  readonly workers?: number;
  /** The terminal's code channel (terminalApprovalChannel): the engine's approval codes are printed by this process, in the server's terminal. */
  readonly approvalChannel: ApprovalChannel;
  /** Where a crash of the engine process is reported; default stderr. */
  readonly log?: (message: string) => void;
}

/**
 * `sciope serve`'s engine: the EngineService in its own Node process
 * (engine/api/host/childProcessEntry.ts: prebuilt by build/cliBundle.mjs, or
 * compiled by tsx in a checkout being edited), behind the same bridge as the desktop app's utility process.
 * The server's event loop then only moves bytes: outcomes arrive as the
 * host's UTF-8 JSON and go out as they are (EngineServer uses invokeEncoded),
 * and whatever the engine computes on its own thread (assembling a preview,
 * sampling priors, a posterior view, an export) delays no other request or
 * event. test/bench/serveLoop.bench.ts measures both arrangements.
 *
 * A crashed engine is reported on the terminal and restarted by the next
 * call, with the project reopened (engine/api/host/EngineHostClient.ts).
 */
/**
 * The engine process's entry: the prebuilt out/cli/engineHost.mjs when the
 * launcher (bin/sciope.js) runs the CLI bundle and names it in
 * $SCIOPE_ENGINE_HOST_ENTRY, else the TypeScript source through tsx.
 */
function engineHostLaunch(): { entry: string; execArgv: string[] } {
  const prebuilt = process.env.SCIOPE_ENGINE_HOST_ENTRY;
  if (prebuilt && existsSync(prebuilt)) return { entry: prebuilt, execArgv: [] };
  const entry = fileURLToPath(new URL('../api/host/childProcessEntry.ts', import.meta.url));
  // An absolute URL: `--import tsx` would be resolved from the working directory, which may be anywhere.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { entry, execArgv: [`--import=${tsx}`] };
}

export function serveEngineProcess(options: ServeEngineOptions): EngineHostClient {
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const launch = engineHostLaunch();
  return new EngineHostClient({
    launch: () => launchChildProcessHost(launch),
    init: { configDir: options.configDir, workers: options.workers, approval: options.approvalChannel.kind },
    approvalChannel: options.approvalChannel,
    log,
    onCrash: (crash) =>
      log(
        `sciope serve: the engine process ended unexpectedly${crash.code === null ? '' : ` (exit code ${crash.code})`}; it restarts with the next call` +
          (crash.project ? ` and reopens ${crash.project}` : '') +
          (crash.interruptedRuns.length > 0 ? `; interrupted runs: ${crash.interruptedRuns.join(', ')} (resumable)` : ''),
      ),
  });
}
