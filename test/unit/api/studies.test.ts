/**
 * studies.save from the app: every Run of an unchanged draft reuses one
 * study, a changed draft under the same name becomes "name (2)", truth
 * values of parameters that are not inferred are dropped, and runs are
 * listed under distinct names.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineService, type ApiArgs } from '../../../engine/api/index.js';
import { studyVersionOf } from '../../../engine/api/studyVersions.js';

const root = new URL('../../../', import.meta.url).pathname;
const toggleObserved = readFileSync(join(root, 'resources/studies/toggle-switch/observed.csv'), 'utf8');

describe('studies.save', () => {
  let dir: string;
  let service: EngineService;
  let draft: ApiArgs<'studies.save'>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sciope-studies-'));
    service = new EngineService({ configDir: join(dir, 'config'), workers: 1, log: () => {} });
    await service.call('projects.create', { path: join(dir, 'p.sciope') });
    const model = await service.call('models.addExample', { example: 'toggle-switch' });
    const observed = await service.call('observed.importCsv', { name: 'observed', csv: toggleObserved });
    const { priors } = await service.call('priors.defaults', { modelId: model.id, parameters: ['alpha1', 'mu'] });
    draft = {
      name: 'toggle-switch · observed',
      modelId: model.id,
      observedId: observed.id,
      priors,
      algorithm: { kind: 'smcAbc', populationSize: 20, maxGenerations: 1 },
      seed: 12,
      truth: { alpha1: 1, alpha2: 1, beta: 2, gamma: 2, mu: 1 },
    };
  });

  afterAll(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the truth of inferred parameters only (the others have no prior)', async () => {
    const study = await service.call('studies.save', draft);
    expect(study.config.truth).toEqual({ alpha1: 1, mu: 1 });
    const only = await service.call('studies.save', { ...draft, name: 'no truth', truth: { beta: 2 } });
    expect(only.config.truth).toBeUndefined();
  });

  it('reuses an identical study, versions a changed one, and reuses each version', async () => {
    const first = await service.call('studies.save', draft);
    // Key order does not matter: the same content is the same study.
    const reordered = await service.call('studies.save', { ...draft, priors: Object.fromEntries(Object.entries(draft.priors).reverse()) });
    expect(reordered).toMatchObject({ id: first.id, name: 'toggle-switch · observed' });
    const changed = await service.call('studies.save', { ...draft, seed: 13 });
    expect(changed.name).toBe('toggle-switch · observed (2)');
    expect(changed.config.name).toBe('toggle-switch · observed (2)');
    expect(changed.id).not.toBe(first.id);
    // The app saves again under the name it got back, or under the base name: same study either way.
    expect((await service.call('studies.save', { ...draft, name: changed.name, seed: 13 })).id).toBe(changed.id);
    expect((await service.call('studies.save', { ...draft, seed: 13 })).id).toBe(changed.id);
    // A third configuration saved from version 2 becomes version 3, not "(2) (2)".
    expect((await service.call('studies.save', { ...draft, name: changed.name, seed: 14 })).name).toBe('toggle-switch · observed (3)');
    const names = (await service.call('projects.contents')).studies.map((s) => s.name).filter((n) => n.startsWith('toggle-switch'));
    expect(names).toEqual(['toggle-switch · observed', 'toggle-switch · observed (2)', 'toggle-switch · observed (3)']);
  });

  it('names runs by id, study, algorithm and seed', async () => {
    const study = await service.call('studies.save', draft);
    const a = (await service.call('runs.start', { studyId: study.id })).runId;
    const b = (await service.call('runs.start', { studyId: study.id })).runId;
    const runs = await service.call('runs.list');
    const listed = runs.filter((r) => r.id === a || r.id === b).map((r) => r.name);
    expect(listed).toEqual([`#${a} toggle-switch · observed · smcAbc · seed 12`, `#${b} toggle-switch · observed · smcAbc · seed 12`]);
    await Promise.all([a, b].map((runId) => service.invoke('runs.cancel', { runId })));
  });

  it('reads versions off names', () => {
    expect(studyVersionOf('toggle (2)')).toEqual({ base: 'toggle', version: 2 });
    expect(studyVersionOf('toggle')).toEqual({ base: 'toggle', version: 1 });
    expect(studyVersionOf('(2)')).toEqual({ base: '(2)', version: 1 });
  });
});
