import type { Simulator } from '../types.js';
import { CommandSimulator } from './CommandSimulator.js';
import { loadBlackBoxFunction } from './loadModule.js';
import { ModuleSimulator } from './ModuleSimulator.js';
import type { BlackBoxSimulatorSpec } from './spec.js';

/** A black-box Simulator, possibly holding a process: `close()` releases it. */
export type BlackBoxSimulator = Simulator & { readonly label: string; close?(): Promise<void> };

/** Build the simulator of `spec`: imports the module, or starts the command and checks its handshake. */
export async function createBlackBoxSimulator(spec: BlackBoxSimulatorSpec): Promise<BlackBoxSimulator> {
  if (spec.kind === 'module') {
    const fn = await loadBlackBoxFunction(spec);
    return new ModuleSimulator(fn, spec, spec.name ?? `module simulator ${spec.path}`);
  }
  const simulator = new CommandSimulator(spec);
  try {
    simulator.start();
  } catch (error) {
    await simulator.close();
    throw error;
  }
  return simulator;
}

/**
 * Simulators kept per thread by their JSON description, so that the jobs of
 * successive generations (same simulator, new job) reuse one process rather
 * than starting one per job. The oldest is closed beyond `CACHE_SIZE`.
 */
const CACHE_SIZE = 4;
const cache = new Map<string, Promise<BlackBoxSimulator>>();

export function sharedBlackBoxSimulator(spec: BlackBoxSimulatorSpec): Promise<BlackBoxSimulator> {
  const key = JSON.stringify(spec);
  let entry = cache.get(key);
  if (entry) {
    cache.delete(key);
    cache.set(key, entry);
    return entry;
  }
  entry = createBlackBoxSimulator(spec);
  cache.set(key, entry);
  entry.catch(() => cache.delete(key));
  for (const [old, simulator] of cache) {
    if (cache.size <= CACHE_SIZE) break;
    cache.delete(old);
    void simulator.then((s) => s.close?.()).catch(() => undefined);
  }
  return entry;
}

/** Close every cached simulator of this thread (tests; shutdown). */
export async function closeSharedBlackBoxSimulators(): Promise<void> {
  const entries = [...cache.values()];
  cache.clear();
  await Promise.allSettled(entries.map((e) => e.then((s) => s.close?.())));
}
