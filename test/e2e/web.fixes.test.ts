import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { api, fillTogglePriors, openApp, prepareToggleSwitch, skipReason, step, type Session } from './harness';
import { sshdAvailable, startSshd, type SshServer } from '../unit/compute/ssh/sshServer';

/**
 * What a new user hit in the app (issue #18), in web mode:
 * 1. "show as truth" ticked while inferring only some parameters: the run
 *    starts and completes (truth values of fixed parameters are ignored);
 * 2. the default SSH key `~/.ssh/id_ed25519` in Settings: `~` is the home
 *    folder (HOME points at a temporary folder holding a generated key and a
 *    known_hosts for a private sshd, so Check reaches "ready");
 * 3. Run twice with the same draft gives one study, a changed draft a
 *    versioned one, and the runs are listed under distinct names.
 * Populations are tiny: each run takes about a second.
 */

const reason = skipReason();
if (reason) console.warn(`web fixes test skipped: ${reason}`);

interface Contents {
  studies: Array<{ id: number; name: string }>;
  runs: Array<{ id: number; name: string; studyId: number; status: string }>;
}

/** Tiny SMC-ABC settings, then Run; waits until this run (not the previous one shown) has ended, and returns its status and id. */
async function runTiny(page: Page, seed: number, previous = 0): Promise<{ status: string; runId: number }> {
  await page.getByTestId('nav-inference').click();
  await page.getByTestId('inference-run').waitFor();
  await page.getByTestId('algorithm-kind').selectOption('smcAbc');
  await page.getByTestId('population-size').fill('20');
  await page.getByTestId('max-generations').fill('2');
  await page.getByTestId('runs-per-trial').fill('1');
  await page.getByTestId('seed').fill(String(seed));
  expect(await page.getByTestId('inference-problems').count()).toBe(0);
  await page.getByTestId('inference-run').click();
  await page.getByTestId('run-progress').waitFor();
  await page.waitForFunction(
    (before) => {
      const text = (id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '';
      return text('run-status').trim() !== 'running' && Number(/#(\d+)/.exec(text('inference-open-results'))?.[1] ?? 0) > before;
    },
    previous,
    { timeout: 60_000 },
  );
  const status = ((await page.getByTestId('run-status').textContent()) ?? '').trim();
  const runId = Number((await page.getByTestId('inference-open-results').textContent())?.match(/#(\d+)/)?.[1]);
  return { status, runId };
}

describe.skipIf(reason !== null)('web: fixes for what a new user hit (#18)', () => {
  let session: Session;
  let page: Page;

  beforeAll(async () => {
    session = await openApp();
    page = session.page;
    await prepareToggleSwitch(session);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('1. infers a subset of the parameters with "show as truth" ticked', async () => {
    await step(session, 'fixes-truth-subset', async () => {
      await fillTogglePriors(page);
      expect(await page.getByTestId('priors-truth').isChecked()).toBe(true);
      for (const p of ['beta', 'gamma']) await page.getByTestId(`prior-infer-${p}`).uncheck();
      await session.screenshot('fixes-truth-priors');
      const { status, runId } = await runTiny(page, 12);
      expect(status).toBe('completed');
      const run = await api<{ parameterNames: string[]; truth: Record<string, number> | null }>(session.server.url, 'runs.get', { runId });
      expect(run.parameterNames).toEqual(['alpha1', 'alpha2', 'mu']);
      expect(run.truth).toEqual({ alpha1: 1, alpha2: 1, mu: 1 });
      await session.screenshot('fixes-truth-run');
    });
  });

  it('3. reuses the study for an unchanged draft, versions a changed one, and names runs apart', async () => {
    await step(session, 'fixes-study-versions', async () => {
      const before = await api<Contents>(session.server.url, 'projects.contents');
      expect(before.studies).toHaveLength(1);
      const first = Math.max(...before.runs.map((r) => r.id));
      const again = await runTiny(page, 12, first);
      expect(again.status).toBe('completed');
      const same = await api<Contents>(session.server.url, 'projects.contents');
      expect(same.studies.map((s) => s.name)).toEqual([before.studies[0].name]);

      const changed = await runTiny(page, 13, again.runId);
      expect(changed.status).toBe('completed');
      const after = await api<Contents>(session.server.url, 'projects.contents');
      const base = before.studies[0].name;
      expect(after.studies.map((s) => s.name)).toEqual([base, `${base} (2)`]);
      expect(after.runs.find((r) => r.id === changed.runId)?.studyId).toBe(after.studies[1].id);

      // The sidebar lists runs by id, study, algorithm and seed.
      const names = await Promise.all(after.runs.map(async (r) => ((await page.getByTestId(`sidebar-run-${r.id}`).getAttribute('title')) ?? '').trim()));
      expect(new Set(names).size).toBe(after.runs.length);
      expect(after.runs.find((r) => r.id === changed.runId)?.name).toBe(`#${changed.runId} ${base} (2) · smcAbc · seed 13`);
      await expect
        .poll(async () => (await page.getByTestId(`sidebar-run-${changed.runId}`).textContent())?.trim() ?? '')
        .toContain(`${base} (2) · smcAbc · seed 13`);
      await page.getByTestId('nav-results').click();
      await page.getByTestId(`results-row-${changed.runId}`).waitFor();
      expect(await page.getByTestId(`results-algorithm-${changed.runId}`).textContent()).toContain('seed 13');
      await session.screenshot('fixes-study-versions');
    });
  });
});

describe.skipIf(reason !== null || !sshdAvailable)('web: ~ in the SSH key path of Settings (#18)', () => {
  let session: Session;
  let page: Page;
  let sshd: SshServer;
  let home: string;
  const savedHome = process.env.HOME;

  beforeAll(async () => {
    sshd = await startSshd();
    // A home folder holding the key and known_hosts the default settings name: ~/.ssh/id_ed25519, ~/.ssh/known_hosts.
    home = mkdtempSync(join(tmpdir(), 'sciope-e2e-home-'));
    mkdirSync(join(home, '.ssh'), { mode: 0o700 });
    copyFileSync(sshd.privateKey, join(home, '.ssh', 'id_ed25519'));
    copyFileSync(sshd.knownHosts, join(home, '.ssh', 'known_hosts'));
    process.env.HOME = home;
    try {
      session = await openApp({ project: null });
    } finally {
      process.env.HOME = savedHome;
    }
    page = session.page;
  });

  afterAll(async () => {
    await session?.close();
    await sshd?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('2. checks a node whose key is ~/.ssh/id_ed25519, and names a missing key by its full path', async () => {
    await step(session, 'fixes-ssh-home', async () => {
      await page.getByTestId('nav-settings').click();
      await page.getByTestId('node-add').click();
      await page.getByTestId('node-host-0').fill(sshd.host);
      await page.getByTestId('node-port-0').fill(String(sshd.port));
      await page.getByTestId('node-user-0').fill(sshd.user);
      expect(await page.getByTestId('node-key-0').inputValue()).toBe('~/.ssh/id_ed25519');
      await page.getByTestId('node-check').click();
      const report = page.getByTestId('node-report-0');
      await report.waitFor({ timeout: 30_000 });
      const text = (await report.textContent()) ?? '';
      expect(text).not.toContain('no such file');
      expect(text).toContain('✓ ready');
      await session.screenshot('fixes-ssh-ready');

      await page.getByTestId('node-key-0').fill('~/.ssh/id_missing');
      await page.getByTestId('node-check').click();
      await page.waitForFunction(() => (document.querySelector('[data-testid="node-report-0"]')?.textContent ?? '').includes('not ready'), undefined, {
        timeout: 30_000,
      });
      const missing = (await report.textContent()) ?? '';
      expect(missing).toContain(join(home, '.ssh', 'id_missing'));
      expect(missing).not.toContain('~/.ssh/id_missing');
      await session.screenshot('fixes-ssh-missing-key');
    });
  });
});
