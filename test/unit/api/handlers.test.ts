import { describe, expect, it } from 'vitest';
import { API_METHODS } from '../../../engine/api/contract.js';
import { createHandlers, type HandlerContext } from '../../../engine/api/handlers/index.js';
import { ExplorationSessions } from '../../../engine/api/handlers/explorationSessions.js';
import { PreviewTasks } from '../../../engine/api/handlers/previewTasks.js';
import { throttledProgress } from '../../../engine/api/handlers/progressThrottle.js';
import { inThreadCompute } from '../../../engine/compute/thread/ComputeRunner.js';

/**
 * The handler modules together serve exactly the contract's methods (the
 * mapped Handlers type checks this at compile time; this checks the object
 * built at run time, spreads included), and their small state holders behave.
 */
describe('createHandlers', () => {
  it('has one function per EngineApi method and nothing else', () => {
    // Building the map reads nothing from the context: the handlers only close over it.
    const handlers = createHandlers({} as HandlerContext);
    expect(Object.keys(handlers).sort()).toEqual([...API_METHODS].sort());
    for (const method of API_METHODS) expect(typeof handlers[method], method).toBe('function');
  });
});

describe('PreviewTasks', () => {
  it('refuses a second preview with the same id, cancels by id, and frees the id when done', async () => {
    const previews = new PreviewTasks(60_000);
    let signal: AbortSignal | undefined;
    let release!: () => void;
    const first = previews.run('p1', (s) => {
      signal = s;
      return new Promise<string>((resolve) => (release = () => resolve('done')));
    });
    await expect(previews.run('p1', async () => 'again')).rejects.toMatchObject({ code: 'BUSY' });
    expect(previews.cancel('p1')).toBe(true);
    expect(signal?.aborted).toBe(true);
    release();
    await expect(first).resolves.toBe('done');
    expect(previews.cancel('p1')).toBe(false);
  });

  it('stops a preview at its time limit with TIME_LIMIT', async () => {
    const previews = new PreviewTasks(30);
    const slow = previews.run(undefined, (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))));
    await expect(slow).rejects.toMatchObject({ code: 'TIME_LIMIT', details: { seconds: 0.03 } });
  });
});

describe('ExplorationSessions', () => {
  it('runs one step per session at a time and cancels it by name', async () => {
    const sessions = new ExplorationSessions(inThreadCompute);
    let release!: () => void;
    const step = sessions.step('s', (signal) => new Promise<boolean>((resolve) => (release = () => resolve(signal.aborted))));
    await expect(sessions.step('s', async () => 1)).rejects.toMatchObject({ code: 'BUSY' });
    await expect(sessions.step('other', async () => 2)).resolves.toBe(2);
    expect(sessions.cancel('s')).toBe(true);
    release();
    await expect(step).resolves.toBe(true);
    expect(sessions.cancel('s')).toBe(false);
  });
});

describe('throttledProgress', () => {
  it('passes the first call and the last, and drops calls closer than the interval', () => {
    const seen: number[] = [];
    const report = throttledProgress((completed) => seen.push(completed));
    for (let i = 1; i <= 1000; i++) report(i, 1000);
    // A loop of 1000 calls takes far less than 100 ms: the first and the final one pass.
    expect(seen[0]).toBe(1);
    expect(seen.at(-1)).toBe(1000);
    expect(seen.length).toBeLessThan(10);
  });
});
