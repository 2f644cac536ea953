import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineService } from '../../../engine/api/EngineService.js';
import { sciope } from '../cli/runSciope.js';

/**
 * Issue #13, finding 3: an infinite rate passed validation and a preview
 * then spun for ever, blocking later previews, with no cancel. Through the
 * EngineApi (what the app and `sciope serve` call): non-finite rates are
 * refused as model issues, a runaway model stops at the preview's event
 * budget, a preview can be cancelled and is stopped at its time limit, and
 * the next preview runs normally afterwards.
 */
const work = mkdtempSync(join(tmpdir(), 'sciope-preview-'));
let service: EngineService;

const birthOnly = (propensity: string) => ({
  name: 'runaway',
  species: [{ id: 'X', initial: 10 }],
  parameters: [{ id: 'k', value: 1 }],
  reactions: [{ id: 'birth', reactants: { X: 1 }, products: { X: 2 }, propensity }],
});

beforeAll(async () => {
  service = new EngineService({ configDir: join(work, 'config'), workers: 2, log: () => {}, previewTimeLimitMs: 3_000 });
  await service.call('projects.create', { path: join(work, 'p.sciope') });
});

afterAll(async () => {
  await service.close();
  rmSync(work, { recursive: true, force: true });
});

describe('previews that would never end', () => {
  it.each(['1e309', '1/0', '0/0', 'k*1e309*X'])('refuses the propensity %s as a model issue, in models.check and models.save', async (propensity) => {
    const check = await service.call('models.check', { model: birthOnly(propensity) });
    expect(check.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'reactions[0].propensity' })]));
    const saved = await service.invoke('models.save', { name: 'runaway', model: birthOnly(propensity) });
    expect(saved).toMatchObject({ ok: false, error: { code: 'MODEL_INVALID' } });
  });

  it('answers huge expressions with issues in models.check and exit 2 in `sciope validate`, never a stack overflow', async () => {
    const nestedTernary = `${Array.from({ length: 5_000 }, (_, i) => `X>${i}?${i}:`).join('')}0`;
    const longSum = Array.from({ length: 10_000 }, (_, i) => `k*X*${i % 7}`).join('+');
    for (const propensity of [nestedTernary, longSum]) {
      const check = await service.call('models.check', { model: birthOnly(propensity) });
      if (propensity === nestedTernary)
        expect(check.issues).toEqual([expect.objectContaining({ path: 'reactions[0].propensity', message: expect.stringContaining('nested too deeply') })]);
      else expect(check.issues).toEqual([]);
    }
    const file = join(work, 'deep.json');
    writeFileSync(file, JSON.stringify(birthOnly(nestedTernary)));
    const result = await sciope('validate', file);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('reactions[0].propensity: expression nested too deeply');
    expect(result.stderr).not.toMatch(/RangeError|\n\s+at /);
  }, 30_000);

  it('stops an explosive model (X -> 2X at rate k X) at the event budget, with a precise error', async () => {
    const model = await service.call('models.save', { name: 'explosive', model: birthOnly('k*X') });
    const started = performance.now();
    const outcome = await service.invoke('simulate.preview', { modelId: model.id, runs: 1, tEnd: 1000, points: 11, seed: 1 });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'EVENT_BUDGET', message: expect.stringMatching(/budget/) } });
    // The budget (2e7 events) is reached in a few seconds at tens of millions of events per second; generous on a loaded machine.
    expect(performance.now() - started).toBeLessThan(30_000);
  }, 40_000);

  it('stops a propensity that becomes infinite at run time through a parameter (RATE_NOT_FINITE)', async () => {
    const model = await service.call('models.save', { name: 'overflow', model: birthOnly('k*X*1e300') });
    const outcome = await service.invoke('simulate.preview', { modelId: model.id, runs: 1, tEnd: 10, points: 11, seed: 1, parameters: { k: 1e300 } });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'RATE_NOT_FINITE', message: expect.stringContaining('birth') } });
  });

  it('cancels a long preview on request, and the next preview runs', async () => {
    const vilar = await service.call('models.addExample', { example: 'vilar' });
    const long = service.invoke('simulate.preview', { modelId: vilar.id, runs: 1000, tEnd: 1_500, points: 11, seed: 1, previewId: 'long' });
    await new Promise((r) => setTimeout(r, 500));
    const started = performance.now();
    expect(await service.call('simulate.cancel', { previewId: 'long' })).toEqual({ cancelled: true });
    expect(await long).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(performance.now() - started).toBeLessThan(5_000);
    const next = await service.call('simulate.preview', { modelId: vilar.id, runs: 2, tEnd: 10, points: 11, seed: 1 });
    expect(next.runs).toBe(2);
    expect(await service.call('simulate.cancel', { previewId: 'long' })).toEqual({ cancelled: false });
  }, 30_000);

  it('stops a preview at its time limit with a message saying so', async () => {
    const vilar = (await service.call('projects.contents')).models.find((m) => m.name === 'vilar')!;
    const outcome = await service.invoke('simulate.preview', { modelId: vilar.id, runs: 1000, tEnd: 1_500, points: 11, seed: 2 });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'TIME_LIMIT', message: expect.stringContaining('3 s') } });
  }, 30_000);
});
