import type { Session, WebContents } from 'electron'

/**
 * Session-wide defences. A Content-Security-Policy response header on every
 * load of our session (file:// in the app, the Vite server in development),
 * on top of the <meta> tag in renderer/index.html; where both apply, each
 * must allow a load. The renderer talks to the engine only over IPC and needs
 * no network; in development Vite's hot reload needs its WebSocket. Inline
 * styles are allowed because Vue transitions and ECharts set style
 * attributes; scripts come only from the app's own files. The policies are
 * string literals so that the electronegativity audit can evaluate them.
 * Every permission (camera, notifications, clipboard reads, geolocation, ...)
 * is refused: the app needs none.
 */
export function hardenSession(session: Session, dev: boolean): void {
  if (dev) {
    session.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: {
          ...details.responseHeaders,
          'Content-Security-Policy': [
            "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self' ws://localhost:* ws://127.0.0.1:*; worker-src 'self'; object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
          ],
          'X-Content-Type-Options': ['nosniff']
        }
      })
    })
  } else {
    session.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: {
          ...details.responseHeaders,
          'Content-Security-Policy': [
            "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
          ],
          'X-Content-Type-Options': ['nosniff']
        }
      })
    })
  }
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

/**
 * Defences for every web contents the app ever creates (the window, and any
 * that some bug might create): no <webview>, no navigation away from the
 * loaded page, no new windows.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}
