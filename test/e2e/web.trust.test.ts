import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { EngineService } from '../../engine/api/EngineService';
import type { BlackBoxSimulatorSpec } from '../../engine/simulate/blackbox/spec';
import { ApprovalStore } from '../../engine/trust/ApprovalStore';
import { describeSimulator } from '../../engine/trust/describeSimulator';
import { approveSimulatorInApp, openApp, ROOT, skipReason, step, type Session } from './harness';

/**
 * Issue #13's end-to-end bar: a project someone sends, whose model is a
 * command simulator that leaves a marker file whenever it runs, is opened in
 * the app (web mode) and clicked through view by view. No marker appears
 * until the person approves the simulator (with the code `sciope serve`
 * prints on its terminal); after approval the predictive check and a
 * preview run it.
 */

const reason = skipReason();
if (reason) console.warn(`web trust test skipped: ${reason}`);

const work = mkdtempSync(join(tmpdir(), 'sciope-e2e-trust-'));
const marker = join(work, 'MARKER');
const project = join(work, 'shared.sciope');
const spec: BlackBoxSimulatorSpec = {
  kind: 'command',
  command: ['sh', '-c', `echo ran >> ${marker}; exec sh ${join(ROOT, 'resources/simulators/decay.sh')}`],
  cwd: work,
  parameters: [
    { id: 'k', value: 0.5 },
    { id: 'x0', value: 10 },
  ],
  species: ['X'],
};

/** The author's side: their own approval (in their config), a model, data, a study and a finished run. */
async function craftProject(): Promise<void> {
  const config = join(work, 'author-config');
  const author = new EngineService({ configDir: config, workers: 1, log: () => {} });
  try {
    await author.call('projects.create', { path: project });
    const model = await author.call('models.addSimulator', { name: 'decay (shared)', simulator: spec });
    new ApprovalStore(config).approve(project, describeSimulator(spec));
    const csv = ['time,X', ...Array.from({ length: 11 }, (_, i) => `${i},${10 * Math.exp(-0.5 * i)}`)].join('\n');
    const observed = await author.call('observed.importCsv', { name: 'decay.csv', csv });
    const study = await author.call('studies.save', {
      name: 'decay',
      modelId: model.id,
      observedId: observed.id,
      priors: { k: { kind: 'uniform', lower: 0.1, upper: 1 } },
      summaries: { kind: 'identity' },
      distance: { kind: 'euclidean' },
      algorithm: { kind: 'abcRejection', budget: 60, quantile: 0.2 },
      seed: 4,
    });
    const done = new Promise<void>((resolve) => author.onEvent((e) => e.type === 'run.finished' && resolve()));
    await author.call('runs.start', { studyId: study.id });
    await done;
  } finally {
    await author.close();
  }
  rmSync(marker, { force: true });
}

describe.skipIf(reason !== null)('web mode: a shared project never runs its simulator unapproved', () => {
  let session: Session;
  let page: Page;

  beforeAll(async () => {
    await craftProject();
    session = await openApp({ project });
    page = session.page;
  }, 60_000);

  afterAll(async () => {
    await session?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('shows every view, warns about the simulator, and runs nothing', async () => {
    await step(session, 'trust-views', async () => {
      await page.getByTestId('trust-banner').waitFor();
      for (const view of ['project', 'model', 'priors', 'data', 'exploration', 'inference', 'results', 'settings']) {
        await page.getByTestId(`nav-${view}`).click();
        await page.getByTestId(`view-${view}`).waitFor();
        if (view === 'model') {
          // The preview is refused, with a way to review the simulator.
          await page.getByTestId('preview-run').click();
          await page.getByTestId('preview-error').getByText('has not been approved on this computer').waitFor();
          await page.getByTestId('error-review-simulator').first().waitFor();
        }
        if (view === 'results') {
          await page.getByTestId('results-open-1').click();
          await page.getByTestId('predictive-error').getByText('has not been approved').waitFor({ timeout: 15_000 });
        }
        await page.waitForTimeout(300);
      }
      await session.screenshot('trust-unapproved');
      expect(existsSync(marker)).toBe(false);
    });
  });

  it('shows what would run in the review dialog', async () => {
    await step(session, 'trust-review', async () => {
      await page.getByTestId('trust-review').click();
      const text = await page.getByTestId('trust-text').first().innerText();
      expect(text).toContain(`Runs the command: "sh" "-c" "echo ran >> ${marker}`);
      expect(text).toContain(`In the folder: ${work}`);
      expect(await page.getByTestId('trust-state').first().innerText()).toBe('Not approved');
      // A wrong code approves nothing.
      await page.getByTestId('trust-request').first().click();
      await page.getByTestId('trust-code').fill('0000-0000');
      await page.getByTestId('trust-approve').click();
      await page.getByTestId('trust-error').getByText('wrong approval code').waitFor();
      await session.screenshot('trust-dialog');
      await page.getByTestId('trust-close').click();
      expect(existsSync(marker)).toBe(false);
    });
  });

  it('after approval with the terminal code, the predictive check and a preview run it', async () => {
    await step(session, 'trust-approve', async () => {
      await page.getByTestId('trust-review').click();
      await approveSimulatorInApp(session);
      await page.getByTestId('trust-banner').waitFor({ state: 'detached' });
      await page.getByTestId('nav-model').click();
      await page.getByTestId('preview-run').click();
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="preview-chart"]')?.getAttribute('data-points')) > 0, null, {
        timeout: 30_000,
      });
      expect(existsSync(marker)).toBe(true);
      await session.screenshot('trust-approved');
    });
    expect(session.consoleErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
