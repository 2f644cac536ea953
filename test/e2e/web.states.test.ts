import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fillTogglePriors, openApp, prepareToggleSwitch, skipReason, step, TOGGLE_STUDY, type Session } from './harness';

/**
 * What a new user met in the app (issue #18), in web mode: generations
 * counted the same way in Inference, Results and the slider; the study
 * draft kept across a page reload; a cancelled run said in plain words;
 * and a stopped engine shown as such rather than a run that claims to be
 * running. One session, in that order (the last step stops the server).
 * Populations are tiny: these check words and counts, not posteriors.
 */

const reason = skipReason();
if (reason) console.warn(`web states test skipped: ${reason}`);

const POPULATION = 20;
const GENERATIONS = 3;
const PARAMETERS = Object.keys(TOGGLE_STUDY.priors);

async function text(page: Page, testid: string): Promise<string> {
  return ((await page.getByTestId(testid).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

async function waitStatus(page: Page, testid: string, wanted: (s: string) => boolean, timeout = 60_000): Promise<string> {
  const deadline = Date.now() + timeout;
  let status = '';
  while (Date.now() < deadline) {
    status = await text(page, testid);
    if (wanted(status)) return status;
    await page.waitForTimeout(100);
  }
  throw new Error(`${testid} stayed "${status}"`);
}

async function runSettings(page: Page, population: number, generations: number): Promise<void> {
  await page.getByTestId('algorithm-kind').selectOption('smcAbc');
  await page.getByTestId('population-size').fill(String(population));
  await page.getByTestId('max-generations').fill(String(generations));
  await page.getByTestId('runs-per-trial').fill('2');
  await page.getByTestId('seed').fill('18');
}

describe.skipIf(reason !== null)('web states: counts, draft, cancel and disconnect in plain words', () => {
  let session: Session;
  let page: Page;
  let runId = 0;

  beforeAll(async () => {
    session = await openApp();
    page = session.page;
    await prepareToggleSwitch(session);
    await fillTogglePriors(page);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('counts generations from 1 alike in Inference, Results and the slider (item 4), and says why the run stopped (item 7)', async () => {
    await step(session, 'states-generations', async () => {
      await page.getByTestId('nav-inference').click();
      await runSettings(page, POPULATION, GENERATIONS);
      await page.getByTestId('inference-run').click();
      expect(await waitStatus(page, 'run-status', (s) => s !== '' && s !== 'running')).toBe('completed');
      expect(await text(page, 'run-generation')).toBe(`${GENERATIONS} of ${GENERATIONS}`);
      runId = Number((await text(page, 'inference-open-results')).match(/#(\d+)/)?.[1]);
      await session.screenshot('states-inference-completed');

      await page.getByTestId('inference-open-results').click();
      await page.waitForSelector(`[data-testid="run-detail"][data-run-id="${runId}"]`);
      // The runs table's "Gen." column, the status line and the slider all say 3.
      expect(await page.locator(`[data-testid="results-row-${runId}"] td.num`).first().textContent()).toBe(String(GENERATIONS));
      expect(await text(page, 'run-detail')).toContain(`${GENERATIONS} generations`);
      expect(await text(page, 'generation-slider-label')).toBe(`Generation ${GENERATIONS} of ${GENERATIONS} (latest)`);
      await page.getByTestId('generation-slider').fill('0');
      await page.waitForSelector('.posterior-panel[data-generation="0"]', { timeout: 30_000 });
      expect(await text(page, 'generation-slider-label')).toBe(`Generation 1 of ${GENERATIONS}`);
      // The stop reason in words, not the engine's code.
      expect(await text(page, 'run-stop-reason')).toBe('stopped at the maximum number of generations');
      expect(await text(page, 'run-detail')).not.toContain('maxGenerations');
      await session.screenshot('states-results-generations');
    });
  });

  it('keeps the study draft across a page reload (item 6)', async () => {
    await step(session, 'states-reload', async () => {
      // Let the draft's save (a moment after the last change) reach the engine.
      await page.waitForTimeout(800);
      await page.reload();
      await page.getByTestId('nav-inference').click();
      await page.getByTestId('inference-run').waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="population-size"]') !== null);
      // The priors, the inferred parameters and the algorithm's settings come back from the project.
      await page.waitForFunction(() => document.querySelector('[data-testid="inference-problems"]') === null, undefined, { timeout: 10_000 });
      const facts = await text(page, 'view-inference');
      for (const p of PARAMETERS) expect(facts).toContain(p);
      expect(await page.getByTestId('population-size').inputValue()).toBe(String(POPULATION));
      expect(await page.getByTestId('max-generations').inputValue()).toBe(String(GENERATIONS));
      await page.getByTestId('nav-priors').click();
      for (const [p, prior] of Object.entries(TOGGLE_STUDY.priors)) {
        expect(Number(await page.getByTestId(`prior-lower-${p}`).inputValue())).toBe(prior.lower);
        expect(Number(await page.getByTestId(`prior-upper-${p}`).inputValue())).toBe(prior.upper);
      }
      expect(await page.getByTestId('priors-truth').isChecked()).toBe(true);
      await session.screenshot('states-reloaded-priors');
    });
  });

  it('says "Cancelled" for a cancelled run, with no error in red (item 7)', async () => {
    await step(session, 'states-cancel', async () => {
      await page.getByTestId('nav-inference').click();
      await runSettings(page, 200, 50);
      await page.getByTestId('inference-run').click();
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="run-progress"]')?.getAttribute('data-events') ?? 0) > 0, undefined, {
        timeout: 30_000,
      });
      await page.getByTestId('inference-cancel').click();
      expect(await waitStatus(page, 'run-status', (s) => s !== 'running')).toBe('cancelled');
      const badge = page.getByTestId('run-status');
      expect(await badge.evaluate((el) => (el as HTMLElement).innerText)).toBe('CANCELLED');
      const panel = await text(page, 'run-panel');
      expect(panel).not.toMatch(/aborted|starting…/i);
      expect(await page.getByTestId('run-error').count()).toBe(0);
      await session.screenshot('states-inference-cancelled');

      const cancelled = Number((await text(page, 'inference-open-results')).match(/#(\d+)/)?.[1]);
      await page.getByTestId('inference-open-results').click();
      await page.waitForSelector(`[data-testid="run-detail"][data-run-id="${cancelled}"]`);
      expect(await text(page, 'results-run-status')).toBe('cancelled');
      expect(await text(page, 'run-stop-reason')).toBe('cancelled before it finished; Resume continues it');
      expect(await page.getByTestId('results-run-error').count()).toBe(0);
      expect(await text(page, 'view-results')).not.toMatch(/aborted/i);
      await session.screenshot('states-results-cancelled');
    });
  });

  it('shows the lost connection when the server stops mid-run, and no longer claims RUNNING (item 5)', async () => {
    await step(session, 'states-disconnect', async () => {
      await page.getByTestId('nav-inference').click();
      await runSettings(page, 200, 50);
      await page.getByTestId('inference-run').click();
      // The panel still shows the cancelled run until the new one starts.
      await waitStatus(page, 'run-status', (s) => s === 'running', 30_000);
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="run-progress"]')?.getAttribute('data-events') ?? 0) > 0, undefined, {
        timeout: 30_000,
      });
      session.server.process.kill('SIGKILL');
      await page.getByTestId('connection-banner').waitFor({ timeout: 15_000 });
      expect(await text(page, 'connection-banner')).toContain('Connection to the engine lost; reconnecting…');
      expect(await waitStatus(page, 'run-status', (s) => s !== 'running', 10_000)).toBe('no connection');
      expect(await text(page, 'run-panel')).not.toContain('starting…');
      expect(await page.getByTestId('inference-cancel').count()).toBe(0);
      expect(await text(page, 'inference-run')).toBe('No connection');
      await page.getByTestId('run-panel').scrollIntoViewIfNeeded();
      await session.screenshot('states-disconnected');
    });
  });
});
