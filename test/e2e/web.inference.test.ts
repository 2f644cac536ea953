import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fillTogglePriors, openApp, prepareToggleSwitch, skipReason, step, TOGGLE_STUDY, type Session } from './harness';

/**
 * Inference in web mode, from a prepared project (the toggle-switch example
 * and its observed data, added through the API; web.journey.test.ts covers
 * doing that through the UI): priors from the example study, a small
 * SMC-ABC run watched live (progress events, generations counting up, the
 * posterior plots filling), then the run reopened from Results and its last
 * generation exported as CSV. A failing step saves
 * test/e2e/screenshots/failed-<step>.png.
 */

const reason = skipReason();
if (reason) console.warn(`web inference test skipped: ${reason}`);

const POPULATION = 150;
const GENERATIONS = 3;
const PARAMETERS = Object.keys(TOGGLE_STUDY.priors);

/**
 * The points a chart shows, once it shows at least `atLeast`: a chart fills in after the run's last
 * event (the stored generations are read back), so reading at the first point can race it.
 */
async function pointsOf(page: Page, testid: string, atLeast = 1): Promise<number> {
  await page.waitForFunction(
    ([id, least]) => Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-points') ?? 0) >= least,
    [testid, atLeast] as const,
    { timeout: 30_000 },
  );
  return Number(await page.getByTestId(testid).getAttribute('data-points'));
}

describe.skipIf(reason !== null)('web inference: run SMC-ABC live, reopen it, export it', () => {
  let session: Session;
  let page: Page;
  let runId = 0;

  beforeAll(async () => {
    session = await openApp();
    page = session.page;
    await prepareToggleSwitch(session);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('takes the priors of the example study and the observed data into the draft', async () => {
    await step(session, 'inference-draft', async () => {
      await fillTogglePriors(page);
      await page.getByTestId('nav-data').click();
      await page.getByTestId('observed-summary').waitFor();
      await page.getByTestId('nav-inference').click();
      await page.getByTestId('inference-run').waitFor();
      expect(await page.getByTestId('inference-problems').count()).toBe(0);
      expect(await page.getByTestId('inference-run').isEnabled()).toBe(true);
    });
  });

  it('runs a small SMC-ABC and shows its progress live', async () => {
    await step(session, 'inference-run', async () => {
      await page.getByTestId('algorithm-kind').selectOption('smcAbc');
      await page.getByTestId('population-size').fill(String(POPULATION));
      await page.getByTestId('max-generations').fill(String(GENERATIONS));
      await page.getByTestId('seed').fill('2020');
      await page.getByTestId('inference-run').click();
      await page.getByTestId('run-progress').waitFor();

      // Follow the run: the generation shown must count up, and progress events must arrive.
      const generations = new Set<number>();
      const deadline = Date.now() + 60_000;
      let status = 'running';
      while (Date.now() < deadline) {
        const g = Number(await page.getByTestId('run-generation').getAttribute('data-generation'));
        if (g >= 0) generations.add(g);
        status = ((await page.getByTestId('run-status').textContent()) ?? '').trim();
        if (status !== 'running') break;
        await page.waitForTimeout(100);
      }
      // The last generation and the end of the run can arrive between the two reads above.
      generations.add(Number(await page.getByTestId('run-generation').getAttribute('data-generation')));
      expect(status).toBe('completed');
      expect(Number(await page.getByTestId('run-progress').getAttribute('data-events'))).toBeGreaterThan(0);
      const seen = [...generations].sort((a, b) => a - b);
      expect(seen.length).toBeGreaterThanOrEqual(2);
      expect(seen[seen.length - 1]).toBe(GENERATIONS - 1);
      // Shown counted from 1: the last of 3 generations (index 2) reads "3 of 3".
      expect(await page.getByTestId('run-generation').textContent()).toContain(`${GENERATIONS} of ${GENERATIONS}`);

      // The plots hold the final generation's particles, the epsilon history and the predictive simulations.
      await page.waitForSelector(`[data-testid="posterior-marginals"][data-points="${POPULATION}"]`, { timeout: 30_000 });
      expect(await pointsOf(page, 'pair-plot', POPULATION)).toBe(POPULATION);
      expect(await pointsOf(page, 'epsilon-chart', GENERATIONS - 1)).toBeGreaterThanOrEqual(GENERATIONS - 1);
      expect(await pointsOf(page, 'predictive-chart', 20 * 2 * 101)).toBe(20 * 2 * 101);
      await session.screenshot('inference-completed');
      runId = Number((await page.getByTestId('inference-open-results').textContent())?.match(/#(\d+)/)?.[1]);
      expect(runId).toBeGreaterThan(0);
    });
  });

  it('reopens the run from Results and exports its last generation as CSV', async () => {
    await step(session, 'results-export', async () => {
      await page.getByTestId('nav-results').click();
      await page.getByTestId('results-table').waitFor();
      await page.getByTestId(`results-open-${runId}`).click();
      await page.waitForSelector(`[data-testid="run-detail"][data-run-id="${runId}"]`);
      expect((await page.getByTestId('results-run-status').textContent())?.trim()).toBe('completed');
      expect(await page.getByTestId(`results-row-${runId}`).getAttribute('data-status')).toBe('completed');
      await page.waitForSelector(`[data-testid="posterior-marginals"][data-points="${POPULATION}"]`, { timeout: 30_000 });

      // An earlier generation through the slider, then back to the last.
      const slider = page.getByTestId('generation-slider');
      await slider.fill('0');
      await page.waitForSelector('.posterior-panel[data-generation="0"]', { timeout: 30_000 });
      await slider.fill(String(GENERATIONS - 1));
      await page.waitForSelector(`.posterior-panel[data-generation="${GENERATIONS - 1}"]`, { timeout: 30_000 });
      await session.screenshot('results-run');

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
      const path = await download.path();
      const lines = readFileSync(path, 'utf8').trim().split('\n');
      const header = lines[0].split(',');
      for (const p of PARAMETERS) expect(header).toContain(p);
      expect(lines.length - 1).toBe(POPULATION);
      expect(lines.slice(1).every((line) => line.startsWith(`${GENERATIONS - 1},`))).toBe(true);
    });
  });
});
