import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ProjectFileError } from '../../../engine/errors/index.js';
import { Posterior } from '../../../engine/infer/Posterior.js';
import { exportStudy, importStudy, runCsvLines, runToCsv, runToJson } from '../../../engine/store/export.js';
import { ProjectStore } from '../../../engine/store/ProjectStore.js';
import { MIGRATIONS, SCHEMA_VERSION, SCIOPE_APPLICATION_ID } from '../../../engine/store/schema.js';
import { expectSameGeneration, fakeGeneration, tempDir } from './helpers.js';

const dir = tempDir();
let n = 0;
const fresh = () => join(dir, `p${++n}.sciope`);

function newProjectWithRun(path = fresh()) {
  const store = ProjectStore.open(path, { create: true });
  const modelId = store.addModel({ name: 'toggle', format: 'json', source: '{"name":"toggle"}', parsed: { name: 'toggle', species: [] } });
  const observedId = store.addObserved({ name: 'obs.csv', source: 'time,U\n0,1\n', species: ['U'] });
  const studyId = store.addStudy({ name: 'study', source: '/x/study.json', config: { model: 'toggle', observed: 'obs.csv', priors: {} }, modelId, observedId });
  const runId = store.createRun({ studyId, algorithm: 'smcAbc', seed: 7, options: { populationSize: 10 }, parameterNames: ['a', 'b', 'c'] });
  return { store, path, modelId, observedId, studyId, runId };
}

/** Bytes and mtime of a file, to show it was left alone. */
function snapshot(path: string) {
  return { bytes: readFileSync(path), mtime: statSync(path).mtimeMs };
}

function expectProjectError(fn: () => unknown, reason: string, message: RegExp): ProjectFileError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ProjectFileError);
    expect((error as ProjectFileError).reason).toBe(reason);
    expect((error as Error).message).toMatch(message);
    return error as ProjectFileError;
  }
  throw new Error(`expected a ProjectFileError (${reason})`);
}

describe('ProjectStore: creating and migrating', () => {
  it('creates the schema from nothing: WAL, foreign keys, application id, user_version, schema_migrations', () => {
    const path = fresh();
    const store = ProjectStore.open(path, { create: true });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('application_id', { simple: true })).toBe(SCIOPE_APPLICATION_ID);
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    const applied = store.db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(applied).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    const tables = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((t) => t.name);
    for (const t of [
      'models',
      'observed_datasets',
      'parameter_sets',
      'studies',
      'runs',
      'generations',
      'particles',
      'exploration_batches',
      'networks',
      'settings',
      'schema_migrations',
    ])
      expect(tables).toContain(t);
    store.close();
    // Reopening applies nothing twice.
    const again = ProjectStore.open(path);
    expect(again.db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: MIGRATIONS.length });
    again.close();
  });

  it('refuses an empty (0-byte) file, with create or without, and leaves it empty (it is not a project, and creating never leaves one)', () => {
    const path = fresh();
    writeFileSync(path, '');
    expectProjectError(() => ProjectStore.open(path), 'not-a-project', /empty/);
    expectProjectError(() => ProjectStore.open(path, { create: true }), 'not-a-project', /empty \(0 bytes\)/);
    expect(statSync(path).size).toBe(0);
  });

  it('a missing file without create is "not-found" and creates nothing', () => {
    const path = fresh();
    expectProjectError(() => ProjectStore.open(path), 'not-found', /no such project/);
    expect(() => statSync(path)).toThrow();
  });
});

describe('ProjectStore: round trips', () => {
  it('models, observed data, parameter sets and studies', () => {
    const { store, modelId, observedId, studyId } = newProjectWithRun();
    expect(store.getModel(modelId)).toMatchObject({ name: 'toggle', format: 'json', source: '{"name":"toggle"}', parsed: { name: 'toggle', species: [] } });
    expect(store.getObserved(observedId)).toMatchObject({ name: 'obs.csv', format: 'csv', source: 'time,U\n0,1\n', species: ['U'] });
    expect(store.getStudy(studyId)).toMatchObject({
      name: 'study',
      source: '/x/study.json',
      config: { model: 'toggle', observed: 'obs.csv', priors: {} },
      modelId,
      observedId,
    });
    const setId = store.addParameterSet({ name: 'wide', kind: 'prior', spec: { a: { kind: 'uniform', lower: 0, upper: 1 } } });
    expect(store.listParameterSets()).toEqual([
      expect.objectContaining({ id: setId, name: 'wide', kind: 'prior', spec: { a: { kind: 'uniform', lower: 0, upper: 1 } } }),
    ]);
    expect(store.listModels()).toHaveLength(1);
    expect(store.listObserved()).toEqual([expect.objectContaining({ species: ['U'] })]);
    expect(store.listStudies()).toHaveLength(1);
    store.close();
  });

  it('runs through their statuses', () => {
    const { store, runId, studyId } = newProjectWithRun();
    const run = store.getRun(runId)!;
    expect(run).toMatchObject({
      studyId,
      algorithm: 'smcAbc',
      seed: 7,
      status: 'running',
      options: { populationSize: 10 },
      parameterNames: ['a', 'b', 'c'],
      pid: process.pid,
      finishedAt: null,
    });
    expect(run.engineVersion).toMatch(/^\d+\.\d+/);
    store.endRun(runId, 'failed', 'boom');
    expect(store.getRun(runId)).toMatchObject({ status: 'failed', error: 'boom', pid: null });
    store.claimRun(runId);
    store.completeRun(runId, { stopReason: 'maxGenerations', simulations: 123, config: { algorithm: 'smcAbc' } });
    expect(store.getRun(runId)).toMatchObject({
      status: 'completed',
      stopReason: 'maxGenerations',
      simulations: 123,
      resultConfig: { algorithm: 'smcAbc' },
      error: null,
    });
    expect(store.listRuns({ status: 'completed' })).toHaveLength(1);
    expect(store.listRuns({ status: 'running' })).toHaveLength(0);
    expect(() => store.db.prepare("UPDATE runs SET status = 'bogus'").run()).toThrow(/CHECK/);
    store.close();
  });

  it('generations and particles, bit for bit (NaN, ±Infinity, -0), streamed or whole', () => {
    const { store, runId } = newProjectWithRun();
    const generations = [fakeGeneration(0, 50, 3, 7, true), fakeGeneration(1, 50, 3, 7), fakeGeneration(2, 40, 3, 7)];
    for (const g of generations) store.addGeneration(runId, g);
    expect(store.lastGenerationIndex(runId)).toBe(2);
    expect(store.listGenerations(runId).map((g) => [g.index, g.count, g.epsilon])).toEqual([
      [0, 50, 1],
      [1, 50, 0.5],
      [2, 40, 1 / 3],
    ]);
    generations.forEach((g) => expectSameGeneration(store.loadGeneration(runId, g.index), g));
    let streamed = 0;
    for (const p of store.iterateParticles(runId)) {
      const g = generations[p.generation];
      expect(Array.from(p.parameters)).toEqual(Array.from(g.particles.subarray(p.index * 3, p.index * 3 + 3)));
      streamed++;
    }
    expect(streamed).toBe(140);
    // A generation is one transaction: a duplicate index stores nothing of it.
    expect(() => store.addGeneration(runId, fakeGeneration(2, 10, 3, 7))).toThrow(/UNIQUE/);
    expect(store.listGenerations(runId)).toHaveLength(3);
    // Foreign keys: particles need their generation, generations their run.
    expect(() =>
      store.db.prepare("INSERT INTO particles (run_id, generation, idx, parameters, weight, distance, statistics) VALUES (?, 9, 0, x'', 1, 1, x'')").run(runId),
    ).toThrow(/FOREIGN KEY/);
    store.completeRun(runId, { stopReason: 'maxGenerations', simulations: 150, config: { algorithm: 'smcAbc' } });
    const posterior = store.loadPosterior(runId);
    expect(posterior.generations).toHaveLength(3);
    expect(posterior.parameterNames).toEqual(['a', 'b', 'c']);
    store.deleteRun(runId);
    expect(store.db.prepare('SELECT count(*) AS n FROM particles').get()).toEqual({ n: 0 });
    store.close();
  });

  it('exploration batches, trained networks and settings (without secrets)', () => {
    const { store, studyId } = newProjectWithRun();
    const points = Float64Array.from({ length: 30 }, (_, i) => i / 7);
    const batchId = store.addExplorationBatch({
      studyId,
      name: 'batch 1',
      count: 10,
      dimension: 3,
      featureCount: 2,
      points,
      features: new Float64Array(20).fill(0.5),
      meta: { parameters: ['a', 'b', 'c'] },
    });
    let batch = store.getExplorationBatch(batchId)!;
    expect(Array.from(batch.points)).toEqual(Array.from(points));
    expect(batch).toMatchObject({ name: 'batch 1', count: 10, trajectories: null, labels: null, meta: { parameters: ['a', 'b', 'c'] } });
    store.updateExplorationLabels(batchId, { labels: Float64Array.from([1, 0, NaN, 1, 0, 0, 1, 1, 0, 0]) });
    batch = store.getExplorationBatch(batchId)!;
    expect(Array.from(batch.labels!)).toEqual([1, 0, NaN, 1, 0, 0, 1, 1, 0, 0]);
    expect(store.listExplorationBatches()).toHaveLength(1);

    const weights = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
    const netId = store.addNetwork({ name: 'cnn', topology: { modelTopology: { layers: [] }, weightsManifest: [] }, weights, meta: { epochs: 5 } });
    const net = store.getNetwork(netId)!;
    expect(Buffer.from(net.weights).equals(Buffer.from(weights))).toBe(true);
    expect(net).toMatchObject({ name: 'cnn', topology: { modelTopology: { layers: [] } }, meta: { epochs: 5 } });
    expect(store.listNetworks()).toHaveLength(1);

    const nodes = [{ host: 'hpc1', user: 'me', privateKey: '~/.ssh/id_ed25519', workers: 8 }];
    store.setSetting('ssh.nodes', nodes);
    expect(store.getSetting('ssh.nodes')).toEqual(nodes);
    store.setSetting('ssh.nodes', []);
    expect(store.listSettings()).toEqual({ 'ssh.nodes': [] });
    expectProjectError(() => store.setSetting('ssh.nodes', [{ host: 'hpc1', passphrase: 'hunter2' }]), 'secret', /passphrase/);
    expect(store.getSetting('ssh.nodes')).toEqual([]);
    store.deleteSetting('ssh.nodes');
    expect(store.getSetting('ssh.nodes')).toBeUndefined();
    expect(store.info().counts).toMatchObject({ exploration_batches: 1, networks: 1, settings: 0, runs: 1 });
    store.close();
  });
});

describe('ProjectStore: runs left running', () => {
  it('marks runs of a dead process interrupted on open, and leaves live ones alone', () => {
    const { store, path, runId, studyId } = newProjectWithRun();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    store.db.prepare('UPDATE runs SET pid = ? WHERE id = ?').run(deadPid, runId);
    const live = store.createRun({ studyId, algorithm: 'smcAbc', seed: 1, parameterNames: ['a'] });
    store.db.prepare('UPDATE runs SET pid = ? WHERE id = ?').run(process.ppid, live);
    store.close();
    const again = ProjectStore.open(path);
    expect(again.getRun(runId)).toMatchObject({ status: 'interrupted' });
    expect(again.getRun(runId)!.error).toMatch(new RegExp(`pid ${deadPid}`));
    expect(again.getRun(live)).toMatchObject({ status: 'running' });
    again.close();
  });
});

describe('ProjectStore: files that are not (usable) projects are left unchanged', () => {
  it('garbage bytes: not a Sciope project', () => {
    const path = fresh();
    writeFileSync(path, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919) % 256)));
    const before = snapshot(path);
    expectProjectError(() => ProjectStore.open(path), 'not-a-project', /not a Sciope project \(not an SQLite database\)/);
    expectProjectError(() => ProjectStore.open(path, { create: true }), 'not-a-project', /not an SQLite database/);
    expect(snapshot(path)).toEqual(before);
  });

  it("a text file, and another application's SQLite database", () => {
    const text = fresh();
    writeFileSync(text, 'time,U\n0,1\n'.repeat(20));
    const before = snapshot(text);
    expectProjectError(() => ProjectStore.open(text, { create: true }), 'not-a-project', /not an SQLite database/);
    expect(snapshot(text)).toEqual(before);

    const other = fresh();
    const db = new Database(other);
    db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hello')");
    db.close();
    const otherBefore = snapshot(other);
    expectProjectError(() => ProjectStore.open(other, { create: true }), 'not-a-project', /application id 0/);
    expect(snapshot(other)).toEqual(otherBefore);
  });

  it('a project from a newer schema version', () => {
    const { store, path } = newProjectWithRun();
    store.db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    store.close();
    const before = snapshot(path);
    const error = expectProjectError(
      () => ProjectStore.open(path),
      'newer-version',
      new RegExp(`newer Sciope \\(schema version ${SCHEMA_VERSION + 1}; this version reads up to ${SCHEMA_VERSION}\\)`),
    );
    expect(error.details).toMatchObject({ version: SCHEMA_VERSION + 1, supported: SCHEMA_VERSION });
    expect(snapshot(path)).toEqual(before);
  });

  it('a corrupted project (garbage over its pages)', () => {
    const { store, path, runId } = newProjectWithRun();
    for (let g = 0; g < 4; g++) store.addGeneration(runId, fakeGeneration(g, 200, 5, 20));
    store.close();
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(20 * 4096);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(3 * 4096, 0xa5), 0, 3 * 4096, 4 * 4096);
    closeSync(fd);
    const before = snapshot(path);
    expectProjectError(() => ProjectStore.open(path), 'corrupted', /corrupted/);
    expect(snapshot(path)).toEqual(before);
  });
});

describe('ProjectStore: disk full', () => {
  it('rolls the generation back and says the disk is full', () => {
    const { store, runId } = newProjectWithRun();
    store.addGeneration(runId, fakeGeneration(0, 20, 3, 5));
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages + 2}`);
    expectProjectError(() => store.addGeneration(runId, fakeGeneration(1, 2000, 15, 50)), 'disk-full', /disk is full: storing generation 1 was rolled back/);
    expect(store.listGenerations(runId).map((g) => g.index)).toEqual([0]);
    expect(store.db.prepare('SELECT count(*) AS n FROM particles').get()).toEqual({ n: 20 });
    expect(store.db.inTransaction).toBe(false);
    store.db.pragma('max_page_count = 1073741823');
    store.addGeneration(runId, fakeGeneration(1, 20, 3, 5));
    expect(store.lastGenerationIndex(runId)).toBe(1);
    store.close();
  });
});

describe('export', () => {
  it('a run to CSV (streamed, one generation or all) and JSON readable by Posterior.fromJSON', () => {
    const { store, runId } = newProjectWithRun();
    const generations = [fakeGeneration(0, 4, 3, 2), fakeGeneration(1, 4, 3, 2)];
    for (const g of generations) store.addGeneration(runId, g);
    store.completeRun(runId, { stopReason: 'maxGenerations', simulations: 12, config: { algorithm: 'smcAbc', seed: 7 } });
    const csv = runToCsv(store, runId);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('generation,a,b,c,weight,distance');
    expect(lines).toHaveLength(9);
    const row = lines[5].split(',').map(Number);
    expect(row[0]).toBe(1);
    expect(row.slice(1, 4)).toEqual(Array.from(generations[1].particles.subarray(0, 3)));
    expect(row[4]).toBe(generations[1].weights[0]);
    expect(Array.from(runCsvLines(store, runId, 0))).toHaveLength(5);
    const json = JSON.parse(JSON.stringify(runToJson(store, runId)));
    expect(json).toMatchObject({ format: 'sciope-run', version: 1, run: { id: runId, status: 'completed', seed: 7 }, study: { name: 'study' } });
    const posterior = Posterior.fromJSON(json.posterior);
    expectSameGeneration(posterior.generations[1], generations[1]);
    expect(posterior.stopReason).toBe('maxGenerations');
    store.close();
  });

  it('a study as one self-contained JSON file, imported into another project', () => {
    const { store, studyId } = newProjectWithRun();
    const exported = JSON.parse(JSON.stringify(exportStudy(store, studyId)));
    expect(exported).toMatchObject({
      format: 'sciope-study',
      version: 1,
      study: { name: 'study' },
      model: { format: 'json', source: '{"name":"toggle"}' },
      observed: { source: 'time,U\n0,1\n', species: ['U'] },
    });
    store.close();
    const target = ProjectStore.open(fresh(), { create: true });
    const imported = importStudy(target, exported);
    expect(exportStudy(target, imported)).toEqual(exported);
    expectProjectError(() => importStudy(target, { format: 'something-else' }, 'x.json'), 'not-a-study', /not a Sciope study export/);
    target.close();
  });
});
