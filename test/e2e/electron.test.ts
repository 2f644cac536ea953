import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallOutcome, EngineEvent, PreloadBridge } from '../../engine/api/contract.js';

/**
 * The desktop app end to end: the built app (out/) in the real Electron,
 * driven by playwright-core. Start-up and the security boundary (the page
 * on the app's own scheme, not file://), a temporary project, a tiny
 * SMC-ABC through window.sciope (preload → IPC → engine → worker threads)
 * until it finishes, reopening the project from the command line as a
 * double-click does, and a black-box simulator that runs only once approved
 * in the native dialog.
 *
 * Skipped, with the reason printed, where the Electron binary is absent
 * (electron is an optional dependency; its binary cannot be downloaded on
 * our build machines), where the app is not built, or where Linux has no
 * display (run under `xvfb-run -a npm run test:e2e` there).
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The Electron executable, or null: require('electron') returns its path, and throws when the binary was never downloaded. */
function electronBinary(): string | null {
  try {
    const path: unknown = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function skipReason(): string | null {
  if (!electronBinary()) return 'the Electron binary is not installed (optional dependency `electron`; `npm install` downloads it where GitHub is reachable)';
  if (!existsSync(join(ROOT, 'out/main/index.js')) || !existsSync(join(ROOT, 'out/worker/threadWorker.mjs')))
    return 'the app is not built (run `npm run build` first)';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display (run under `xvfb-run -a`)';
  return null;
}

const reason = skipReason();
if (reason) console.warn(`test/e2e/electron.test.ts: Electron end-to-end tests skipped: ${reason}.`);

async function launch(userData: string, args: string[] = []): Promise<{ app: ElectronApplication; page: Page }> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && key !== 'ELECTRON_RENDERER_URL') env[key] = value;
  env.SCIOPE_USER_DATA = userData;
  const app = await _electron.launch({ executablePath: electronBinary()!, args: [ROOT, ...args], env, cwd: ROOT, timeout: 60_000 });
  const page = await app.firstWindow();
  await page.waitForFunction(() => typeof (globalThis as unknown as { sciope?: unknown }).sciope === 'object');
  return { app, page };
}

/** One EngineApi call through the preload, from inside the page (page functions reach window.sciope via globalThis: the test's tsconfig has no DOM types). */
function call(page: Page, method: string, args: unknown = {}): Promise<CallOutcome> {
  return page.evaluate(({ method, args }) => (globalThis as unknown as { sciope: PreloadBridge }).sciope.call(method, args), { method, args });
}

async function value<T>(page: Page, method: string, args: unknown = {}): Promise<T> {
  const outcome = await call(page, method, args);
  if (!outcome.ok) throw new Error(`${method}: ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.value as T;
}

describe.skipIf(reason !== null)('the Electron app', () => {
  let dir: string;
  let projectPath: string;
  let runId: number;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sciope-electron-e2e-'));
    projectPath = join(dir, 'journey.sciope');
    // better-sqlite3 for Electron's ABI (build/native/electron/<version>/), as `npm start` does.
    execFileSync(process.execPath, [join(ROOT, 'build/native/electronSqlite.mjs')], { cwd: ROOT, stdio: 'inherit' });
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('starts one hardened window that sees only window.sciope', async () => {
    const { app, page } = await launch(join(dir, 'profile'));
    try {
      expect(await page.title()).toBe('Sciope Desktop');
      const surface = await page.evaluate(() => {
        const g = globalThis as unknown as Record<string, unknown> & { sciope: Record<string, unknown> };
        return {
          keys: Object.keys(g.sciope).sort(),
          require: typeof g.require,
          process: typeof g.process,
          ipcRenderer: 'ipcRenderer' in g.sciope,
        };
      });
      expect(surface).toEqual({
        keys: ['call', 'onEvent', 'onMenuCommand', 'openFileDialog', 'platform', 'version'],
        require: 'undefined',
        process: 'undefined',
        ipcRenderer: false,
      });
      const prefs = await app.evaluate(({ BrowserWindow }) => {
        const win = BrowserWindow.getAllWindows()[0];
        return { count: BrowserWindow.getAllWindows().length, prefs: win.webContents.getLastWebPreferences() };
      });
      expect(prefs.count).toBe(1);
      expect(prefs.prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
      // The page comes from the app's own scheme (main/appProtocol.ts), never file://.
      const pageUrl = new URL(page.url());
      expect({ protocol: pageUrl.protocol, host: pageUrl.host, pathname: pageUrl.pathname }).toEqual({
        protocol: 'sciope-app:',
        host: 'app',
        pathname: '/index.html',
      });
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0].webContents.mainFrame.url)).toMatch(/^sciope-app:\/\/app\/index\.html/);
      // The scheme serves out/renderer only, with the app's CSP; the page cannot read files elsewhere.
      const served = await page.evaluate(async () => {
        const status = async (url: string) => {
          try {
            return (await fetch(url)).status;
          } catch {
            return 'blocked';
          }
        };
        const index = await fetch('sciope-app://app/index.html');
        return {
          csp: index.headers.get('content-security-policy'),
          type: index.headers.get('content-type'),
          up: await status('sciope-app://app/../main/index.js'),
          encodedUp: await status('sciope-app://app/..%2fmain%2findex.js'),
          missing: await status('sciope-app://app/no-such-file.js'),
          file: await status('file:///etc/hosts'),
        };
      });
      expect(served).toMatchObject({ type: 'text/html; charset=utf-8', up: 404, encodedUp: 400, missing: 404, file: 'blocked' });
      expect(served.csp).toContain("default-src 'none'; script-src 'self'");
      expect(served.csp).not.toContain('unsafe-eval');
      // Unknown methods are refused by main before they reach the engine; navigation and popups are denied.
      expect(await call(page, 'no.such.method')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
      const url = page.url();
      await page.evaluate(() => {
        (globalThis as unknown as { open(url: string): unknown }).open('https://example.org/');
        (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.org/';
      });
      await page.waitForTimeout(500);
      expect(page.url()).toBe(url);
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('creates a project and runs a tiny SMC-ABC to completion on worker threads', async () => {
    const { app, page } = await launch(join(dir, 'profile'));
    try {
      await value(page, 'projects.create', { path: projectPath });
      const model = await value<{ id: number }>(page, 'models.addExample', { example: 'toggle-switch' });
      const csv = readFileSync(join(ROOT, 'resources/studies/toggle-switch/observed.csv'), 'utf8');
      const observed = await value<{ id: number }>(page, 'observed.importCsv', { name: 'observed.csv', csv });
      const { priors } = await value<{ priors: unknown }>(page, 'priors.defaults', { modelId: model.id });
      const study = await value<{ id: number }>(page, 'studies.save', {
        name: 'tiny',
        modelId: model.id,
        observedId: observed.id,
        priors,
        simulation: { runsPerTrial: 1 },
        algorithm: { kind: 'smcAbc', populationSize: 30, maxGenerations: 2 },
        seed: 7,
      });
      // Subscribe in the page first, then start: the run's events travel main → 'sciope:event' → onEvent.
      const finished = page.evaluate(
        () =>
          new Promise<EngineEvent[]>((resolveEvents) => {
            const seen: EngineEvent[] = [];
            const off = (globalThis as unknown as { sciope: PreloadBridge }).sciope.onEvent((event) => {
              seen.push(event);
              if (event.type === 'run.finished') {
                off();
                resolveEvents(seen);
              }
            });
          }),
      );
      runId = (await value<{ runId: number }>(page, 'runs.start', { studyId: study.id })).runId;
      const events = await finished;
      expect(events.at(-1)).toMatchObject({ type: 'run.finished', runId, status: 'completed', error: null });
      expect(events.some((e) => e.type === 'run.progress' && e.runId === runId)).toBe(true);
      const run = await value<{ status: string; generations: number }>(page, 'runs.get', { runId });
      expect(run).toMatchObject({ status: 'completed', generations: 2 });
    } finally {
      await app.close();
    }
  });

  it('runs a black-box simulator only after Approve in the native dialog', async () => {
    const { app, page } = await launch(join(dir, 'profile'));
    try {
      await value(page, 'projects.create', { path: join(dir, 'approval.sciope') });
      const modulePath = join(ROOT, 'test/fixtures/blackbox/decay-module.mjs');
      const simulator = {
        kind: 'module',
        path: modulePath,
        parameters: [
          { id: 'a0', value: 100 },
          { id: 'k', value: 0.1 },
        ],
        species: ['A', 'B'],
      };
      const model = await value<{ id: number }>(page, 'models.addSimulator', { name: 'decay', simulator });
      const preview = { modelId: model.id, runs: 1, points: 11, tEnd: 10, seed: 1 };
      expect(await call(page, 'simulate.preview', preview)).toMatchObject({ ok: false, error: { code: 'SIMULATOR_NOT_APPROVED' } });
      const { simulators } = await value<{ simulators: Array<{ fingerprint: string }> }>(page, 'trust.list');
      const fingerprint = simulators[0].fingerprint;
      // Stand in for the person at the machine: main's message box records what it showed and answers Cancel, then Approve.
      await app.evaluate(({ dialog }) => {
        const g = globalThis as unknown as { shown: unknown[]; answers: number[] };
        g.shown = [];
        g.answers = [0, 1];
        // showMessageBox([window, ] options): the options come last.
        dialog.showMessageBox = (async (...args: unknown[]) => {
          g.shown.push(args.at(-1));
          return { response: g.answers.shift() ?? 0, checkboxChecked: false };
        }) as unknown as typeof dialog.showMessageBox;
      });
      expect(await value(page, 'trust.request', { fingerprint })).toEqual({ approved: false, via: 'dialog' });
      // Nothing the page can send approves: no code was printed for it to guess.
      expect(await call(page, 'trust.approve', { fingerprint, code: '0000-0000' })).toMatchObject({ ok: false });
      expect(await call(page, 'simulate.preview', preview)).toMatchObject({ ok: false, error: { code: 'SIMULATOR_NOT_APPROVED' } });
      expect(await value(page, 'trust.request', { fingerprint })).toEqual({ approved: true, via: 'dialog' });
      expect(await call(page, 'simulate.preview', preview)).toMatchObject({ ok: true });
      const shown = await app.evaluate(() => (globalThis as unknown as { shown: Array<Record<string, unknown>> }).shown);
      expect(shown).toHaveLength(2);
      expect(shown[0]).toMatchObject({ type: 'warning', buttons: ['Cancel', 'Approve'], defaultId: 0, cancelId: 0, noLink: true });
      expect(String(shown[0].message)).toContain('approval.sciope');
      expect(String(shown[0].detail)).toContain(modulePath);
    } finally {
      await app.close();
    }
  });

  it('opens a .sciope file given on the command line, with its run', async () => {
    const { app, page } = await launch(join(dir, 'profile'), [projectPath]);
    try {
      await expect
        .poll(async () => (await value<{ project: { path: string } | null }>(page, 'app.info')).project?.path ?? null, { timeout: 30_000 })
        .toBe(projectPath);
      const runs = await value<Array<{ id: number; status: string }>>(page, 'runs.list');
      expect(runs).toContainEqual(expect.objectContaining({ id: runId, status: 'completed' }));
      const recent = await value<string[]>(page, 'projects.recent');
      expect(recent[0]).toBe(projectPath);
    } finally {
      await app.close();
    }
  });
});
