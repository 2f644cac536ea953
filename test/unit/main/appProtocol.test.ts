import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_ENTRY_URL, appProtocolHandler, isAppPageUrl, mimeTypeOf, resolveAppFile } from '../../../main/appProtocol.js';
import { APP_CONTENT_SECURITY_POLICY } from '../../../main/security.js';

/**
 * The app scheme (main/appProtocol.ts) serves out/renderer and nothing
 * else. The tests build a small renderer folder next to a "secret" file
 * (standing for main's code, the user's files, anything outside the root)
 * and ask for it every way a path can be bent.
 */

let base: string;
let root: string;
/** Whether this system let the test create symbolic links (Windows may not, without developer mode). */
let links = true;

beforeAll(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'sciope-app-protocol-')));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Sciope Desktop</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'logo.svg'), '<svg/>');
  writeFileSync(join(root, 'assets', 'model.wasm'), new Uint8Array([0, 97, 115, 109]));
  writeFileSync(join(root, 'assets', 'notes.xyz'), 'unknown type');
  writeFileSync(join(base, 'secret.js'), 'the main process code');
  // Links: two out of the root (refused), one inside it (followed).
  try {
    symlinkSync(join(base, 'secret.js'), join(root, 'assets', 'escape.js'));
    symlinkSync(base, join(root, 'up'), 'dir');
    symlinkSync(join(root, 'assets', 'index-abc.js'), join(root, 'assets', 'alias.js'));
  } catch {
    links = false;
  }
});

afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

const resolve = (url: string) => resolveAppFile(url, root);

describe('resolveAppFile', () => {
  it('serves the page and its assets with their content types', async () => {
    await expect(resolve(APP_ENTRY_URL)).resolves.toEqual({ ok: true, path: join(root, 'index.html'), mimeType: 'text/html; charset=utf-8' });
    await expect(resolve('sciope-app://app/')).resolves.toMatchObject({ ok: true, path: join(root, 'index.html') });
    await expect(resolve('sciope-app://app/assets/index-abc.js')).resolves.toMatchObject({ ok: true, mimeType: 'text/javascript; charset=utf-8' });
    await expect(resolve('sciope-app://app/assets/index-abc.css')).resolves.toMatchObject({ ok: true, mimeType: 'text/css; charset=utf-8' });
    await expect(resolve('sciope-app://app/assets/logo.svg')).resolves.toMatchObject({ ok: true, mimeType: 'image/svg+xml' });
    await expect(resolve('sciope-app://app/assets/model.wasm')).resolves.toMatchObject({ ok: true, mimeType: 'application/wasm' });
    // Query and fragment do not change the file.
    await expect(resolve('sciope-app://app/index.html?x=1#/models')).resolves.toMatchObject({ ok: true, path: join(root, 'index.html') });
  });

  it('knows content types by extension, case-insensitively, and serves no unknown type', async () => {
    expect(mimeTypeOf('a/B.JS')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeOf('x.woff2')).toBe('font/woff2');
    expect(mimeTypeOf('x.exe')).toBeNull();
    expect(mimeTypeOf('Makefile')).toBeNull();
    await expect(resolve('sciope-app://app/assets/notes.xyz')).resolves.toMatchObject({ ok: false, status: 404 });
  });

  it('answers 404 for files that do not exist and for folders', async () => {
    await expect(resolve('sciope-app://app/missing.js')).resolves.toMatchObject({ ok: false, status: 404 });
    await expect(resolve('sciope-app://app/assets/missing.css')).resolves.toMatchObject({ ok: false, status: 404 });
    await expect(resolve('sciope-app://app/assets')).resolves.toMatchObject({ ok: false, status: 404 });
    await expect(resolve('sciope-app://app/assets/')).resolves.toMatchObject({ ok: false });
  });

  it('never leaves the root by dot segments, plain or percent-encoded', async () => {
    // The URL parser already folds plain and %2e dot segments into the root ...
    for (const url of [
      'sciope-app://app/../secret.js',
      'sciope-app://app/assets/../../secret.js',
      'sciope-app://app/%2e%2e/secret.js',
      'sciope-app://app/.%2E/secret.js',
    ]) {
      const result = await resolve(url);
      expect(result.ok ? result.path : null, url).not.toBe(join(base, 'secret.js'));
      expect(result, url).toMatchObject({ ok: false });
    }
    // ... and encoded separators or dots that only appear once decoded are refused outright.
    for (const url of [
      'sciope-app://app/..%2fsecret.js',
      'sciope-app://app/..%2Fsecret.js',
      'sciope-app://app/assets/..%2f..%2fsecret.js',
      'sciope-app://app/..%5csecret.js',
      'sciope-app://app/%2e%2e%5csecret.js',
      'sciope-app://app/%252e%252e/secret.js',
    ]) {
      const result = await resolve(url);
      expect(result, url).toMatchObject({ ok: false });
    }
    await expect(resolve('sciope-app://app/..%2fsecret.js')).resolves.toMatchObject({ status: 400 });
  });

  it('refuses NUL and other control characters, colons, empty segments and bad encoding', async () => {
    for (const url of [
      'sciope-app://app/index.html%00.png',
      'sciope-app://app/index%0a.html',
      'sciope-app://app/assets/%7f.js',
      'sciope-app://app/index.html%3a%3a%24DATA',
      'sciope-app://app/C%3a%5cWindows',
      'sciope-app://app//index.html',
      'sciope-app://app/%E0%A4%A',
    ]) {
      await expect(resolve(url), url).resolves.toMatchObject({ ok: false, status: 400 });
    }
  });

  it('does not follow a symbolic link out of the root, but follows one inside it', async (ctx) => {
    if (!links) ctx.skip();
    await expect(resolve('sciope-app://app/assets/escape.js')).resolves.toMatchObject({ ok: false, status: 404 });
    await expect(resolve('sciope-app://app/up/secret.js')).resolves.toMatchObject({ ok: false, status: 404 });
    await expect(resolve('sciope-app://app/assets/alias.js')).resolves.toMatchObject({ ok: true, path: join(root, 'assets', 'index-abc.js') });
  });

  it('serves only its own scheme and host', async () => {
    for (const url of [
      `file://${join(root, 'index.html')}`,
      'https://app/index.html',
      'sciope-app://other/index.html',
      'sciope-app://app:8080/index.html',
      'sciope-app://user@app/index.html',
      'not a url',
    ]) {
      await expect(resolve(url), url).resolves.toMatchObject({ ok: false });
    }
  });
});

describe('appProtocolHandler', () => {
  const handler = () => appProtocolHandler(root);
  // Refusals are logged; keep the test output quiet.
  beforeAll(() => void vi.spyOn(console, 'warn').mockImplementation(() => {}));
  afterAll(() => vi.restoreAllMocks());

  it('serves a file with its content type, the CSP and nosniff', async () => {
    const response = await handler()(new Request('sciope-app://app/assets/index-abc.js'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(APP_CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('console.log(1)');
  });

  it('answers refusals with their status, the same headers and no body', async () => {
    const missing = await handler()(new Request('sciope-app://app/missing.js'));
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(APP_CONTENT_SECURITY_POLICY);
    expect(await missing.text()).toBe('');
    expect((await handler()(new Request('sciope-app://app/..%2fsecret.js'))).status).toBe(400);
    expect((await handler()(new Request('sciope-app://app/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});

describe('the app CSP', () => {
  const directives = new Map(
    APP_CONTENT_SECURITY_POLICY.split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values]),
  );

  it('allows scripts only from the app, never eval or inline', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(APP_CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-hashes|\*/);
  });

  it('gives the page no network, no plug-ins, no frames and no base or form targets', () => {
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
  });
});

describe('isAppPageUrl', () => {
  it('is true for the app page only', () => {
    expect(isAppPageUrl('sciope-app://app/index.html')).toBe(true);
    expect(isAppPageUrl('sciope-app://app/index.html#/models')).toBe(true);
    expect(isAppPageUrl('sciope-app://app/index.html?token=x')).toBe(true);
    for (const url of [
      'sciope-app://app/',
      'sciope-app://app/other.html',
      'sciope-app://evil/index.html',
      'file:///opt/sciope/resources/app.asar/out/renderer/index.html',
      'https://example.org/index.html',
      '',
      'about:blank',
    ]) {
      expect(isAppPageUrl(url), url).toBe(false);
    }
  });
});
