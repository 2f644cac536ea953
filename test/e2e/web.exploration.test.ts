import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openApp, ROOT, skipReason, step, type Session, approveSimulatorInApp } from './harness';

/**
 * Exploration and black-box simulators in web mode: `sciope serve` on a
 * temporary project, driven in Debian's Chromium through the data-testids.
 */
const reason = skipReason();
let session: Session | null = null;

afterEach(async () => {
  await session?.close();
  session = null;
});

async function points(page: Page, testid: string): Promise<number> {
  return Number(await page.getByTestId(testid).getAttribute('data-points'));
}

async function waitForPoints(page: Page, testid: string, n: number, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    ([id, want]) => Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-points')) === want,
    [testid, n] as const,
    { timeout },
  );
}

async function addToggleSwitch(page: Page): Promise<void> {
  await page.getByTestId('nav-model').click();
  await page.getByTestId('example-select').selectOption('toggle-switch');
  await page.getByTestId('example-add').click();
  await page.getByTestId('sidebar-models').getByText('toggle-switch').waitFor();
}

describe.skipIf(reason !== null)(`web mode: exploration and simulators${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it('creates a session, runs and embeds a batch, labels, propagates, proposes and runs the proposal', async () => {
    session = await openApp();
    const s = session;
    const { page } = s;

    await step(s, 'add-model', () => addToggleSwitch(page));

    await step(s, 'create-session', async () => {
      await page.getByTestId('nav-exploration').click();
      await page.getByTestId('explore-vary-alpha1').waitFor();
      // Two parameters: uncheck all, then vary alpha1 and alpha2.
      for (const id of ['beta', 'gamma', 'mu']) {
        const box = page.getByTestId(`explore-vary-${id}`);
        if ((await box.count()) > 0) await box.uncheck();
      }
      await expect(page.getByTestId('explore-vary-alpha1').isChecked()).resolves.toBe(true);
      await expect(page.getByTestId('explore-vary-alpha2').isChecked()).resolves.toBe(true);
      await page.getByTestId('explore-name').fill('e2e');
      await page.getByTestId('explore-points').fill('21');
      await page.getByTestId('explore-tend').fill('20');
      await page.getByTestId('explore-batch-size').fill('60');
      await page.getByTestId('explore-reduction').selectOption('pca');
      await page.getByTestId('explore-create').click();
      await page.getByTestId('explore-run-batch').waitFor();
      await expect(page.getByTestId('explore-status').textContent()).resolves.toContain('0 points');
    });

    await step(s, 'run-batch', async () => {
      await page.getByTestId('explore-run-batch').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="explore-status"]')?.textContent?.includes('60 points'), null, { timeout: 30_000 });
    });

    await step(s, 'embed', async () => {
      await page.getByTestId('explore-embed').click();
      await waitForPoints(page, 'explore-scatter', 60);
      expect(await points(page, 'explore-parameter-chart')).toBe(60);
    });

    await step(s, 'classes', async () => {
      for (const name of ['low', 'high']) {
        await page.getByTestId('explore-class-name').fill(name);
        await page.getByTestId('explore-class-add').click();
        await page.getByTestId('explore-labels').getByText(name, { exact: true }).waitFor();
      }
    });

    await step(s, 'label', async () => {
      await page.getByTestId('explore-class-0').click();
      await page.getByTestId('explore-select-input').fill('0,1,2,3,4');
      await page.getByTestId('explore-select-apply').click();
      await expect(page.getByTestId('explore-selected-count').textContent()).resolves.toContain('5 selected');
      await page.getByTestId('explore-label-selected').click();
      await page.getByTestId('explore-legend').getByText('low').waitFor();

      await page.getByTestId('explore-class-1').click();
      await page.getByTestId('explore-select-input').fill('30-34');
      await page.getByTestId('explore-select-apply').click();
      await page.getByTestId('explore-label-selected').click();
      await page.getByTestId('explore-legend').getByText('high').waitFor();
      // The selected points' trajectories are simulated beside the scatter.
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="explore-trajectory-chart"]')?.getAttribute('data-points')) > 0, null, {
        timeout: 30_000,
      });
    });

    await step(s, 'propagate', async () => {
      await page.getByTestId('explore-propagate').click();
      await page.getByTestId('explore-propagation').waitFor({ timeout: 30_000 });
      await expect(page.getByTestId('explore-propagation').textContent()).resolves.toMatch(/γ = /);
      await expect(page.getByTestId('explore-colour-by').inputValue()).resolves.toBe('propagated');
    });

    await step(s, 'propose', async () => {
      await page.getByTestId('explore-propose-n').fill('10');
      await page.getByTestId('explore-propose').click();
      await page.getByTestId('explore-run-proposal').waitFor({ timeout: 30_000 });
      expect(await points(page, 'explore-parameter-chart')).toBe(70);
    });

    await step(s, 'run-proposal', async () => {
      await page.getByTestId('explore-run-proposal').click();
      await waitForPoints(page, 'explore-scatter', 70);
      await expect(page.getByTestId('explore-status').textContent()).resolves.toContain('70 points in 2 batches');
    });

    await step(s, 'cancel-batch', async () => {
      await page.getByTestId('explore-batch-n').fill('100000');
      await page.getByTestId('explore-run-batch').click();
      await page.getByTestId('explore-cancel').click({ timeout: 30_000 });
      await page.getByTestId('explore-cancel').waitFor({ state: 'detached', timeout: 30_000 });
      // Cancelled, not failed: no error shown, and the points are those of the finished batches.
      await expect(page.getByTestId('explore-error').count()).resolves.toBe(0);
      await expect(page.getByTestId('explore-status').textContent()).resolves.toContain('70 points in 2 batches');
    });

    expect(s.consoleErrors).toEqual([]);
  });

  it('adds a JS-module simulator and tests it', async () => {
    session = await openApp();
    const s = session;
    const { page } = s;

    await step(s, 'simulator-form', async () => {
      await page.getByTestId('nav-model').click();
      await page.getByTestId('simulator-kind').selectOption('module');
      await page.getByTestId('simulator-path').fill(join(ROOT, 'test/fixtures/blackbox/decay-module.mjs'));
      await page.getByTestId('simulator-param-id-0').fill('a0');
      await page.getByTestId('simulator-param-value-0').fill('100');
      await page.getByTestId('simulator-param-add').click();
      await page.getByTestId('simulator-param-id-1').fill('k');
      await page.getByTestId('simulator-param-value-1').fill('0.1');
      await page.getByTestId('simulator-species').fill('A, B');
      await page.getByTestId('simulator-name').fill('decay');
    });

    await step(s, 'simulator-add', async () => {
      await page.getByTestId('simulator-add').click();
      await page.getByTestId('simulator-added').waitFor({ timeout: 15_000 });
      await page.getByTestId('sidebar-models').getByText('decay').waitFor();
    });

    await step(s, 'simulator-approve', async () => {
      // Adding it opens the review: nothing runs until the person approves it (README, Security).
      await approveSimulatorInApp(s);
    });

    await step(s, 'simulator-test', async () => {
      await page.getByTestId('simulator-test').click();
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="simulator-chart"]')?.getAttribute('data-points')) > 0, null, {
        timeout: 30_000,
      });
      // One run of two species over the 51 default points.
      expect(await points(page, 'simulator-chart')).toBe(2 * 51);
    });

    await step(s, 'simulator-errors', async () => {
      // A relative path is refused before the call; a missing file is refused by the engine, in place.
      await page.getByTestId('simulator-path').fill('/nonexistent/sim.mjs');
      await page.getByTestId('simulator-add').click();
      await page.getByTestId('simulator-error').waitFor({ timeout: 15_000 });
    });

    expect(s.consoleErrors.filter((e) => !/status of 4\d\d|Failed to load resource/.test(e))).toEqual([]);
  });
});
