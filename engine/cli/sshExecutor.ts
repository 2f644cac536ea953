import { InvalidArgumentError } from 'commander';
import type { Executor } from '../compute/executor.js';

/** Placeholder until the SSH node pool lands: a clear message instead of a crash. */
export async function createSshExecutor(nodesFile: string): Promise<Executor> {
  throw new InvalidArgumentError(`--executor ssh (${nodesFile}): the SSH node pool is not available in this build`);
}
