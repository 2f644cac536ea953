import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { api, openApp, ROOT, skipReason, step, type Session } from './harness';

/**
 * What a new user hit in the Model view and around it (issue #18), in web
 * mode: an imported SBML model's rules, events and name, the preview's
 * default grid and log scale, notices that never cover the view, run badges
 * read in full, and an exploration batch embedded without asking.
 */
const reason = skipReason();
let session: Session | null = null;

afterEach(async () => {
  await session?.close();
  session = null;
});

/** Decay of X with a reset event and an assignment rule; named by <model name>. */
const RULES_EVENTS_SBML = `<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1">
  <model id="decay_reset" name="Decay with reset">
    <listOfCompartments><compartment id="cell" spatialDimensions="3" size="1" constant="true"/></listOfCompartments>
    <listOfSpecies>
      <species id="X" compartment="cell" initialAmount="100" hasOnlySubstanceUnits="true" boundaryCondition="false" constant="false"/>
    </listOfSpecies>
    <listOfParameters>
      <parameter id="k" value="0.1" constant="true"/>
      <parameter id="doubled" value="0" constant="false"/>
    </listOfParameters>
    <listOfRules>
      <assignmentRule variable="doubled"><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/><cn>2</cn><ci>X</ci></apply></math></assignmentRule>
    </listOfRules>
    <listOfReactions>
      <reaction id="decay" reversible="false" fast="false">
        <listOfReactants><speciesReference species="X" stoichiometry="1" constant="true"/></listOfReactants>
        <kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/><ci>k</ci><ci>X</ci></apply></math></kineticLaw>
      </reaction>
    </listOfReactions>
    <listOfEvents>
      <event id="reset" name="refill" useValuesFromTriggerTime="true">
        <trigger initialValue="false" persistent="true"><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><lt/><ci>X</ci><cn>10</cn></apply></math></trigger>
        <listOfEventAssignments><eventAssignment variable="X"><math xmlns="http://www.w3.org/1998/Math/MathML"><cn>100</cn></math></eventAssignment></listOfEventAssignments>
      </event>
    </listOfEvents>
  </model>
</sbml>`;

type Box = { x: number; y: number; width: number; height: number };

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

async function box(locator: Locator): Promise<Box> {
  const b = await locator.boundingBox();
  if (!b) throw new Error('element not visible');
  return b;
}

async function waitForPoints(page: Page, testid: string, n: number, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    ([id, want]) => Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-points')) === want,
    [testid, n] as const,
    { timeout },
  );
}

describe.skipIf(reason !== null)(`web mode: model view, notices, badges, exploration${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it('shows an imported model’s rules and events under its SBML name, and previews on the CLI’s grid with a log scale', async () => {
    session = await openApp();
    const s = session;
    const { page } = s;

    await step(s, 'import', async () => {
      const imported = await api<{ model: { id: number; name: string } }>(s.server.url, 'models.importSbml', {
        name: 'decay-reset.xml',
        xml: RULES_EVENTS_SBML,
      });
      expect(imported.model.name).toBe('Decay with reset');
      await page.reload();
      await page.getByTestId(`sidebar-model-${imported.model.id}`).click();
      await page.getByTestId('model-rules').waitFor();
    });

    await step(s, 'tables', async () => {
      expect(await page.getByTestId('model-rules').textContent()).toContain('doubled');
      const events = await page.getByTestId('model-events').textContent();
      expect(events).toContain('refill');
      expect(events).toContain('X = 100');
      expect(await page.getByTestId('model-compartments').textContent()).toContain('cell');
      expect(await page.getByTestId('model-select').locator('option:checked').textContent()).toBe('Decay with reset');
    });

    await step(s, 'preview-grid', async () => {
      // No <time> in SBML: the CLI's defaults, end 100 and 101 points.
      expect(await page.getByTestId('preview-tend').inputValue()).toBe('100');
      expect(await page.getByTestId('preview-points').inputValue()).toBe('101');
      await page.getByTestId('preview-runs').fill('3');
      await page.getByTestId('preview-seed').fill('5');
      await page.getByTestId('preview-run').click();
      await page.getByTestId('preview-stats').waitFor();
      expect(await page.getByTestId('preview-chart').getAttribute('data-y-scale')).toBe('linear');
    });

    await step(s, 'log-scale', async () => {
      await page.getByTestId('preview-log').check();
      await page.waitForFunction(() => document.querySelector('[data-testid="preview-chart"]')?.getAttribute('data-y-scale') === 'log');
      await page.getByTestId('preview-chart').scrollIntoViewIfNeeded();
      await s.screenshot('model-sbml-log');
      await page.getByTestId('preview-log').uncheck();
      await page.waitForFunction(() => document.querySelector('[data-testid="preview-chart"]')?.getAttribute('data-y-scale') === 'linear');
    });

    await step(s, 'notice-clear-of-inputs', async () => {
      await page.getByTestId('example-select').selectOption('birth-death');
      await page.getByTestId('example-add').click();
      const notice = page.getByTestId('notice-success');
      await notice.waitFor();
      await page.getByTestId('preview-run').scrollIntoViewIfNeeded();
      const noticeBox = await box(notice);
      for (const id of ['preview-runs', 'preview-tend', 'preview-points', 'preview-method', 'preview-seed', 'preview-run']) {
        expect(overlaps(noticeBox, await box(page.getByTestId(id))), id).toBe(false);
      }
      // Nowhere over the view: the notices sit over the sidebar.
      const main = await box(page.locator('main.main'));
      expect(noticeBox.x + noticeBox.width).toBeLessThanOrEqual(main.x);
      await s.screenshot('model-notice');
    });
    expect(s.consoleErrors).toEqual([]);
  });

  it('reads run badges in full in the sidebar', async () => {
    session = await openApp();
    const s = session;
    const { page } = s;
    await step(s, 'run', async () => {
      const url = s.server.url;
      const model = await api<{ id: number }>(url, 'models.addExample', { example: 'toggle-switch' });
      const observed = await api<{ id: number }>(url, 'observed.importCsv', {
        name: 'observed',
        csv: readFileSync(join(ROOT, 'resources/studies/toggle-switch/observed.csv'), 'utf8'),
      });
      const { priors } = await api<{ priors: unknown }>(url, 'priors.defaults', { modelId: model.id });
      const study = await api<{ id: number }>(url, 'studies.save', {
        name: 'a study with a rather long name for the sidebar',
        modelId: model.id,
        observedId: observed.id,
        priors,
        simulation: { runsPerTrial: 1 },
        algorithm: { kind: 'smcAbc', populationSize: 20, maxGenerations: 1 },
        seed: 7,
      });
      const { runId } = await api<{ runId: number }>(url, 'runs.start', { studyId: study.id });
      for (let i = 0; i < 300; i++) {
        const run = await api<{ status: string }>(url, 'runs.get', { runId });
        if (run.status !== 'running') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await page.reload();
      await page.getByTestId(`sidebar-run-${runId}`).waitFor();
    });
    await step(s, 'badges', async () => {
      const badges = page.getByTestId('sidebar-run-status');
      expect(await badges.count()).toBeGreaterThan(0);
      for (const badge of await badges.all()) {
        const fits = await badge.evaluate((el) => {
          const b = el.getBoundingClientRect();
          const button = el.closest('button')!.getBoundingClientRect();
          return el.scrollWidth <= el.clientWidth && b.right <= button.right + 0.5 && b.width > 20;
        });
        expect(fits).toBe(true);
      }
      expect(await badges.first().textContent()).toBe('completed');
      await page.getByTestId('sidebar-runs').screenshot({ path: join(ROOT, 'test/e2e/screenshots/sidebar-run-badges.png') });
    });
  });

  it('embeds an exploration batch without asking, and keeps the layout when points are added', async () => {
    session = await openApp();
    const s = session;
    const { page } = s;
    await step(s, 'session', async () => {
      await api(s.server.url, 'models.addExample', { example: 'toggle-switch' });
      await page.reload();
      await page.getByTestId('nav-exploration').click();
      await page.getByTestId('explore-vary-alpha1').waitFor();
      await page.getByTestId('explore-name').fill('auto');
      await page.getByTestId('explore-points').fill('21');
      await page.getByTestId('explore-tend').fill('20');
      await page.getByTestId('explore-batch-size').fill('30');
      await page.getByTestId('explore-reduction').selectOption('pca');
      await page.getByTestId('explore-create').click();
      await page.getByTestId('explore-run-batch').waitFor();
    });
    await step(s, 'batch-embeds', async () => {
      await page.getByTestId('explore-run-batch').click();
      await waitForPoints(page, 'explore-scatter', 30);
    });
    await step(s, 'second-batch', async () => {
      await page.getByTestId('explore-run-batch').click();
      await waitForPoints(page, 'explore-scatter', 60);
      await s.screenshot('exploration-auto-embed');
    });
  });
});
