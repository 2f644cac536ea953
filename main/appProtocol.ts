import fs from 'node:fs';
import { extname, isAbsolute, join, relative } from 'node:path';
import type { Protocol } from 'electron';
import { APP_RESPONSE_HEADERS } from './security.js';

/**
 * The packaged app's pages come from its own scheme, `sciope-app://app/`,
 * not from file:// (Electron's security checklist, "avoid the file
 * protocol"): a file:// page may read any file:// URL Chromium lets it,
 * while this scheme serves only the files of out/renderer. It is registered
 * as standard (a real origin, so 'self' in the CSP and relative URLs work)
 * and secure (a secure context, like https); it gets no bypassCSP, no
 * service workers and no CORS (other origins cannot read it). Development
 * (ELECTRON_RENDERER_URL) keeps loading from the Vite server.
 */
export const APP_SCHEME = 'sciope-app';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The one page of the app. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Content types served; a file of any other type is not served (404). */
const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

/** The content type served for `path`, by its extension; null when such files are not served. */
export function mimeTypeOf(path: string): string | null {
  return MIME_TYPES[extname(path).toLowerCase()] ?? null;
}

export type AppFileResolution =
  | { readonly ok: true; readonly path: string; readonly mimeType: string }
  | { readonly ok: false; readonly status: 400 | 404; readonly reason: string };

const refuse = (status: 400 | 404, reason: string): AppFileResolution => ({ ok: false, status, reason });

// Control characters (C0, DEL, C1), which include NUL; a path segment holding one is refused.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** True when `path` is `root` or below it (both absolute and resolved the same way). */
function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The file of out/renderer (`root`) that an app-scheme URL names, or why
 * none is served. Refused: another scheme or host (404); bad
 * percent-encoding (400); a path segment that is empty, `.` or `..`, or
 * holds (once decoded) a slash, a backslash, a colon (Windows drives and
 * alternate data streams) or a control character such as NUL (400);
 * anything that does not exist, is not a regular file, or whose real path
 * (symbolic links resolved) is outside the real `root` (404); a type not in
 * the list above (404). `/` is index.html. Works inside app.asar (Electron's
 * fs resolves paths in the archive). Never throws.
 */
export async function resolveAppFile(url: string, root: string): Promise<AppFileResolution> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse(400, 'not a URL');
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST || parsed.username || parsed.password) return refuse(404, 'not the app origin');

  const raw = parsed.pathname === '/' || parsed.pathname === '' ? ['index.html'] : parsed.pathname.split('/').slice(1);
  const segments: string[] = [];
  for (const encoded of raw) {
    let segment: string;
    try {
      segment = decodeURIComponent(encoded);
    } catch {
      return refuse(400, 'bad percent-encoding');
    }
    if (segment === '' || segment === '.' || segment === '..') return refuse(400, 'empty or dot path segment');
    if (/[/\\:]/.test(segment)) return refuse(400, 'separator or colon in a path segment');
    if (CONTROL.test(segment)) return refuse(400, 'control character in the path');
    segments.push(segment);
  }

  const candidate = join(root, ...segments);
  if (!isInside(root, candidate)) return refuse(400, 'outside the app folder');
  let real: string;
  let realRoot: string;
  try {
    realRoot = await fs.promises.realpath(root);
    real = await fs.promises.realpath(candidate);
  } catch {
    return refuse(404, 'no such file');
  }
  if (!isInside(realRoot, real)) return refuse(404, 'links outside the app folder');
  try {
    if (!(await fs.promises.stat(real)).isFile()) return refuse(404, 'not a file');
  } catch {
    return refuse(404, 'no such file');
  }
  const mimeType = mimeTypeOf(real);
  if (!mimeType) return refuse(404, 'type not served');
  return { ok: true, path: real, mimeType };
}

/** True for the app's page (any #fragment or ?query), and only for it. */
export function isAppPageUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    parsed.hash = '';
    parsed.search = '';
    return parsed.href === APP_ENTRY_URL;
  } catch {
    return false;
  }
}

/**
 * The handler of the app scheme: GET (or HEAD) of a file resolveAppFile
 * accepts, with its content type, the app's CSP and nosniff
 * (APP_RESPONSE_HEADERS, main/security.ts); a bodiless 400, 404 or 405
 * otherwise. Refusals are logged (they mean a bug, or a page trying paths).
 */
export function appProtocolHandler(root: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const fail = (status: number, reason: string) => {
      console.warn(`sciope: ${APP_SCHEME}: ${status} for ${JSON.stringify(request.url.slice(0, 300))}: ${reason}`);
      return new Response(null, { status, headers: APP_RESPONSE_HEADERS });
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return fail(405, `method ${request.method}`);
    const file = await resolveAppFile(request.url, root);
    if (!file.ok) return fail(file.status, file.reason);
    let body: Buffer;
    try {
      body = await fs.promises.readFile(file.path);
    } catch {
      return fail(404, 'unreadable');
    }
    const headers = { ...APP_RESPONSE_HEADERS, 'Content-Type': file.mimeType, 'Content-Length': String(body.length) };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}

/** Declare the app scheme's privileges; must run before the app is ready (Electron's rule). */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // standard: an origin of its own (sciope-app://app), so CSP 'self', relative URLs and storage work.
      // secure: a secure context. supportFetchAPI: the page may fetch its own files (same origin only:
      // corsEnabled stays off). codeCache: V8 caches the bundle's compiled code. No bypassCSP, no
      // allowServiceWorkers, no stream.
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/** Serve out/renderer (`root`) on the app scheme; after the app is ready. */
export function serveAppScheme(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(APP_SCHEME, appProtocolHandler(root));
}
