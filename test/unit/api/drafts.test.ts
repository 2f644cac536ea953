import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineService } from '../../../engine/api/index.js';

/** drafts.get / drafts.save: the app's study draft per model, kept in the project's settings table. */
describe('drafts', () => {
  let dir: string;
  let service: EngineService;
  let modelId: number;
  const path = () => join(dir, 'drafts.sciope');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sciope-drafts-'));
    service = new EngineService({ configDir: join(dir, 'config'), workers: 1, log: () => {} });
    await service.call('projects.create', { path: path() });
    modelId = (await service.call('models.addExample', { example: 'birth-death' })).id;
  });

  afterAll(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has no draft for a model until one is saved', async () => {
    expect(await service.call('drafts.get', { modelId })).toEqual({ draft: null });
  });

  it('gives back the saved draft, also after the project is closed and opened again', async () => {
    const draft = {
      version: 1,
      priorRows: [{ parameter: 'lambda', infer: true, kind: 'uniform', fields: { lower: 0.1, upper: 2 } }],
      algorithm: { kind: 'smcAbc', populationSize: 20 },
    };
    expect(await service.call('drafts.save', { modelId, draft })).toBeNull();
    expect((await service.call('drafts.get', { modelId })).draft).toEqual(draft);
    await service.call('projects.close');
    await service.call('projects.open', { path: path() });
    expect((await service.call('drafts.get', { modelId })).draft).toEqual(draft);
  });

  it('forgets the draft when saved as null', async () => {
    await service.call('drafts.save', { modelId, draft: { a: 1 } });
    await service.call('drafts.save', { modelId, draft: null });
    expect((await service.call('drafts.get', { modelId })).draft).toBeNull();
  });

  it('refuses an unknown model, a draft that is not an object and one over 1 MB, with stable codes', async () => {
    const unknown = await service.invoke('drafts.get', { modelId: 999 });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error.code).toBe('NOT_FOUND');
    const notObject = await service.invoke('drafts.save', { modelId, draft: [1, 2] });
    expect(notObject.ok).toBe(false);
    if (!notObject.ok) expect(notObject.error.code).toBe('INVALID_ARGUMENT');
    const big = await service.invoke('drafts.save', { modelId, draft: { text: 'x'.repeat(1_000_001) } });
    expect(big.ok).toBe(false);
    if (!big.ok) expect(big.error.message).toMatch(/at most 1000000/);
  });
});
