import { constants, existsSync, realpathSync } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { checkPathText, PathTextError } from '../paths/index.js';
import { badRequest, notFound, ServeRefusal } from './refusals.js';

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

/** Opens the file itself, never a symbolic link put in its place after the check (0 where the platform has no O_NOFOLLOW). */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

export interface StaticFiles {
  /** Answer a GET or HEAD of `pathname` (still percent-encoded, as in the URL); throws a ServeRefusal for a bad or unknown path. */
  serve(pathname: string, response: ServerResponse, head: boolean): Promise<void>;
}

/**
 * The built renderer, read-only. A path is decoded (a bad percent-encoding
 * or a control character is a 400), resolved inside the folder, then its
 * real path (symbolic links followed) must still be inside the folder's
 * real path: a link in the folder to a file elsewhere is a 404, as is
 * anything that is not a regular file. Null when the folder has no
 * index.html (the app is not built).
 */
export function staticFiles(folder: string | null | undefined): StaticFiles | null {
  if (!folder || !existsSync(join(folder, 'index.html'))) return null;
  const root = realpathSync(resolve(folder));
  const inside = (path: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

  return {
    async serve(pathname, response, head) {
      const decoded = decodePath(pathname === '/' ? '/index.html' : pathname);
      const candidate = resolve(root, normalize(decoded).replace(/^([/\\])+/, ''));
      if (!inside(candidate)) throw notFound();
      const real = await realpath(candidate).catch(() => null);
      if (real === null || !inside(real)) throw notFound();
      const handle = await open(real, OPEN_FLAGS).catch(() => null);
      if (handle === null) throw notFound();
      const stat = await handle.stat().catch(() => null);
      if (stat === null || !stat.isFile()) {
        await handle.close().catch(() => {});
        throw notFound();
      }
      response.writeHead(200, {
        'content-type': MIME[extname(real).toLowerCase()] ?? 'application/octet-stream',
        'content-length': String(stat.size),
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
        'cache-control': extname(real) === '.html' ? 'no-store' : 'max-age=3600',
      });
      if (head) {
        await handle.close();
        response.end();
        return;
      }
      const stream = handle.createReadStream();
      // A read error after the headers went out can only cut the answer short, never crash the server.
      stream.once('error', () => response.destroy());
      stream.pipe(response);
    },
  };
}

/** The decoded URL path; a 400 for a bad percent-encoding (%, %zz, %c0%ae, %ff) or a control character (%00, %0a). */
function decodePath(pathname: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    throw badRequest('bad percent-encoding in the path: each % must start a valid UTF-8 byte sequence such as %20 or %C3%A9', { path: pathname.slice(0, 200) });
  }
  try {
    return checkPathText(decoded, 'path');
  } catch (error) {
    if (!(error instanceof PathTextError)) throw error;
    throw new ServeRefusal(400, error.name, error.code, error.message, error.details);
  }
}
