import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { api, fillTogglePriors, openApp, prepareToggleSwitch, SCREENSHOTS, skipReason, step, type Session } from './harness';
import { slurmAvailable, startSlurmCluster, type SlurmTestCluster } from '../support/slurmCluster';

/**
 * The app's cluster runs (issue #17), in web mode, against the real one-node
 * SLURM cluster of test/support/slurmCluster.ts (its login node is the SSH
 * pool tests' private sshd):
 * 1. with the cluster saved in Settings, "Run on cluster" in the Inference
 *    view submits the toggle-switch study as one batch job; Results → Remote
 *    runs shows it and, polling, its state moving to completed; Fetch brings
 *    the run into the open project with its generations;
 * 2. Cancel on a second, longer run ends its job: nothing is left in squeue.
 * The first submission uploads the sciope bundle to the cluster, which is
 * slow on a loaded machine: the waits allow several minutes.
 */

const run = promisify(execFile);
const reason = skipReason();
const slurm = slurmAvailable();
const why = reason ?? (slurm.ok ? null : slurm.why);
if (why) console.warn(`web cluster test skipped: ${why}`);

interface RunSummary {
  id: number;
  studyId: number;
  status: string;
  generations: number;
}

/** Tiny SMC-ABC settings in the Inference form (as web.fixes' runTiny), then "Run on cluster"; returns the remote run's id. */
async function runOnCluster(page: Page, settings: { populationSize: number; maxGenerations: number; seed: number }): Promise<string> {
  await page.getByTestId('nav-inference').click();
  await page.getByTestId('inference-run').waitFor();
  await page.getByTestId('algorithm-kind').selectOption('smcAbc');
  await page.getByTestId('population-size').fill(String(settings.populationSize));
  await page.getByTestId('max-generations').fill(String(settings.maxGenerations));
  await page.getByTestId('runs-per-trial').fill('1');
  await page.getByTestId('seed').fill(String(settings.seed));
  expect(await page.getByTestId('inference-problems').count()).toBe(0);
  const button = page.getByTestId('inference-run-cluster');
  // Enabled once the button has read the settings and found the cluster.
  await expect.poll(() => button.isEnabled(), { timeout: 15_000 }).toBe(true);
  const before = await page
    .getByTestId('inference-cluster-submitted')
    .getAttribute('data-remote-id')
    .catch(() => null);
  await button.click();
  // Connect, check, upload the bundle (first time), sbatch: minutes under load.
  await page.waitForFunction(
    (previous) => {
      const line = document.querySelector('[data-testid="inference-cluster-submitted"]');
      const error = document.querySelector('[data-testid="inference-cluster-error"]');
      return Boolean(error) || (line !== null && line.getAttribute('data-remote-id') !== previous);
    },
    before,
    { timeout: 360_000, polling: 500 },
  );
  const error = page.getByTestId('inference-cluster-error');
  if ((await error.count()) > 0) throw new Error(`Run on cluster failed: ${await error.textContent()}`);
  const id = await page.getByTestId('inference-cluster-submitted').getAttribute('data-remote-id');
  if (!id) throw new Error('the submitted line names no remote run');
  return id;
}

/** Wait until the panel's row shows `phase` (the panel polls the cluster itself every few seconds); returns the phases seen on the way. */
async function waitForPhase(page: Page, id: string, phases: readonly string[], timeoutMs: number): Promise<string[]> {
  const row = page.getByTestId(`remote-row-${id}`);
  await row.waitFor({ timeout: 30_000 });
  const seen: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const phase = (await row.getAttribute('data-phase')) ?? '';
    if (seen.at(-1) !== phase) seen.push(phase);
    if (phases.includes(phase)) return seen;
    if (Date.now() > deadline)
      throw new Error(`remote run ${id} still "${phase}" after ${timeoutMs} ms (seen: ${seen.join(' → ')}); row: ${await row.textContent()}`);
    await page.waitForTimeout(500);
  }
}

describe.skipIf(why !== null)('web: Run on cluster and the Remote runs panel (#17)', () => {
  let cluster: SlurmTestCluster;
  let session: Session;
  let page: Page;

  const squeue = async () => (await run('squeue', ['-h', '-o', '%i %T'], { env: cluster.env })).stdout.trim();

  beforeAll(async () => {
    cluster = await startSlurmCluster({ cpus: 2 });
    session = await openApp();
    page = session.page;
    // The cluster through the API (the Settings form is tested elsewhere); the point here is the button and the panel.
    await api(session.server.url, 'settings.setSlurm', {
      slurm: {
        host: cluster.host,
        port: cluster.sshPort,
        user: cluster.user,
        privateKey: cluster.privateKeyPath,
        knownHosts: cluster.knownHostsPath,
        partition: cluster.partition,
        time: '10',
        tasks: 2,
        cpusPerTask: 1,
        remoteDir: join(cluster.workDir, 'sciope'),
      },
      use: false,
    });
    // Reloads the page, so the Inference view's button reads the saved cluster.
    await prepareToggleSwitch(session);
    await fillTogglePriors(page);
  }, 240_000);

  afterAll(async () => {
    await session?.close();
    await cluster?.stop();
  });

  it('submits the study, follows it to completed, and fetches it into the project', async () => {
    await step(session, 'cluster-run-fetch', async () => {
      const id = await runOnCluster(page, { populationSize: 20, maxGenerations: 3, seed: 17 });
      await page.getByTestId('inference-cluster-follow').click();
      const row = page.getByTestId(`remote-row-${id}`);
      await row.waitFor({ timeout: 30_000 });
      const seen = await waitForPhase(page, id, ['completed', 'failed', 'cancelled', 'stopped'], 360_000);
      expect(seen.at(-1), `phases seen: ${seen.join(' → ')}; row: ${await row.textContent()}`).toBe('completed');
      // SMC-ABC's generations 0, 1, 2 written on the cluster: the panel shows the last one and its tolerance.
      expect(await row.getAttribute('data-generation')).toBe('2');
      expect(((await page.getByTestId(`remote-epsilon-${id}`).textContent()) ?? '').trim()).not.toBe('–');
      await session.screenshot('cluster-remote-completed');

      const before = await api<RunSummary[]>(session.server.url, 'runs.list', {});
      await page.getByTestId(`remote-fetch-${id}`).click();
      // Fetch → a notice and the run selected; the API says it joined the project complete.
      await expect
        .poll(async () => (await api<RunSummary[]>(session.server.url, 'runs.list', {})).length, { timeout: 120_000, interval: 500 })
        .toBe(before.length + 1);
      const fetched = (await api<RunSummary[]>(session.server.url, 'runs.list', {})).find((r) => !before.some((b) => b.id === r.id))!;
      expect(fetched).toMatchObject({ status: 'completed', generations: 3 });
      const contents = await api<{ studies: Array<{ id: number }> }>(session.server.url, 'projects.contents');
      expect(contents.studies.map((s) => s.id)).toContain(fetched.studyId);
      // The fetched run is listed in the Results table and the sidebar.
      await page.getByTestId(`results-row-${fetched.id}`).waitFor({ timeout: 30_000 });
      await page.getByTestId(`sidebar-run-${fetched.id}`).waitFor({ timeout: 30_000 });
      await page.getByTestId('remote-runs').scrollIntoViewIfNeeded();
      await session.screenshot('cluster-remote-fetched');
      expect(session.consoleErrors.filter((e) => !/favicon/.test(e))).toEqual([]);
    });
  }, 900_000);

  it('Cancel on a second, longer run leaves nothing in squeue', async () => {
    await step(session, 'cluster-cancel', async () => {
      // Long enough to be caught queued or running: 50 generations of 300 particles.
      const id = await runOnCluster(page, { populationSize: 300, maxGenerations: 50, seed: 18 });
      await page.getByTestId('nav-results').click();
      await waitForPhase(page, id, ['queued', 'running'], 120_000);
      const jobId = /job (\d+)/.exec((await page.getByTestId(`remote-row-${id}`).textContent()) ?? '')?.[1];
      expect(jobId).toMatch(/^\d+$/);
      await page.getByTestId(`remote-cancel-${id}`).click();
      await waitForPhase(page, id, ['cancelled'], 60_000);
      // scancel has answered: the job is out of squeue (or ending) and soon nothing is left.
      await expect.poll(squeue, { timeout: 30_000, interval: 1000 }).toBe('');
      // A cancelled run can be continued or removed; it cannot be cancelled again.
      expect(await page.getByTestId(`remote-resume-${id}`).count()).toBe(1);
      expect(await page.getByTestId(`remote-cancel-${id}`).count()).toBe(0);
      await session.screenshot('cluster-remote-cancelled');
      // The panel alone, both runs: the fetched one completed, this one cancelled.
      await page.getByTestId('remote-runs').screenshot({ path: join(SCREENSHOTS, 'cluster-remote-panel.png') });
    });
  }, 600_000);
});
