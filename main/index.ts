import { app, BrowserWindow, Menu, dialog, protocol, screen, session } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineHostClient } from '../engine/api/host/EngineHostClient.js';
import { APP_ENTRY_URL, isAppPageUrl, registerAppScheme, serveAppScheme } from './appProtocol.js';
import { dialogApprovalChannel } from './approvalDialog.js';
import { engineCrashReporter } from './engineCrashDialog.js';
import { CHANNELS, registerIpc } from './ipc.js';
import { buildMenu, type MenuCommand } from './menu.js';
import { projectFromArgv } from './projectArgs.js';
import { hardenSession, hardenWebContents } from './security.js';
import { launchUtilityProcessHost } from './utilityProcessHost.js';
import { DEFAULT_SIZE, isVisibleOnSomeDisplay, loadWindowState, saveWindowState } from './windowState.js';

// Injected at build time from package.json (see electron.vite.config.ts): its "homepage", when https.
declare const __SCIOPE_DOCS_URL__: string | null;

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
// The engine's utility-process entry (main/engineHost.ts), built next to this file.
const engineHostEntry = fileURLToPath(new URL('./engineHost.js', import.meta.url));
// What the app scheme serves (main/appProtocol.ts): the built renderer, inside app.asar when packaged.
const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
const devUrl = !app.isPackaged && process.env.ELECTRON_RENDERER_URL ? process.env.ELECTRON_RENDERER_URL : null;
const dev = !app.isPackaged;

// Tests (test/e2e/electron.test.ts) run with a throw-away profile.
if (process.env.SCIOPE_USER_DATA) app.setPath('userData', process.env.SCIOPE_USER_DATA);

// node_modules/better-sqlite3 is built for Node (tests, CLI). In development
// Electron loads the copy built for its own ABI by build/native/electronSqlite.mjs
// (run by `npm run dev` / `npm start`); packaged apps are rebuilt by electron-builder.
if (!app.isPackaged) {
  const electronBuild = fileURLToPath(new URL(`../../build/native/electron/${process.versions.electron}/better_sqlite3.node`, import.meta.url));
  if (existsSync(electronBuild)) process.env.SCIOPE_SQLITE_BINDING ??= electronBuild;
}

// The engine runs bundled in out/main (engineHost.js, in a utility process that
// inherits this environment), away from its .ts sources: its worker threads load
// the bundles `npm run build` wrote to out/worker (build/workerBundle.mjs).
const workerDir = fileURLToPath(new URL('../worker/', import.meta.url));
if (existsSync(workerDir)) process.env.SCIOPE_WORKER_BUNDLE_DIR ??= workerDir;

// The packaged app loads its page from its own scheme, not file:// (main/appProtocol.ts);
// the scheme's privileges must be declared before the app is ready.
if (!devUrl) registerAppScheme(protocol);

const devOrigin = devUrl ? new URL(devUrl).origin : null;
/** Our page, and nothing else: the dev server's origin, or exactly sciope-app://app/index.html. */
const isAppUrl = (url: string): boolean => {
  if (!devOrigin) return isAppPageUrl(url);
  try {
    return new URL(url).origin === devOrigin;
  } catch {
    return false;
  }
};

let mainWindow: BrowserWindow | null = null;
let engine: EngineHostClient | null = null;
/** Projects asked for before the engine was up (command line, macOS open-file). */
const pendingProjects: string[] = [];

async function createWindow(): Promise<BrowserWindow> {
  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const saved = await loadWindowState(stateFile);
  const visible =
    saved &&
    isVisibleOnSomeDisplay(
      saved.bounds,
      screen.getAllDisplays().map((d) => d.workArea),
    );
  const win = new BrowserWindow({
    ...(visible ? saved.bounds : DEFAULT_SIZE),
    minWidth: 640,
    minHeight: 480,
    title: 'Sciope Desktop',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      // Middle-click (auxclick) on a link would otherwise ask for a new window.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (visible && saved.maximized) win.maximize();

  win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    try {
      saveWindowState(stateFile, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (error) {
      console.warn('sciope: could not save the window state:', error);
    }
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });

  void win.loadURL(devUrl ?? APP_ENTRY_URL);
  return win;
}

function sendMenuCommand(command: MenuCommand, payload?: unknown): void {
  const win = mainWindow;
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.focus();
  win.webContents.send(CHANNELS.menu, command, payload);
}

/** Rebuild the application menu with the current Open Recent list (asynchronously; the menu works meanwhile). */
async function refreshMenu(): Promise<void> {
  const outcome = engine ? await engine.invoke('projects.recent', {}) : null;
  const recent = outcome?.ok && Array.isArray(outcome.value) ? (outcome.value as string[]) : [];
  Menu.setApplicationMenu(buildMenu({ dev, recent, documentationUrl: __SCIOPE_DOCS_URL__, send: sendMenuCommand }));
}

/**
 * Open a project the OS handed us (command line, double-click, a second
 * instance). Main opens it itself, because the renderer may not be listening
 * yet; the engine's project.changed event (and app.info at start-up) tells
 * the renderer.
 */
async function openProject(path: string): Promise<void> {
  if (!engine) {
    pendingProjects.push(path);
    return;
  }
  const outcome = await engine.invoke('projects.open', { path });
  if (!outcome.ok) {
    const options = { type: 'error' as const, message: `Could not open ${path}`, detail: outcome.error.message };
    if (mainWindow && !mainWindow.isDestroyed()) await dialog.showMessageBox(mainWindow, options);
    else await dialog.showMessageBox(options);
  }
}

function focusWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession, devUrl !== null);
  if (!devUrl) serveAppScheme(protocol, rendererDir);
  app.setAboutPanelOptions({ applicationName: 'Sciope Desktop', applicationVersion: app.getVersion() });

  // The engine runs in a utility process (main/engineHost.ts says why), started by the first
  // call and again by the first call after a crash. A black-box simulator runs only once
  // approved in a native dialog here in main (main/approvalDialog.ts): the engine asks over the bridge.
  const approvalChannel = dialogApprovalChannel({
    window: () => mainWindow,
    showMessageBox: (win, options) => dialog.showMessageBox(win, options),
  });
  engine = new EngineHostClient({
    launch: () => launchUtilityProcessHost(engineHostEntry),
    init: { configDir: app.getPath('userData'), approval: 'dialog' },
    approvalChannel,
    onCrash: engineCrashReporter({ window: () => mainWindow, showMessageBox: (win, options) => dialog.showMessageBox(win, options) }),
  });
  registerIpc(engine, { window: () => mainWindow, isAppUrl });
  engine.onEvent((event) => {
    if (event.type === 'project.changed') void refreshMenu();
  });
  void refreshMenu();

  mainWindow = await createWindow();
  for (const path of pendingProjects.splice(0)) await openProject(path);
}

/** Close the engine (cancels runs, stops workers, closes the project file, ends its process) before quitting; at most a few seconds. */
function closeEngineOnQuit(): void {
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed || !engine) return;
    event.preventDefault();
    // engine.close() ends the utility process after 5 s at the latest; this is the backstop.
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 6_000));
    void Promise.race([engine.close(), timeout])
      .catch((error: unknown) => console.error('sciope: closing the engine failed:', error))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
}

const initialProject = projectFromArgv(process.argv, process.cwd());
if (!app.requestSingleInstanceLock({ project: initialProject })) {
  // Another instance runs: it received our project path (second-instance) and takes over.
  app.quit();
} else {
  if (initialProject) pendingProjects.push(initialProject);

  app.on('second-instance', (_event, argv, workingDirectory, additionalData) => {
    focusWindow();
    const data = additionalData as { project?: unknown } | null;
    const project = typeof data?.project === 'string' ? data.project : projectFromArgv(argv, workingDirectory);
    if (project) void openProject(project);
  });

  // macOS: a double-clicked .sciope file (possibly before the app is ready).
  app.on('open-file', (event, path) => {
    event.preventDefault();
    void openProject(path);
  });

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  closeEngineOnQuit();

  void app.whenReady().then(async () => {
    await start();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) void createWindow().then((win) => (mainWindow = win));
    });
  });
}
