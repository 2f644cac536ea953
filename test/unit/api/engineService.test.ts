import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineService, type EngineEvent, type RunFinishedEvent } from '../../../engine/api/index.js';
import { SCHEMA_VERSION } from '../../../engine/store/schema.js';

const root = new URL('../../../', import.meta.url).pathname;
const toggleObserved = readFileSync(join(root, 'resources/studies/toggle-switch/observed.csv'), 'utf8');

function finished(service: EngineService, runId: number): Promise<RunFinishedEvent> {
  return new Promise((resolve) => {
    const off = service.onEvent((event) => {
      if (event.type === 'run.finished' && event.runId === runId) {
        off();
        resolve(event);
      }
    });
  });
}

describe('EngineService', () => {
  let dir: string;
  let service: EngineService;
  const events: EngineEvent[] = [];
  /** Approval codes as `sciope serve` would print them on its terminal (web mode's channel). */
  const codes: Array<{ code: string; text: string }> = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sciope-api-'));
    service = new EngineService({
      configDir: join(dir, 'config'),
      workers: 2,
      log: () => {},
      approvalChannel: { kind: 'code', announce: (request, code) => void codes.push({ code, text: request.text }) },
    });
    service.onEvent((event) => events.push(event));
  });

  afterAll(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses work before a project is open, naming what to do', async () => {
    const outcome = await service.invoke('models.examples', {});
    expect(outcome.ok).toBe(true);
    const refused = await service.invoke('models.addExample', { example: 'birth-death' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NO_PROJECT', message: expect.stringContaining('create or open a project') } });
  });

  it('validates every argument and names the bad field', async () => {
    const outcome = await service.invoke('simulate.preview', { modelId: 1, runs: 0, method: 'euler' });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe('INVALID_ARGUMENT');
    const issues = outcome.error.details.issues as Array<{ path: string; message: string }>;
    expect(issues.map((i) => i.path).sort()).toEqual(['method', 'runs']);
    expect(issues.find((i) => i.path === 'method')!.message).toContain('"ssa", "tau", "ode" or "hybrid"');
    expect(await service.invoke('nope.method', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await service.invoke('projects.open', { path: '', extra: 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('creates a project, refuses to create over an existing file, and remembers it as recent', async () => {
    const path = join(dir, 'p.sciope');
    const project = await service.call('projects.create', { path });
    expect(project).toMatchObject({ path, name: 'p', schemaVersion: SCHEMA_VERSION });
    expect(await service.invoke('projects.create', { path })).toMatchObject({ ok: false, error: { code: 'PROJECT_EXISTS' } });
    expect(await service.call('projects.recent')).toEqual([path]);
    expect(events).toContainEqual({ type: 'project.changed', project: expect.objectContaining({ path }) });
    expect(await service.invoke('projects.open', { path: join(dir, 'missing.sciope') })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await service.invoke('projects.create', { path: join(dir, 'no', 'such', 'folder', 'p.sciope') })).toMatchObject({
      ok: false,
      error: { code: 'PROJECT_FILE', details: { reason: 'no-folder' }, message: expect.stringContaining('does not exist; create it first') },
    });
  });

  it('reports model problems as the user types, and refuses to save an invalid model', async () => {
    const bad = { name: 'x', species: [{ id: 'A', initial: 1 }], reactions: [{ reactants: { B: 1 }, products: {}, rate: 'k' }] };
    const { issues } = await service.call('models.check', { model: bad });
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.some((i) => i.path.startsWith('reactions[0]'))).toBe(true);
    const refused = await service.invoke('models.save', { name: 'x', model: bad });
    expect(refused).toMatchObject({ ok: false, error: { code: 'MODEL_INVALID' } });
  });

  it('replaces an unused model in place, keeps a used one, and refuses to delete a used model', async () => {
    const model = (await service.call('models.addExample', { example: 'birth-death', name: 'editable' })).model;
    const saved = await service.call('models.save', { name: 'mine', model });
    const edited = await service.call('models.save', { id: saved.id, name: 'mine v2', model });
    expect(edited.id).toBe(saved.id);
    expect(edited.name).toBe('mine v2');
    await service.call('models.delete', { id: saved.id });
    expect(await service.invoke('models.get', { id: saved.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('imports SBML with its warnings and reports a malformed document with its line', async () => {
    const xml = readFileSync(join(root, 'test/fixtures/sbml/vilar.xml'), 'utf8');
    const result = await service.call('models.importSbml', { name: 'vilar.xml', xml });
    expect(result.model.format).toBe('sbml');
    expect(result.model.species).toContain('R');
    // Named from <model name>, else its id, else the file name.
    expect(result.model.name).toBe('Vilar oscillator');
    const unnamed = xml.replace(' name="Vilar oscillator"', '');
    expect((await service.call('models.importSbml', { name: 'v.xml', xml: unnamed })).model.name).toBe('vilar');
    expect((await service.call('models.importSbml', { name: 'v.xml', xml: unnamed.replace(' id="vilar"', '') })).model.name).toBe('v');
    const malformed = await service.invoke('models.importSbml', { name: 'bad.xml', xml: readFileSync(join(root, 'test/fixtures/sbml/malformed.xml'), 'utf8') });
    expect(malformed.ok).toBe(false);
    if (!malformed.ok) {
      expect(malformed.error.code).toBe('SBML_IMPORT');
      expect(JSON.stringify(malformed.error.details)).toMatch(/"line":\d+/);
    }
  });

  it('previews simulations reproducibly for a seed, with mean and sd per species', async () => {
    const model = await service.call('models.addExample', { example: 'birth-death' });
    const a = await service.call('simulate.preview', { modelId: model.id, runs: 20, points: 11, seed: 5 });
    const b = await service.call('simulate.preview', { modelId: model.id, runs: 20, points: 11, seed: 5 });
    expect(a.data).toEqual(b.data);
    expect(a.data).toHaveLength(20 * model.species.length * 11);
    expect(a.mean[0]).toBe(a.data[0]);
    expect(a.sd[0]).toBe(0);
    const other = await service.invoke('simulate.preview', { modelId: model.id, parameters: { nope: 1 } });
    expect(other).toMatchObject({ ok: false, error: { details: { issues: [{ path: 'parameters.nope' }] } } });
  });

  it('samples priors reproducibly inside their bounds and proposes defaults around the current values', async () => {
    const model = await service.call('models.addExample', { example: 'toggle-switch' });
    const { priors } = await service.call('priors.defaults', { modelId: model.id });
    expect(priors.beta).toEqual({ kind: 'uniform', lower: 1, upper: 4 });
    const s1 = await service.call('priors.sample', { priors, n: 500, seed: 3 });
    const s2 = await service.call('priors.sample', { priors, n: 500, seed: 3 });
    expect(s1.samples).toEqual(s2.samples);
    const k = s1.names.indexOf('beta');
    for (let i = 0; i < 500; i++) expect(s1.samples[i * s1.names.length + k]).toBeGreaterThanOrEqual(1);
    expect(await service.invoke('priors.sample', { priors: { a: { kind: 'uniform', lower: 2, upper: 1 } } })).toMatchObject({
      ok: false,
      error: { code: 'PRIOR_INVALID' },
    });
  });

  it('reports a bad observed CSV with its line', async () => {
    const outcome = await service.invoke('observed.importCsv', { name: 'obs.csv', csv: 'time,U\n0,1\n1,x\n' });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.message).toMatch(/obs\.csv.*line 3/);
  });

  it('runs a toggle-switch SMC-ABC in the background with progress, stores it, and shows the posterior', async () => {
    const model = (await service.call('projects.contents')).models.find((m) => m.name === 'toggle-switch')!;
    const observed = await service.call('observed.importCsv', { name: 'observed.csv', csv: toggleObserved });
    expect(observed).toMatchObject({ species: ['U', 'V'], trajectories: 100 });
    const { priors } = await service.call('priors.defaults', { modelId: model.id });
    const unknown = await service.invoke('studies.save', {
      name: 's',
      modelId: model.id,
      observedId: observed.id,
      priors: { ...priors, nope: { kind: 'uniform', lower: 0, upper: 1 } },
    });
    expect(unknown).toMatchObject({ ok: false, error: { details: { issues: [{ path: 'priors.nope' }] } } });
    const study = await service.call('studies.save', {
      name: 'toggle',
      modelId: model.id,
      observedId: observed.id,
      priors,
      simulation: { runsPerTrial: 2 },
      algorithm: { kind: 'smcAbc', populationSize: 60, maxGenerations: 3 },
      seed: 11,
      truth: { alpha1: 1, alpha2: 1, beta: 2, gamma: 2, mu: 1 },
    });
    expect(await service.invoke('models.delete', { id: model.id })).toMatchObject({ ok: false, error: { code: 'MODEL_IN_USE' } });
    const kept = await service.call('models.save', { id: model.id, name: 'toggle edited', model: (await service.call('models.get', { id: model.id })).model });
    expect(kept.id).not.toBe(model.id);
    const { runId } = await service.call('runs.start', { studyId: study.id });
    const done = await finished(service, runId);
    expect(done).toMatchObject({ status: 'completed', error: null });
    const progress = events.filter((e) => e.type === 'run.progress' && e.runId === runId && e.phase === 'generation');
    expect(progress.map((e) => (e as { generation: number }).generation)).toEqual([0, 1, 2]);
    const run = await service.call('runs.get', { runId });
    expect(run).toMatchObject({ status: 'completed', generations: 3, truth: { beta: 2 } });
    const view = await service.call('runs.posterior', { runId, kdePoints: 50 });
    expect(view.count).toBe(60);
    expect(view.epsilons).toHaveLength(3);
    expect(view.epsilons[2]).toBeLessThan(view.epsilons[0]);
    const beta = view.marginals.find((m) => m.parameter === 'beta')!;
    expect(beta).toMatchObject({ priorLower: 1, priorUpper: 4, truth: 2 });
    expect(beta.kde.x).toHaveLength(50);
    const predictive = await service.call('runs.predictive', { runId, samples: 5 });
    expect(predictive.data).toHaveLength(5 * 2 * observed.time.length);
    const csv = await service.call('runs.export', { runId, format: 'csv' });
    expect(csv.content.split('\n')[0]).toBe('generation,alpha1,alpha2,beta,gamma,mu,weight,distance');
    const contents = await service.call('projects.contents');
    expect(contents.runs.map((r) => r.id)).toContain(runId);
  });

  it('cancels a run, and resuming it gives the posterior of an uninterrupted run bit for bit', async () => {
    const contents = await service.call('projects.contents');
    const studyId = contents.studies.find((s) => s.name === 'toggle')!.id;
    const reference = await service.call('runs.start', { studyId, populationSize: 40, maxGenerations: 3, seed: 99 });
    await finished(service, reference.runId);
    const { runId } = await service.call('runs.start', { studyId, populationSize: 40, maxGenerations: 3, seed: 99 });
    const stopped = finished(service, runId);
    const off = service.onEvent((event) => {
      if (event.type === 'run.progress' && event.runId === runId && event.phase === 'generation' && event.generation === 0)
        void service.call('runs.cancel', { runId });
    });
    expect((await stopped).status).toBe('cancelled');
    off();
    expect((await service.call('runs.get', { runId })).status).toBe('cancelled');
    const resumedDone = finished(service, runId);
    await service.call('runs.resume', { runId });
    expect((await resumedDone).status).toBe('completed');
    const a = await service.call('runs.posterior', { runId: reference.runId });
    const b = await service.call('runs.posterior', { runId });
    expect(b.particles).toEqual(a.particles);
    expect(b.weights).toEqual(a.weights);
  });

  /** Approve the simulator of model `name` the way web mode does: request, read the code off the terminal, give it back. */
  async function approveThroughCode(name: string): Promise<void> {
    const pending = (await service.call('trust.list')).simulators.find((s) => s.usedBy.includes(`model "${name}"`))!;
    expect(pending).toMatchObject({ approved: false });
    expect(await service.call('trust.request', { fingerprint: pending.fingerprint! })).toEqual({ approved: false, via: 'code' });
    const { code, text } = codes.at(-1)!;
    expect(text).toBe(pending.text);
    const wrong = await service.invoke('trust.approve', { fingerprint: pending.fingerprint!, code: code === '0000-0000' ? '0000-0001' : '0000-0000' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'APPROVAL_CODE' } });
    const list = await service.call('trust.approve', { fingerprint: pending.fingerprint!, code });
    expect(list.simulators.find((s) => s.fingerprint === pending.fingerprint)).toMatchObject({ approved: true });
    // A code is good once.
    expect(await service.invoke('trust.approve', { fingerprint: pending.fingerprint!, code })).toMatchObject({ ok: false, error: { code: 'APPROVAL_CODE' } });
  }

  it('adds black-box simulators (module and command) that preview and run like models', async () => {
    const relative = await service.invoke('models.addSimulator', {
      name: 'decay',
      simulator: {
        kind: 'module',
        path: 'decay-module.mjs',
        parameters: [
          { id: 'a0', value: 100 },
          { id: 'k', value: 0.1 },
        ],
        species: ['A', 'B'],
      },
    });
    expect(relative).toMatchObject({ ok: false, error: { code: 'BLACKBOX_SPEC', details: { issues: [{ path: 'simulator.path' }] } } });
    const decay = await service.call('models.addSimulator', {
      name: 'decay',
      simulator: {
        kind: 'module',
        path: join(root, 'test/fixtures/blackbox/decay-module.mjs'),
        parameters: [
          { id: 'a0', value: 100 },
          { id: 'k', value: 0.1 },
        ],
        species: ['A', 'B'],
      },
    });
    expect(decay).toMatchObject({
      format: 'simulator',
      species: ['A', 'B'],
      parameters: [
        { id: 'a0', value: 100 },
        { id: 'k', value: 0.1 },
      ],
    });
    // Nothing runs before the person approves it; the refusal says what would run.
    const refused = await service.invoke('simulate.preview', { modelId: decay.id, runs: 1, points: 11, tEnd: 10, seed: 1 });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'SIMULATOR_NOT_APPROVED', details: { description: { kind: 'module', module: join(root, 'test/fixtures/blackbox/decay-module.mjs') } } },
    });
    await approveThroughCode(decay.name);
    const preview = await service.call('simulate.preview', { modelId: decay.id, runs: 1, points: 11, tEnd: 10, seed: 1 });
    expect(preview.data[0]).toBeCloseTo(100, -1);
    expect(preview.data[10] + preview.data[21]).toBeCloseTo(100, 6);
    const python = await service.call('models.addSimulator', {
      name: 'birth-death (Python)',
      simulator: {
        kind: 'command',
        command: ['python3', join(root, 'resources/simulators/birth_death.py')],
        parameters: [
          { id: 'lambda', value: 0.3 },
          { id: 'mu', value: 0.6 },
          { id: 'x0', value: 100 },
        ],
        species: ['X'],
      },
    });
    const observed = await service.call('observed.importCsv', {
      name: 'mean.csv',
      csv: readFileSync(join(root, 'test/fixtures/blackbox/birth-death-mean.csv'), 'utf8'),
    });
    await approveThroughCode(python.name);
    const study = await service.call('studies.save', {
      name: 'python birth-death',
      modelId: python.id,
      observedId: observed.id,
      priors: { mu: { kind: 'uniform', lower: 0.1, upper: 1.5 } },
      summaries: { kind: 'identity' },
      distance: { kind: 'euclidean' },
      simulation: { runsPerTrial: 4 },
      algorithm: { kind: 'abcRejection', budget: 300, quantile: 0.05 },
      seed: 5,
    });
    const { runId } = await service.call('runs.start', { studyId: study.id });
    expect((await finished(service, runId)).status).toBe('completed');
    const view = await service.call('runs.posterior', { runId });
    // The observed series is the closed-form mean at mu = 0.6; the prior spreads over [0.1, 1.5].
    expect(Math.abs(view.marginals[0].mean - 0.6)).toBeLessThan(0.1);
  });

  it('explores a model: batches, embedding, labels, propagation, proposals, and reloads the session from the project', async () => {
    const model = await service.call('models.addExample', { example: 'toggle-switch', name: 'toggle for exploration' });
    const created = await service.call('explore.create', {
      modelId: model.id,
      session: {
        name: 'toggle map',
        parameters: { alpha1: [0.5, 2], beta: [1, 4] },
        time: { end: 20, points: 21 },
        batchSize: 40,
        design: { kind: 'sobol' },
        reduction: 'pca',
        seed: 3,
      },
    });
    expect(created).toMatchObject({ name: 'toggle map', modelId: model.id, parameterNames: ['alpha1', 'beta'], batches: [] });
    expect(await service.invoke('explore.create', { modelId: model.id, session: { name: 'toggle map', parameters: { alpha1: [0.5, 2] } } })).toMatchObject({
      ok: false,
      error: { code: 'EXISTS' },
    });
    const afterBatch = await service.call('explore.runBatch', { name: 'toggle map' });
    expect(afterBatch.parameters).toHaveLength(40);
    expect(afterBatch.features[0].length).toBe(afterBatch.featureNames.length);
    const embedding = await service.call('explore.embed', { name: 'toggle map' });
    expect(embedding.x).toHaveLength(40);
    expect(embedding.method).toBe('pca');
    const labelled = await service.call('explore.label', { name: 'toggle map', labels: { 0: 'low', 1: 'high', 2: 'low' }, classes: ['low', 'high'] });
    expect(labelled.classNames).toEqual(['low', 'high']);
    expect(labelled.labels).toEqual({ 0: 0, 1: 1, 2: 0 });
    const propagation = await service.call('explore.propagate', { name: 'toggle map' });
    expect(propagation.hard).toHaveLength(40);
    expect(propagation.hard[0]).toBe(0);
    const proposal = await service.call('explore.propose', { name: 'toggle map', n: 5 });
    expect(proposal.parameters).toHaveLength(5);
    const grown = await service.call('explore.runBatch', {
      name: 'toggle map',
      source: { kind: 'parameters', parameters: proposal.parameters, strategy: proposal.strategy },
    });
    expect(grown.batches.map((b) => b.count)).toEqual([40, 5]);
    expect(await service.invoke('explore.label', { name: 'toggle map', labels: { 999: 'low' } })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('no point 999') },
    });
    // Reopen the project: the session comes back from the file with its batches and labels.
    const path = (await service.call('app.info')).project!.path;
    await service.call('projects.open', { path });
    expect(await service.call('explore.list')).toContain('toggle map');
    const reloaded = await service.call('explore.open', { name: 'toggle map' });
    expect(reloaded.parameters).toEqual(grown.parameters);
    expect(reloaded.labels).toEqual({ 0: 0, 1: 1, 2: 0 });
    expect(reloaded.modelId).toBe(model.id);
    expect(reloaded.time).toHaveLength(21);
    // A long batch can be cancelled; the batches before it stay.
    const started = new Promise<void>((resolve) => {
      const off = service.onEvent((event) => {
        if (event.type === 'task.progress' && event.task === 'explore:toggle map') {
          off();
          resolve();
        }
      });
    });
    const long = service.invoke('explore.runBatch', { name: 'toggle map', n: 100_000 });
    await started;
    expect(await service.invoke('explore.runBatch', { name: 'toggle map', n: 5 })).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    expect(await service.call('explore.cancel', { name: 'toggle map' })).toEqual({ cancelled: true });
    expect(await long).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect((await service.call('explore.open', { name: 'toggle map' })).parameters).toHaveLength(45);
  });

  it('trains summary statistics for a study in the background and runs ABC with the stored network', async () => {
    const contents = await service.call('projects.contents');
    const study = contents.studies.find((s) => s.name === 'toggle')!;
    const taskId = (
      await service.call('learn.train', { studyId: study.id, architecture: 'dnn', train: 60, epochs: 2, batchSize: 16, seed: 4, name: 'tiny dnn' })
    ).taskId;
    const epochs: number[] = [];
    const done = await new Promise<EngineEvent>((resolve) => {
      const off = service.onEvent((event) => {
        if (event.type === 'learn.epoch' && event.taskId === taskId) epochs.push(event.epoch);
        if (event.type === 'learn.finished' && event.taskId === taskId) {
          off();
          resolve(event);
        }
      });
    });
    expect(done).toMatchObject({ status: 'completed', error: null, backend: expect.stringMatching(/^(tensorflow|wasm|cpu)$/) });
    expect(epochs).toEqual([1, 2]);
    const networkId = (done as { networkId: number }).networkId;
    const networks = await service.call('learn.networks');
    expect(networks.find((n) => n.id === networkId)).toMatchObject({
      name: 'tiny dnn',
      architecture: 'dnn',
      parameters: ['alpha1', 'alpha2', 'beta', 'gamma', 'mu'],
      trainingSize: 60,
    });
    const config = (await service.call('studies.get', { id: study.id })).config as { modelId?: number; priors: Record<string, Record<string, unknown>> };
    const learned = await service.call('studies.save', {
      name: 'toggle with learned statistics',
      modelId: study.modelId!,
      observedId: study.observedId!,
      priors: config.priors,
      summaries: { kind: 'neural-network', network: networkId },
      distance: { kind: 'euclidean' },
      algorithm: { kind: 'abcRejection', budget: 100, quantile: 0.1 },
      seed: 1,
    });
    const { runId } = await service.call('runs.start', { studyId: learned.id });
    expect((await finished(service, runId)).status).toBe('completed');
    expect((await service.call('runs.posterior', { runId })).count).toBe(10);
    expect(await service.invoke('learn.cancel', { taskId: 999 })).toMatchObject({ ok: false, error: { code: 'TASK_NOT_ACTIVE' } });
  });

  it('keeps machine settings in the config folder and validates SSH nodes', async () => {
    const settings = await service.call('settings.setWorkers', { workers: 1 });
    expect(settings.workers).toBe(1);
    const stored = JSON.parse(readFileSync(join(dir, 'config', 'settings.json'), 'utf8'));
    expect(stored.workers).toBe(1);
    const bad = await service.invoke('settings.setNodes', { executor: 'ssh', nodes: [{ host: 'h' }] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'NODE_SETTINGS' } });
    await service.call('settings.setWorkers', { workers: null });
  });

  it('starts from defaults when the settings file is damaged', async () => {
    const config = join(dir, 'damaged');
    const first = new EngineService({ configDir: config, log: () => {} });
    await first.close();
    writeFileSync(join(config, 'settings.json'), '{ not json');
    const second = new EngineService({ configDir: config, log: () => {} });
    expect((await second.call('settings.get')).executor).toBe('local');
    await second.close();
  });
});
