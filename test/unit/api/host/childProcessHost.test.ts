import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallOutcome, EngineEvent, RunFinishedEvent } from '../../../../engine/api/index.js';
import { EngineHostClient, launchChildProcessHost, type HostConnection, type HostCrash } from '../../../../engine/api/host/index.js';

/**
 * The engine host in its own process (a forked Node child running
 * engine/api/host/childProcessEntry.ts: the stand-in for Electron's utility
 * process, which cannot run here). A run in progress when the host dies is
 * reported interrupted, the next call starts a new host that reopens the
 * project, and the run's committed generations are there to resume
 * (SQLite's write-ahead log).
 */

const root = new URL('../../../../', import.meta.url).pathname;
const entry = join(root, 'engine/api/host/childProcessEntry.ts');
const observedCsv = readFileSync(join(root, 'resources/studies/toggle-switch/observed.csv'), 'utf8');

async function value<T>(client: EngineHostClient, method: string, args: unknown = {}): Promise<T> {
  const outcome = (await client.invoke(method, args)) as CallOutcome<T>;
  if (!outcome.ok) throw new Error(`${method}: ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.value;
}

describe('the engine host in a child process', () => {
  let dir: string;
  let client: EngineHostClient;
  let connection: HostConnection | null = null;
  const crashes: HostCrash[] = [];
  const events: EngineEvent[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sciope-host-process-'));
    client = new EngineHostClient({
      launch: () => (connection = launchChildProcessHost({ entry, execArgv: ['--import', 'tsx'] })),
      init: { configDir: join(dir, 'config'), workers: 1, approval: 'none' },
      onCrash: (crash) => crashes.push(crash),
      log: () => {},
    });
    client.onEvent((event) => events.push(event));
  });

  afterAll(async () => {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('survives a crash in the middle of a run: reported, restarted, project reopened, run resumable', async () => {
    const path = join(dir, 'crash.sciope');
    await value(client, 'projects.create', { path });
    const model = await value<{ id: number }>(client, 'models.addExample', { example: 'toggle-switch' });
    const observed = await value<{ id: number }>(client, 'observed.importCsv', { name: 'observed.csv', csv: observedCsv });
    const { priors } = await value<{ priors: unknown }>(client, 'priors.defaults', { modelId: model.id });
    const study = await value<{ id: number }>(client, 'studies.save', {
      name: 'long',
      modelId: model.id,
      observedId: observed.id,
      priors,
      simulation: { runsPerTrial: 1 },
      algorithm: { kind: 'smcAbc', populationSize: 40, maxGenerations: 50 },
      seed: 3,
    });
    const firstGeneration = new Promise<void>((resolve) => {
      const off = client.onEvent((event) => {
        if (event.type === 'run.progress' && event.phase === 'generation' && event.generation >= 1) {
          off();
          resolve();
        }
      });
    });
    const { runId } = await value<{ runId: number }>(client, 'runs.start', { studyId: study.id });
    await firstGeneration;
    const first = connection!;
    first.kill();
    await new Promise<void>((resolve) => first.onExit(() => resolve()));

    expect(crashes).toEqual([expect.objectContaining({ project: path, interruptedRuns: [runId], failedTrainings: [] })]);
    expect(events.filter((e): e is RunFinishedEvent => e.type === 'run.finished')).toEqual([
      expect.objectContaining({ runId, status: 'interrupted', error: expect.objectContaining({ code: 'ENGINE_STOPPED' }) }),
    ]);
    expect(client.running).toBe(false);

    // The next call: a new host, the project reopened, the run interrupted with what it had committed.
    const run = await value<{ status: string; generations: number }>(client, 'runs.get', { runId });
    expect(connection).not.toBe(first);
    expect(run.status).toBe('interrupted');
    // Killed after generation 1's progress event, which comes before that generation is written: generation 0 is committed.
    expect(run.generations).toBeGreaterThanOrEqual(1);
    expect(events).toContainEqual({ type: 'project.changed', project: expect.objectContaining({ path }) });
    const resumed = await client.invoke('runs.resume', { runId });
    expect(resumed).toEqual({ ok: true, value: { runId } });
    await value(client, 'runs.cancel', { runId });
  });

  it('closes on request: the host process ends and later calls are refused', async () => {
    const last = connection!;
    const ended = new Promise<number | null>((resolve) => last.onExit(resolve));
    await client.close();
    expect(await ended).toBe(0);
    expect(await client.invoke('app.info', {})).toMatchObject({ ok: false, error: { code: 'ENGINE_CLOSED' } });
  });
});
