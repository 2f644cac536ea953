import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * End-to-end harness for web mode: start `sciope serve` on a random port
 * with a throwaway project and settings folder, read the URL (with its
 * token) from the first line it prints, and open it in Debian's Chromium.
 */

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOTS = join(ROOT, 'test/e2e/screenshots');
const FIRST_LINE = /^Sciope Desktop engine serving (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/;

/** Where a Chromium lives (CHROMIUM_PATH overrides), or null when none is installed. */
export function chromiumPath(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter((p): p is string =>
    Boolean(p),
  );
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** Why the web tests cannot run here (no Chromium, no built renderer), or null when they can. */
export function skipReason(): string | null {
  if (!chromiumPath()) return "no Chromium found (install Debian's chromium or set CHROMIUM_PATH)";
  if (!existsSync(join(ROOT, 'out/renderer/index.html'))) return 'the renderer is not built (run `npm run build` first)';
  return null;
}

export interface Server {
  readonly url: string;
  readonly dir: string;
  readonly projectPath: string;
  readonly process: ChildProcess;
  /** Everything the server wrote to stderr (shown when a test fails). */
  stderr(): string;
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** Start with this project (default: a new one in the temporary folder); null starts with none open. */
  readonly project?: string | null;
  readonly workers?: number;
  readonly timeoutMs?: number;
  /** Listen on this port (default: any free one); a restart on the same port keeps the page's origin and its localStorage. */
  readonly port?: number;
}

/** Start `node bin/sciope.js serve --port 0` in a temporary folder and wait for its URL. */
export async function startServer(options: ServeOptions = {}): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'sciope-e2e-'));
  const projectPath = options.project === undefined ? join(dir, 'journey.sciope') : (options.project ?? '');
  const args = [
    join(ROOT, 'bin/sciope.js'),
    'serve',
    '--port',
    String(options.port ?? 0),
    '--config-dir',
    join(dir, 'config'),
    '--workers',
    String(options.workers ?? 2),
  ];
  if (options.project !== null) args.push('--project', projectPath);
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let err = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    err += chunk;
  });

  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`sciope serve printed no URL within ${options.timeoutMs ?? 30_000} ms; stderr:\n${err}`)),
      options.timeoutMs ?? 30_000,
    );
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      out += chunk;
      const newline = out.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      const first = out.slice(0, newline).trim();
      const m = FIRST_LINE.exec(first);
      if (m) resolveUrl(m[1]);
      else reject(new Error(`unexpected first line from sciope serve: ${JSON.stringify(first)}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sciope serve exited with code ${code} before printing its URL; stderr:\n${err}`));
    });
  });

  return {
    url,
    dir,
    projectPath,
    process: child,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Session {
  readonly server: Server;
  readonly browser: Browser;
  readonly page: Page;
  /** Browser console errors and page errors seen so far. */
  readonly consoleErrors: string[];
  /** Save a full-page screenshot to test/e2e/screenshots/<name>.png; returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Start the server and open its URL in headless Chromium at 1280 × 800. */
export async function openApp(options: ServeOptions = {}): Promise<Session> {
  const server = await startServer(options);
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath: chromiumPath() ?? '/usr/bin/chromium', args: ['--no-sandbox', '--headless=new'] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const consoleErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(server.url);
    await page.getByTestId('nav-project').waitFor();
    const b = browser;
    return {
      server,
      browser: b,
      page,
      consoleErrors,
      async screenshot(name: string) {
        mkdirSync(SCREENSHOTS, { recursive: true });
        const path = join(SCREENSHOTS, `${name}.png`);
        await page.screenshot({ path, fullPage: true });
        return path;
      },
      async close() {
        await b.close();
        await server.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.stop();
    throw error;
  }
}

/** Run a step; on failure save a screenshot named after it, then rethrow. */
export async function step<T>(session: Session, name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const path = await session.screenshot(`failed-${name}`).catch(() => null);
    const extra = path ? `\n(screenshot: ${path})` : '';
    if (error instanceof Error) error.message += `${extra}\nserver stderr:\n${session.server.stderr().slice(-2000)}`;
    throw error;
  }
}

/** Call the engine's HTTP API with the token from the server's URL. */
export async function api<T>(serverUrl: string, method: string, args: unknown = {}): Promise<T> {
  const url = new URL(serverUrl);
  const response = await fetch(`${url.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${url.searchParams.get('token')}` },
    body: JSON.stringify(args),
  });
  const outcome = (await response.json()) as { ok: boolean; value?: T; error?: { message: string } };
  if (!outcome.ok) throw new Error(`${method}: ${outcome.error?.message}`);
  return outcome.value as T;
}

/** The toggle-switch example study (its priors are the tests' defaults). */
export const TOGGLE_STUDY = JSON.parse(readFileSync(join(ROOT, 'resources/studies/toggle-switch/study.json'), 'utf8')) as {
  priors: Record<string, { lower: number; upper: number }>;
};

/** Add the toggle-switch example and its observed data through the API, then reload so the app lists them. */
export async function prepareToggleSwitch(session: Session): Promise<void> {
  await api(session.server.url, 'models.addExample', { example: 'toggle-switch' });
  await api(session.server.url, 'observed.importCsv', {
    name: 'toggle observed',
    csv: readFileSync(join(ROOT, 'resources/studies/toggle-switch/observed.csv'), 'utf8'),
  });
  await session.page.reload();
  await session.page.getByTestId('sidebar-model-1').waitFor();
}

/** In the Priors view: the example study's uniform priors, and the model's values as the truth. */
export async function fillTogglePriors(page: Page): Promise<void> {
  await page.getByTestId('nav-priors').click();
  for (const [p, prior] of Object.entries(TOGGLE_STUDY.priors)) {
    await page.getByTestId(`prior-kind-${p}`).selectOption('uniform');
    await page.getByTestId(`prior-lower-${p}`).fill(String(prior.lower));
    await page.getByTestId(`prior-upper-${p}`).fill(String(prior.upper));
  }
  await page.getByTestId('priors-truth').check();
}

/**
 * Approve the black-box simulator shown first in the app's review dialog as
 * a person would in web mode: ask, read the code `sciope serve` printed on
 * its terminal (its stderr here), type it in. The dialog must be open.
 */
export async function approveSimulatorInApp(session: Session): Promise<void> {
  const { page, server } = session;
  await page.getByTestId('trust-dialog').waitFor();
  const before = server.stderr().length;
  await page.getByTestId('trust-request').first().click();
  await page.getByTestId('trust-code').waitFor();
  let code: string | undefined;
  for (let i = 0; i < 100 && !code; i++) {
    code = /type this code in the app: (\d{4}-\d{4})/.exec(server.stderr().slice(before))?.[1];
    if (!code) await new Promise((r) => setTimeout(r, 50));
  }
  if (!code) throw new Error(`sciope serve printed no approval code; stderr:\n${server.stderr().slice(-2000)}`);
  await page.getByTestId('trust-code').fill(code);
  await page.getByTestId('trust-approve').click();
  await page.getByTestId('trust-revoke').first().waitFor();
  await page.getByTestId('trust-close').click();
}
