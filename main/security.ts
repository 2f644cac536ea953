import type { Session, WebContents } from 'electron';

/**
 * The Content-Security-Policy of the app's page, sent by the app scheme
 * (main/appProtocol.ts) with every file it serves, on top of the <meta> tag
 * in renderer/index.html (where both apply, each must allow a load). The
 * renderer talks to the engine only over IPC and needs no network: every
 * load is of the app's own files (its origin, sciope-app://app). Inline
 * styles are allowed because Vue transitions and ECharts set style
 * attributes; scripts come only from the app's own files, and never from
 * eval (no 'unsafe-eval'). test/unit/main/appProtocol.test.ts holds it to
 * that.
 */
export const APP_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Headers of every response of the app scheme (besides its Content-Type). */
export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': APP_CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
});

/**
 * Session-wide defences. In development the page comes from the Vite
 * server, and a Content-Security-Policy response header goes on its loads
 * (the same policy as APP_CONTENT_SECURITY_POLICY, plus the WebSocket of
 * Vite's hot reload; a string literal, so that the electronegativity audit
 * can evaluate it). The packaged app's responses come from the app scheme,
 * which sets its headers itself (session.webRequest does not see custom
 * schemes). Every permission (camera, notifications, clipboard reads,
 * geolocation, ...) is refused: the app needs none.
 */
export function hardenSession(session: Session, dev: boolean): void {
  if (dev) {
    session.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: {
          ...details.responseHeaders,
          'Content-Security-Policy': [
            "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self' ws://localhost:* ws://127.0.0.1:*; worker-src 'self'; object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
          ],
          'X-Content-Type-Options': ['nosniff'],
        },
      });
    });
  }
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * Defences for every web contents the app ever creates (the window, and any
 * that some bug might create): no <webview>, no navigation away from the
 * loaded page, no new windows.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
