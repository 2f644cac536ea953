import { availableParallelism } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { runRemoteWorker } from '../../compute/pool/remoteWorker.js';
import { workerBundlePath } from '../../compute/pool/workerBundle.js';

const count = (name: string, min: number) => (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min) throw new InvalidArgumentError(`${name} expects an integer >= ${min}, got "${value}"`);
  return n;
};

/**
 * `sciope worker`: the remote worker protocol on stdin/stdout, the same code
 * the SSH pool uploads (engine/compute/pool/remoteWorker.ts); its threads
 * run the bundled worker file. For a node where the app is installed, or to
 * try the protocol by hand.
 */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('serve simulation batches over stdin/stdout in the framed worker protocol (what SSH nodes run); exits when stdin closes')
    .option('-t, --threads <N>', 'worker threads (default: the cores)', count('--threads', 1))
    .option('--heartbeat <ms>', 'heartbeat period', count('--heartbeat', 1), 1000)
    .option('--host-timeout <ms>', 'exit when the host is silent this long (0: never)', count('--host-timeout', 0), 60_000)
    .action(async (options: { threads?: number; heartbeat: number; hostTimeout: number }) => {
      const threadScript = await workerBundlePath('remoteWorker');
      const code = await runRemoteWorker({
        threads: options.threads ?? availableParallelism(),
        threadScript,
        heartbeatMs: options.heartbeat,
        hostTimeoutMs: options.hostTimeout,
      });
      if (code !== 0) process.exitCode = code;
    });
}
