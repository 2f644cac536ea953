/// <reference lib="dom" />
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, ROOT, skipReason, step, type Session } from './harness';

/**
 * The user's journey in web mode, up to the point where inference starts
 * (web.inference.test.ts goes on from there): a project, the toggle-switch
 * example, an SBML import, a simulation preview, priors, observed data.
 * Steps run in order on one page; a failing step saves a screenshot to
 * test/e2e/screenshots/failed-<step>.png.
 */

const reason = skipReason();
if (reason) console.warn(`web journey test skipped: ${reason}`);

/** The data-points attribute of a chart wrapper, once it is above zero. */
async function pointsOf(page: Page, testid: string): Promise<number> {
  await page.waitForFunction((id) => Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-points') ?? 0) > 0, testid, {
    timeout: 60_000,
  });
  return Number(await page.getByTestId(testid).getAttribute('data-points'));
}

describe.skipIf(reason !== null)('web journey: project → model → preview → priors → data', () => {
  let session: Session;
  let page: Page;

  beforeAll(async () => {
    session = await openApp();
    page = session.page;
  });

  afterAll(async () => {
    await session?.close();
  });

  it('shows the project the server opened, creates another, and reopens the first', async () => {
    await step(session, 'project', async () => {
      await page.getByTestId('nav-project').click();
      await page.getByTestId('project-current').waitFor();
      expect(await page.getByTestId('sidebar-project-name').textContent()).toBe('journey');

      const second = join(session.server.dir, 'second');
      await page.getByTestId('project-path').fill(second);
      await page.getByTestId('project-create').click();
      // Creating moves on to the Model view of the new project.
      await page.getByTestId('view-model').waitFor();
      await page.getByText(`${second}.sciope`).first().waitFor();
      expect(await page.getByTestId('sidebar-project-name').textContent()).toBe('second');

      await page.getByTestId('nav-project').click();
      await page.getByTestId('project-open-path').fill(session.server.projectPath);
      await page.getByTestId('project-open').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="sidebar-project-name"]')?.textContent === 'journey');
      expect(await page.getByTestId('project-recent').textContent()).toContain('second.sciope');
    });
  });

  it('adds the toggle-switch example and shows its tables', async () => {
    await step(session, 'example', async () => {
      await page.getByTestId('nav-model').click();
      await page.getByTestId('example-select').selectOption('toggle-switch');
      await page.getByTestId('example-add').click();
      await page.getByTestId('model-editor').waitFor();
      await page.getByTestId('species-table').getByRole('textbox').first().waitFor();
      expect(await page.getByTestId('species-table').locator('tbody tr').count()).toBe(2);
      expect(await page.getByTestId('parameters-table').locator('tbody tr').count()).toBe(5);
      await page.waitForSelector('[data-testid="model-check-state"][data-issues="0"]:has-text("valid")');
    });
  });

  it('checks the model as the user types and names the field', async () => {
    await step(session, 'validation', async () => {
      const expression = page.getByTestId('reaction-expression-0');
      const original = await expression.inputValue();
      await expression.fill('alpha1/(1+');
      const issue = page.getByTestId('reaction-row-0').locator('.field-issue');
      await issue.first().waitFor();
      expect(await issue.first().textContent()).toMatch(/expect/i);
      expect(await page.getByTestId('model-save').isDisabled()).toBe(true);
      await expression.fill(original);
      await page.waitForSelector('[data-testid="model-check-state"][data-issues="0"]:has-text("valid")');
    });
  });

  it('previews a simulation and plots it', async () => {
    await step(session, 'preview', async () => {
      await page.getByTestId('preview-runs').fill('20');
      await page.getByTestId('preview-seed').fill('7');
      await page.getByTestId('preview-run').click();
      // 20 runs × 2 species × 101 points drawn as lines.
      expect(await pointsOf(page, 'preview-chart')).toBe(20 * 2 * 101);
      expect(await page.getByTestId('preview-stats').textContent()).toContain('seed 7');
      await page.getByTestId('preview-chart').locator('canvas').first().waitFor();
    });
  });

  it('imports an SBML file, lists its warnings, and lists the problems of one it cannot import', async () => {
    await step(session, 'sbml', async () => {
      await page.getByTestId('sbml-file').setInputFiles(join(ROOT, 'test/fixtures/sbml/single-compartment.xml'));
      await page.getByTestId('sbml-result').waitFor();
      expect(await page.getByTestId('sbml-result').textContent()).toContain('5 species');
      await page.getByTestId('sbml-warnings').waitFor();
      expect(Number(await page.getByTestId('sbml-warnings').getAttribute('data-count'))).toBeGreaterThanOrEqual(0);
      expect(await page.getByTestId('sidebar-models').locator('li button').count()).toBe(2);

      await page.getByTestId('sbml-file').setInputFiles(join(ROOT, 'test/fixtures/sbml/unsupported.xml'));
      const errors = page.getByTestId('sbml-errors');
      await errors.waitFor();
      const text = (await errors.textContent()) ?? '';
      expect(text).toContain('was not imported');
      // Algebraic rules, delays, arcsin and half stoichiometry now import; the fast reaction is what is left, named.
      expect(await errors.getByTestId('error-problems').locator('li').count()).toBe(1);
      expect(text).toContain('reaction "R_fast"');
      expect(text).toContain('fast reactions (rapid equilibrium) are not supported');
      // Errors show what and where, never a stack trace.
      expect(text).not.toMatch(/\bat .*\.(js|ts):\d+/);
    });
  });

  it('sets priors for the toggle switch and samples them', async () => {
    await step(session, 'priors', async () => {
      await page.getByTestId('model-select').selectOption({ label: 'toggle-switch' });
      await page.getByTestId('nav-priors').click();
      await page.getByTestId('prior-row-alpha1').waitFor();
      for (const p of ['alpha1', 'alpha2', 'beta', 'gamma', 'mu']) await page.getByTestId(`prior-row-${p}`).waitFor();

      await page.getByTestId('prior-kind-alpha1').selectOption('uniform');
      await page.getByTestId('prior-lower-alpha1').fill('0.5');
      await page.getByTestId('prior-upper-alpha1').fill('2');
      await page.getByTestId('prior-kind-mu').selectOption('normal');
      await page.getByTestId('prior-sd-mu').fill('0');
      await page.getByTestId('prior-row-mu').locator('.field-issue').waitFor();
      expect(await page.getByTestId('prior-sample').isDisabled()).toBe(true);
      await page.getByTestId('prior-sd-mu').fill('0.2');
      await page.getByTestId('prior-infer-gamma').uncheck();

      await page.getByTestId('prior-sample').click();
      await page.getByTestId('prior-histograms').waitFor();
      // Four inferred parameters × 2,000 draws.
      expect(await pointsOf(page, 'prior-histograms')).toBe(4 * 2000);
      expect(await page.getByTestId('prior-histograms').locator('figure').count()).toBe(4);
    });
  });

  it('loads observed data and plots it over a simulation of the model', async () => {
    await step(session, 'observed', async () => {
      await page.getByTestId('nav-data').click();
      await page.getByTestId('observed-file').setInputFiles(join(ROOT, 'resources/studies/toggle-switch/observed.csv'));
      await page.getByTestId('observed-summary').waitFor();
      expect(await page.getByTestId('observed-trajectories').textContent()).toBe('100');
      expect(await page.getByTestId('observed-species-U').isChecked()).toBe(true);
      // Observed (100 × 2 × 101 values) plus 20 simulated runs drawn as lines.
      await page.waitForFunction(
        () => Number(document.querySelector('[data-testid="observed-chart"]')?.getAttribute('data-points') ?? 0) > 100 * 2 * 101,
        undefined,
        { timeout: 60_000 },
      );
      expect(await pointsOf(page, 'observed-chart')).toBe(100 * 2 * 101 + 20 * 2 * 101);
      expect(await page.getByTestId('sidebar-observed').locator('li button').count()).toBe(1);
      await session.screenshot('journey-data');
    });
  });

  it('kept the draft across views and logged no errors in the page', async () => {
    await step(session, 'draft', async () => {
      await page.getByTestId('nav-priors').click();
      expect(await page.getByTestId('prior-upper-alpha1').inputValue()).toBe('2');
      expect(await page.getByTestId('prior-infer-gamma').isChecked()).toBe(false);
      expect(session.consoleErrors).toEqual([]);
    });
  });
});
