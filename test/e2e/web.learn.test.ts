/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { api, fillTogglePriors, openApp, prepareToggleSwitch, skipReason, step, type Session } from './harness';

/**
 * Learned summary statistics in web mode, from a prepared project (the
 * toggle-switch example and its observed data, added through the API): a
 * tiny DNN trained from the Inference view's panel with its loss curves
 * filling epoch by epoch, the network put to use (statistics "Learned
 * network: …", Euclidean distance), a small ABC rejection run with it to
 * completion, and the study reloaded from the sidebar with those settings.
 * A failing step saves test/e2e/screenshots/failed-<step>.png.
 */

const reason = skipReason();
if (reason) console.warn(`web learn test skipped: ${reason}`);

const EPOCHS = 3;
const TRAIN = 100;
const BUDGET = 200;

async function selectedText(page: Page, testid: string): Promise<string> {
  return page.getByTestId(testid).evaluate((el) => {
    const select = el as HTMLSelectElement;
    return select.options[select.selectedIndex]?.text ?? '';
  });
}

describe.skipIf(reason !== null)('web learn: train a network live, use it in ABC', () => {
  let session: Session;
  let page: Page;
  let networkId = 0;
  let runId = 0;

  beforeAll(async () => {
    session = await openApp();
    page = session.page;
    await prepareToggleSwitch(session);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('trains a tiny DNN from the Inference view and shows its loss per epoch', async () => {
    await step(session, 'learn-train', async () => {
      await fillTogglePriors(page);
      await page.getByTestId('nav-inference').click();
      await page.getByTestId('learn-train').waitFor();
      expect(await page.getByTestId('inference-problems').count()).toBe(0);

      // The backend is named once TensorFlow.js has loaded.
      await page.waitForFunction(() => (document.querySelector('[data-testid="learn-backend"]')?.getAttribute('data-backend') ?? '') !== '', undefined, {
        timeout: 30_000,
      });
      expect(await page.getByTestId('learn-backend').getAttribute('data-backend')).toMatch(/^(wasm|cpu|tensorflow)$/);

      await page.getByTestId('learn-architecture').selectOption('dnn');
      await page.getByTestId('learn-train-size').fill(String(TRAIN));
      await page.getByTestId('learn-epochs').fill(String(EPOCHS));
      await page.getByTestId('learn-seed').fill('11');
      await page.getByTestId('learn-train').click();
      await page.getByTestId('learn-task').waitFor();
      expect(await page.getByTestId('learn-cancel').count()).toBe(1);

      await page.waitForSelector(`[data-testid="learn-loss-chart"][data-points="${EPOCHS}"]`, { timeout: 45_000 });
      await page.waitForSelector('[data-testid="learn-panel"][data-status="completed"]', { timeout: 15_000 });
      expect(await page.getByTestId('learn-epoch').getAttribute('data-epoch')).toBe(String(EPOCHS));
      expect(Number(await page.getByTestId('learn-progress').getAttribute('data-completed'))).toBe(TRAIN);
      expect(await page.getByTestId('learn-cancel').count()).toBe(0);

      await page.waitForFunction(() => Number(document.querySelector('[data-testid="learn-networks"]')?.getAttribute('data-count') ?? 0) > 0, undefined, {
        timeout: 15_000,
      });
      const networks = await api<Array<{ id: number; architecture: string; trainingSize: number; trainLoss: number[] }>>(session.server.url, 'learn.networks');
      expect(networks).toHaveLength(1);
      expect(networks[0].architecture).toBe('dnn');
      expect(networks[0].trainingSize).toBe(TRAIN);
      expect(networks[0].trainLoss).toHaveLength(EPOCHS);
      networkId = networks[0].id;
      await session.screenshot('learn-trained');
    });
  });

  it('uses the network in an ABC rejection run to completion', async () => {
    await step(session, 'learn-use', async () => {
      await page.getByTestId(`learn-use-${networkId}`).click();
      expect(await selectedText(page, 'summaries-kind')).toMatch(/^Learned network: /);
      expect(await page.getByTestId('distance-kind').inputValue()).toBe('euclidean');
      expect(await page.getByTestId(`learn-use-${networkId}`).isDisabled()).toBe(true);

      await page.getByTestId('algorithm-kind').selectOption('abcRejection');
      await page.getByTestId('budget').fill(String(BUDGET));
      await page.getByTestId('seed').fill('2020');
      await page.getByTestId('inference-run').click();
      await page.getByTestId('run-progress').waitFor();
      await page.waitForFunction(() => (document.querySelector('[data-testid="run-status"]')?.textContent ?? '').trim() !== 'running', undefined, {
        timeout: 45_000,
      });
      expect((await page.getByTestId('run-status').textContent())?.trim()).toBe('completed');

      runId = Number((await page.getByTestId('inference-open-results').textContent())?.match(/#(\d+)/)?.[1]);
      const run = await api<{ status: string; studyId: number; algorithm: string }>(session.server.url, 'runs.get', { runId });
      expect(run.status).toBe('completed');
      const saved = await api<{ config: { summaries: unknown; distance: { kind: string } } }>(session.server.url, 'studies.get', { id: run.studyId });
      expect(saved.config.summaries).toEqual({ kind: 'neural-network', network: networkId });
      expect(saved.config.distance.kind).toBe('euclidean');
      await session.screenshot('learn-run-completed');
    });
  });

  it('loads a study chosen in the sidebar into the form', async () => {
    await step(session, 'learn-study-load', async () => {
      const run = await api<{ studyId: number }>(session.server.url, 'runs.get', { runId });
      // A fresh page: the draft is empty until the study is chosen.
      await page.reload();
      await page.getByTestId(`sidebar-study-${run.studyId}`).click();
      await page.getByTestId('inference-run').waitFor();
      await page.waitForFunction(
        () => (document.querySelector('[data-testid="algorithm-kind"]') as HTMLSelectElement | null)?.value === 'abcRejection',
        undefined,
        { timeout: 15_000 },
      );
      expect(await selectedText(page, 'summaries-kind')).toMatch(/^Learned network: /);
      expect(await page.getByTestId('distance-kind').inputValue()).toBe('euclidean');
      expect(await page.getByTestId('budget').inputValue()).toBe(String(BUDGET));
      expect(await page.getByTestId('seed').inputValue()).toBe('2020');
      expect(await page.getByTestId('inference-problems').count()).toBe(0);
    });
  });
});
