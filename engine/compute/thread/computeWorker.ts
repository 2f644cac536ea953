/**
 * Entry point of a compute thread (bundled by compute/pool/workerBundle.ts as
 * `computeWorker`, started by ComputeThreads): runs the named tasks of
 * computeTasks.ts one at a time, posts their progress, and answers each with
 * its result (typed arrays transferred, not copied) or its error, serialised
 * with class name and code (taskErrors.ts). Cancel is the caller's
 * `terminate()`: nothing of a cancelled task needs to survive.
 */
import { parentPort } from 'node:worker_threads';
import { computeTasks, type ComputeTaskName } from './computeTasks.js';
import { serialiseError } from './taskErrors.js';
import { transferablesOf, type RunMessage, type ThreadReply } from './threadMessages.js';

if (!parentPort) throw new Error('computeWorker runs as a worker thread (see ComputeThreads)');
const port = parentPort;

function reply(message: ThreadReply, transfer: ArrayBuffer[] = []): void {
  try {
    port.postMessage(message, transfer);
  } catch {
    // A buffer that cannot be detached (WebAssembly memory): send a copy instead.
    port.postMessage(message);
  }
}

async function run({ id, task, input }: RunMessage): Promise<void> {
  try {
    const runTask = computeTasks[task as ComputeTaskName] as ((input: unknown, context: { progress: (p: unknown) => void }) => Promise<unknown>) | undefined;
    if (!runTask) throw new Error(`unknown compute task "${task}"`);
    const output = await runTask(input, { progress: (progress) => reply({ type: 'progress', id, progress }) });
    reply({ type: 'result', id, output }, transferablesOf(output));
  } catch (error) {
    reply({ type: 'error', id, error: serialiseError(error) });
  }
}

port.on('message', (message: RunMessage) => {
  if (message.type === 'run') void run(message);
});
