import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fillTogglePriors, openApp, prepareToggleSwitch, skipReason, step, type Session } from './harness';

/**
 * Neural posterior estimation in web mode, on the toggle-switch example
 * prepared as in web.inference.test.ts: NPE chosen in the Inference view
 * with a tiny budget (300 simulations, one SSA run each), its training loss
 * chart filling while the estimator trains (run.training events), the
 * posterior plots showing its 1,000 draws, then the run reopened in Results
 * with its stored loss curves. A failing step saves
 * test/e2e/screenshots/failed-<step>.png.
 */

const reason = skipReason();
if (reason) console.warn(`web NPE test skipped: ${reason}`);

const SIMULATIONS = 300;
const POSTERIOR_SAMPLES = 1000;

const epochsShown = async (page: Page) => Number((await page.getByTestId('npe-training').getAttribute('data-epochs')) ?? 0);

describe.skipIf(reason !== null)('web NPE: train an estimator live, reopen it in Results', () => {
  let session: Session;
  let page: Page;
  let runId = 0;
  let finalEpochs = 0;

  beforeAll(async () => {
    session = await openApp();
    page = session.page;
    await prepareToggleSwitch(session);
    await fillTogglePriors(page);
    await page.getByTestId('nav-data').click();
    await page.getByTestId('observed-summary').waitFor();
    await page.getByTestId('nav-inference').click();
    await page.getByTestId('inference-run').waitFor();
  });

  afterAll(async () => {
    await session?.close();
  });

  it('runs NPE from the Inference view and fills the loss chart while it trains', async () => {
    await step(session, 'npe-run', async () => {
      await page.getByTestId('algorithm-kind').selectOption('npe');
      // The ABC fields give way to NPE's.
      expect(await page.getByTestId('population-size').count()).toBe(0);
      expect(await page.getByTestId('regression-adjustment').count()).toBe(0);
      await page.getByTestId('npe-simulations').fill(String(SIMULATIONS));
      await page.getByTestId('npe-rounds').fill('1');
      await page.getByTestId('runs-per-trial').fill('1');
      await page.getByTestId('seed').fill('2021');
      await page.getByTestId('inference-run').click();
      await page.getByTestId('npe-training').waitFor({ timeout: 30_000 });

      // Follow the run: epochs must arrive while it is still running.
      const seenWhileRunning = new Set<number>();
      const deadline = Date.now() + 120_000;
      let status = 'running';
      while (Date.now() < deadline) {
        status = ((await page.getByTestId('run-status').textContent()) ?? '').trim();
        const epochs = await epochsShown(page);
        if (status !== 'running') break;
        if (epochs > 0) seenWhileRunning.add(epochs);
        await page.waitForTimeout(100);
      }
      expect(status).toBe('completed');
      expect(seenWhileRunning.size).toBeGreaterThan(0);

      // After the run the panel reads the stored curves: every epoch (at least the patience window past the first).
      await page.waitForSelector('[data-testid="npe-training"][data-live="false"]', { timeout: 30_000 });
      finalEpochs = await epochsShown(page);
      expect(finalEpochs).toBeGreaterThanOrEqual(Math.max(...seenWhileRunning));
      expect(finalEpochs).toBeGreaterThan(20);
      expect(Number(await page.getByTestId('npe-loss-chart').getAttribute('data-points'))).toBe(finalEpochs);
      expect(await page.getByTestId('npe-training-summary').textContent()).toMatch(/round 1 · epoch \d+ · validation loss/);
      // The posterior plots take the estimator's draws like any other posterior.
      await page.waitForSelector(`[data-testid="posterior-marginals"][data-points="${POSTERIOR_SAMPLES}"]`, { timeout: 30_000 });
      await session.screenshot('npe-completed');
      runId = Number((await page.getByTestId('inference-open-results').textContent())?.match(/#(\d+)/)?.[1]);
      expect(runId).toBeGreaterThan(0);
    });
  });

  it('reopens the run in Results with its stored loss curves', async () => {
    await step(session, 'npe-results', async () => {
      await page.getByTestId('nav-results').click();
      await page.getByTestId('results-table').waitFor();
      await page.getByTestId(`results-open-${runId}`).click();
      await page.waitForSelector(`[data-testid="run-detail"][data-run-id="${runId}"]`);
      expect((await page.getByTestId('results-run-status').textContent())?.trim()).toBe('completed');
      await page.waitForSelector(`[data-testid="npe-training"][data-epochs="${finalEpochs}"]`, { timeout: 30_000 });
      expect(Number(await page.getByTestId('npe-loss-chart').getAttribute('data-points'))).toBe(finalEpochs);
      await page.waitForSelector(`[data-testid="posterior-marginals"][data-points="${POSTERIOR_SAMPLES}"]`, { timeout: 30_000 });
      expect(await page.getByTestId('run-resume').count()).toBe(0);
      await session.screenshot('npe-results');
      expect(session.consoleErrors).toEqual([]);
    });
  });
});
