/**
 * An NPE run through the engine's run path (RunManager, as `runs.start`
 * uses it): training epochs arrive as throttled `run.training` events, the
 * round as a stored generation, the estimator and its loss curves are
 * stored with the run and read back after the project is reopened, and a
 * project file from before the estimator table gains it when opened.
 * The toy and its tolerances are test/unit/infer/npeStudy.test.ts's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineEvent, RunFinishedEvent, RunTrainingEvent } from '../../../engine/api/contract.js';
import { RunManager } from '../../../engine/api/RunManager.js';
import { storedTraining } from '../../../engine/api/runTraining.js';
import { getExample } from '../../../engine/model';
import { ProjectStore } from '../../../engine/store/ProjectStore.js';
import { readRunEstimator } from '../../../engine/store/runEstimators.js';
import { SCHEMA_VERSION } from '../../../engine/store/schema.js';
import { storedPosterior } from '../../../engine/api/projectViews.js';
import { FunctionExecutor } from '../infer/fixtures';
import { TINY_NPE } from '../infer/npeFixtures';

const dir = mkdtempSync(join(tmpdir(), 'sciope-npe-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function setUp(path: string, algorithm: Record<string, unknown>): { store: ProjectStore; studyId: number } {
  const store = ProjectStore.open(path, { create: true });
  const model = getExample('birth-death')!;
  const modelId = store.addModel({ name: 'birth-death', format: 'example', source: 'birth-death', parsed: model });
  const observedId = store.addObserved({ name: 'obs.csv', source: 'time,X\n0,1\n' });
  const config = { model: 'birth-death', observed: 'obs.csv', priors: { lambda: [-3, 3] }, summaries: { kind: 'identity' }, algorithm, seed: 5 };
  const studyId = store.addStudy({ name: 'gaussian', source: 'gaussian.json', config, modelId, observedId });
  return { store, studyId };
}

function manager(events: EngineEvent[]): RunManager {
  return new RunManager({
    executor: async () => new FunctionExecutor((p, rng) => [p[0] + 0.5 * rng.nextNormal()], 100),
    emit: (event) => events.push(event),
    log: () => {},
  });
}

async function finished(events: EngineEvent[], runId: number): Promise<RunFinishedEvent> {
  for (;;) {
    const done = events.find((e): e is RunFinishedEvent => e.type === 'run.finished' && e.runId === runId);
    if (done) return done;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('NPE runs in the project', () => {
  it('streams training epochs, stores the rounds as generations and the estimator with its curves, and reads them back after reopening', async () => {
    const path = join(dir, 'npe.sciope');
    const { store, studyId } = setUp(path, TINY_NPE);
    const events: EngineEvent[] = [];
    const runs = manager(events);
    const runId = runs.start(store, { studyId });
    const done = await finished(events, runId);
    expect(done).toMatchObject({ status: 'completed', error: null });

    const training = events.filter((e): e is RunTrainingEvent => e.type === 'run.training' && e.runId === runId);
    const epochs = training.flatMap((e) => e.epochs.map((x) => x.epoch));
    expect(epochs[0]).toBe(1);
    // Every epoch exactly once, in order, however the events were batched.
    expect(epochs).toEqual(Array.from({ length: epochs.length }, (_, i) => i + 1));
    // Throttled: far fewer events than epochs (at most one per 100 ms, plus the round's end), unless training took > 100 ms an epoch.
    expect(training.length).toBeLessThanOrEqual(epochs.length);
    const progress = events.filter((e) => e.type === 'run.progress' && e.runId === runId && e.phase === 'generation');
    expect(progress).toHaveLength(1);
    expect(progress[0]).toMatchObject({ generation: 0, maxGenerations: 1 });
    store.close();

    const reopened = ProjectStore.open(path);
    try {
      const run = reopened.getRun(runId)!;
      expect(run).toMatchObject({ algorithm: 'npe', status: 'completed', simulations: 300, stopReason: 'budgetExhausted' });
      const curves = storedTraining(reopened, run);
      expect(curves).toMatchObject({ runId, live: false, plannedRounds: 1, maxEpochs: 60 });
      expect(curves.rounds).toHaveLength(1);
      expect(curves.rounds[0].trainLoss).toHaveLength(epochs.length);
      expect(curves.rounds[0].validationLoss).toHaveLength(epochs.length);
      expect(curves.rounds[0]).toMatchObject({ round: 0, simulations: 300 });
      expect(curves.rounds[0].bestEpoch).toBeGreaterThan(0);
      // The live curve and the stored one are the same numbers.
      expect(curves.rounds[0].trainLoss).toEqual(training.flatMap((e) => e.epochs.map((x) => x.trainLoss)));
      const estimator = readRunEstimator(reopened, runId)!;
      expect(estimator.kind).toBe('neuralPosterior');
      expect(estimator.estimator).toMatchObject({ parameterNames: ['lambda'], simulations: 300 });
      const posterior = storedPosterior(reopened, run);
      expect(posterior.generations).toHaveLength(1);
      const mean = posterior.mean()[0];
      expect(mean).toBeGreaterThan(0.75);
      expect(mean).toBeLessThan(1.25);
    } finally {
      reopened.close();
    }
  }, 60_000);

  it('cancels while the estimator trains: the run ends cancelled, its live curve is served until then', async () => {
    const { store, studyId } = setUp(join(dir, 'cancel.sciope'), { ...TINY_NPE, training: { ...TINY_NPE.training, patience: 1000, maxEpochs: 1000 } });
    const events: EngineEvent[] = [];
    const runs = manager(events);
    const runId = runs.start(store, { studyId });
    while (!events.some((e) => e.type === 'run.training' && e.runId === runId)) await new Promise((resolve) => setTimeout(resolve, 10));
    const live = runs.training(runId)!;
    expect(live).toMatchObject({ runId, live: true, plannedRounds: 1, maxEpochs: 1000 });
    expect(live.rounds[0].trainLoss.length).toBeGreaterThan(0);
    expect(runs.cancel(runId)).toBe(true);
    expect(await finished(events, runId)).toMatchObject({ status: 'cancelled', error: null });
    expect(runs.training(runId)).toBeNull();
    expect(store.getRun(runId)).toMatchObject({ status: 'cancelled' });
    // Cancelled inside round 0: no round ended, so nothing was stored.
    expect(storedTraining(store, store.getRun(runId)!).rounds).toEqual([]);
    store.close();
  }, 60_000);

  it('an ABC run has no training curves', () => {
    const { store, studyId } = setUp(join(dir, 'abc.sciope'), { kind: 'abcRejection', budget: 50, quantile: 0.5 });
    const runId = store.createRun({ studyId, algorithm: 'abcRejection', seed: 1, parameterNames: ['lambda'] });
    expect(storedTraining(store, store.getRun(runId)!)).toEqual({ runId, live: false, rounds: [], plannedRounds: null, maxEpochs: null });
    store.close();
  });

  it('a project from before the estimator table gains it when opened, and a read-only old file reads as having no curves', () => {
    const path = join(dir, 'old.sciope');
    const { store, studyId } = setUp(path, TINY_NPE);
    const runId = store.createRun({ studyId, algorithm: 'npe', seed: 1, parameterNames: ['lambda'] });
    store.db.exec('DROP TABLE run_estimators; DELETE FROM schema_migrations WHERE version >= 2');
    store.db.pragma('user_version = 1');
    store.close();
    const readOnly = ProjectStore.open(path, { readonly: true });
    expect(storedTraining(readOnly, readOnly.getRun(runId)!).rounds).toEqual([]);
    readOnly.close();
    const migrated = ProjectStore.open(path);
    expect(migrated.schemaVersion).toBe(SCHEMA_VERSION);
    expect(migrated.db.prepare("SELECT name FROM sqlite_master WHERE name = 'run_estimators'").get()).toEqual({ name: 'run_estimators' });
    migrated.close();
  });
});
